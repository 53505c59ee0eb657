"""No step of a case is dated before its petition was filed (issue 14: a receipt dated before the
petition was filed was accepted), nor in the future, nor before the case's latest event: the rule is
the workflow's, so the API, the staff pages and the admin share it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from rrm import workflow
from rrm.choices import EventKind
from rrm.errors import InvalidDate
from rrm.models import Case
from tests.api.world import ON, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: object, tmp_path: object) -> World:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return build_world()


def test_it_refuses_through_the_api_a_receipt_dated_before_the_petition_was_filed(world: World) -> None:
    url = reverse("v1:case-receipt", kwargs={"case_id": world.case.case_id})
    before_filing = (ON["filed"] - dt.timedelta(days=1)).isoformat()

    body = json.dumps({"on": before_filing})
    response = world.client("officer").post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert "before the filing of the petition" in str(response.data["on"])
    assert world.event_kinds() == [EventKind.PETITION_FILED]  # the filing only, nothing written
    assert Case.objects.get(pk=world.case.pk).stage == "submitted"


def test_it_accepts_a_receipt_on_the_day_the_petition_was_filed(world: World) -> None:
    result = workflow.transition(case_id=world.case.case_id, action="record_receipt", on=ON["filed"])

    assert result.case.stage == "ilc_review"


def test_it_refuses_a_correction_that_moves_the_receipt_before_the_filing(world: World) -> None:
    from rrm import services

    world.advance("ilc_review")
    with pytest.raises(InvalidDate, match="before the filing of the petition"):
        services.record_correction(
            case_id=world.case.case_id,
            corrects_id=world.receipt_event().pk,
            reason="typo",
            corrected_on=ON["filed"] - dt.timedelta(days=3),
            user=None,
        )


def test_it_does_not_bound_an_imported_case_by_a_stand_in_submission_time(world: World) -> None:
    """An imported petition's submission time is a stand-in (the import's day when receipt is unknown)."""
    world.petition.submitted_at = timezone.now()
    world.petition.save(update_fields=["submitted_at"])
    Case.objects.filter(pk=world.case.pk).update(record_basis="public_sources")

    result = workflow.transition(case_id=world.case.case_id, action="record_receipt", on=ON["receipt"])

    assert result.case.stage == "ilc_review"
