"""A case's last update, in the public API's case detail: the latest change of the case row, its timeline
events, deadlines, remediation, panels and outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from remediation.models import RemediationPlan
from rrm.models import Case
from tests.factories import CaseFactory, RemediationPlanFactory, TimelineEventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_budget")]

LONG_AGO = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)


def stale_case() -> Case:
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(updated_at=LONG_AGO)
    return case


def last_updated(api: APIClient, case: Case) -> dt.datetime:
    answer = api.get(f"/api/v1/public/cases/{case.case_id}/").json()
    return dt.datetime.fromisoformat(answer["last_updated"])


def test_it_dates_a_case_alone_by_its_own_row(api: APIClient) -> None:
    assert last_updated(api, stale_case()) == LONG_AGO


def test_it_dates_a_case_by_its_latest_timeline_event(api: APIClient) -> None:
    case = stale_case()
    event = TimelineEventFactory(case=case)

    assert last_updated(api, case) == event.recorded_at


def test_it_dates_a_case_by_its_latest_remediation_change(api: APIClient) -> None:
    case = stale_case()
    changed = timezone.now() - dt.timedelta(days=3)
    RemediationPlan.objects.filter(pk=RemediationPlanFactory(case=case).pk).update(updated_at=changed)

    assert last_updated(api, case) == changed
