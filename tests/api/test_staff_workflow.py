"""Staff take a case from receipt to closure through the API; corrections, extensions and
suspensions are timeline events and nothing is deleted."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from remediation.models import Panel, RemediationAction, RemediationPlan, Remedy
from rrm.models import Deadline, TimelineEvent
from tests.api.world import World

pytestmark = pytest.mark.django_db


def post(world: World, route: str, body: dict[str, Any], role: str = "officer", **kwargs: Any) -> Any:
    url = reverse(route, kwargs=kwargs or {"case_id": world.case.case_id})
    return world.client(role).post(url, json.dumps(body), content_type="application/json")


def patch(world: World, route: str, body: dict[str, Any], **kwargs: Any) -> Any:
    url = reverse(route, kwargs=kwargs)
    return world.client("officer").patch(url, json.dumps(body), content_type="application/json")


def test_it_takes_a_case_from_receipt_to_closure_through_remediation(world: World) -> None:
    steps = [
        ("v1:case-receipt", {"on": "2024-03-04"}),
        ("v1:case-ilc-determination", {"determination": "sufficient", "on": "2024-04-02"}),
        ("v1:case-mexico-response", {"response": "accepted", "on": "2024-04-10"}),
        ("v1:case-mexico-finding", {"finding": "denial", "on": "2024-05-20"}),
        ("v1:case-remediation-plans", {"agreed_on": "2024-06-01", "summary": "Reinstatement"}),
    ]
    for route, body in steps:
        assert post(world, route, body).status_code == 201, (route, body)
    plan = RemediationPlan.objects.get(case=world.case)
    action = post(
        world, "v1:remediation-actions", {"kind": "reinstatement", "due_on": "2024-07-01"}, plan_id=plan.pk
    )
    assert action.status_code == 201 and action.data["status"] == "pending"
    done = patch(
        world,
        "v1:remediation-action-detail",
        {"status": "done", "completed_on": "2024-06-20"},
        action_id=action.data["id"],
    )
    assert done.status_code == 200
    verified = post(
        world,
        "v1:remediation-action-verify",
        {"verified_on": "2024-06-25", "verified_by": "CFCRL"},
        action_id=action.data["id"],
    )
    assert verified.status_code == 200 and verified.data["status"] == "verified"
    assert (
        post(world, "v1:case-transitions", {"action": "complete_remediation", "on": "2024-07-01"}).status_code
        == 201
    )
    closed = post(world, "v1:case-transitions", {"action": "close", "on": "2024-07-15"})
    assert closed.status_code == 201 and closed.data["stage"] == "closed" and closed.data["allowed"] == []
    world.case.refresh_from_db()
    assert world.case.outcome == "course_of_remediation_completed"
    kinds = list(TimelineEvent.objects.filter(case=world.case).values_list("kind", flat=True))
    assert kinds[:3] == ["petition_filed", "petition_received", "request_for_review"]
    assert kinds[-1] == "case_closed"


def test_it_runs_a_panel_to_remedies(world: World) -> None:
    world.advance("remediation_consultations")
    panel = post(
        world, "v1:case-panels", {"requested_on": "2024-08-01", "secretariat_no": "MEX-USA-2024-31A-09"}
    )
    assert panel.status_code == 201
    for step, on, extra in [
        ("constituted", "2024-08-20", {}),
        ("basics_confirmed", "2024-08-27", {}),
        ("verification", "2024-09-10", {"findings": "Visit held."}),
        ("determination", "2024-10-01", {"determination": "denial"}),
    ]:
        response = post(world, "v1:panel-steps", {"step": step, "on": on, **extra}, panel_id=panel.data["id"])
        assert response.status_code == 201, response.data
    stored = Panel.objects.get(pk=panel.data["id"])
    assert (stored.determination, str(stored.constituted_on), stored.verifications.count()) == (
        "denial",
        "2024-08-20",
        1,
    )
    remedy = post(
        world, "v1:case-remedies", {"kind": "penalties", "imposed_on": "2024-11-01", "panel": stored.pk}
    )
    assert remedy.status_code == 201
    lifted = patch(world, "v1:remedy-detail", {"lifted_on": "2025-01-10"}, remedy_id=remedy.data["id"])
    assert lifted.status_code == 200 and Remedy.objects.get().lifted_on == dt.date(2025, 1, 10)
    world.case.refresh_from_db()
    assert world.case.stage == "remedies_in_force"


def test_it_lists_the_steps_allowed_from_the_stage_with_their_endpoints(world: World) -> None:
    world.advance("ilc_review")
    url = reverse("v1:case-transitions", kwargs={"case_id": world.case.case_id})
    allowed = {step["action"]: step["endpoint"] for step in world.client("officer").get(url).data["allowed"]}
    case_path = f"/api/v1/cases/{world.case.case_id}"
    assert allowed == {
        "decline_petition": f"{case_path}/ilc-determination/",
        "resolve_without_request": f"{case_path}/ilc-determination/",
        "withdraw": f"{case_path}/withdrawal/",
        "request_review": f"{case_path}/request-for-review/",
    }


def test_it_corrects_a_date_by_a_new_event_and_recomputes_the_clock_it_started(world: World) -> None:
    world.advance("ilc_review")
    receipt = world.receipt_event()
    response = post(
        world,
        "v1:case-corrections",
        {"corrects": receipt.pk, "corrected_on": "2024-03-11", "reason": "OTLA letter"},
    )
    assert response.status_code == 201 and response.data["corrects"] == receipt.pk
    assert TimelineEvent.objects.filter(pk=receipt.pk).exists()
    ilc = Deadline.objects.get(case=world.case, rule__code="ilc_screening", status="open")
    assert (ilc.start_date, ilc.due_date) == (dt.date(2024, 3, 11), dt.date(2024, 4, 10))
    world.case.refresh_from_db()
    assert world.case.petition_received_on == dt.date(2024, 3, 11)


def test_it_refuses_to_retract_a_step_that_moved_the_case(world: World) -> None:
    world.advance("ilc_review")
    receipt = world.receipt_event()
    response = post(world, "v1:case-corrections", {"corrects": receipt.pk, "reason": "Mistake"})
    assert response.status_code == 409 and "cannot be retracted" in response.data["detail"]


def test_it_refuses_to_correct_an_event_of_another_case(world: World) -> None:
    from tests.factories import TimelineEventFactory

    stranger = TimelineEventFactory()
    response = post(world, "v1:case-corrections", {"corrects": stranger.pk, "reason": "x"})
    assert response.status_code == 400 and "has no event" in response.data["corrects"][0]


def test_it_extends_a_deadline_and_records_before_and_after(world: World) -> None:
    world.advance("ilc_review")
    deadline = Deadline.objects.get(case=world.case, rule__code="ilc_screening")
    response = post(
        world,
        "v1:deadline-extension",
        {"days": 5, "on": "2024-03-20", "reason": "Agreed"},
        case_id=world.case.case_id,
        deadline_id=deadline.pk,
    )
    assert response.status_code == 201 and response.data["due_date"] > str(deadline.due_date)
    event = TimelineEvent.objects.get(case=world.case, kind="extension_agreed")
    assert (
        event.data["due_before"] == str(deadline.due_date)
        and event.data["due_after"] == response.data["due_date"]
    )


def test_it_suspends_every_open_clock_of_a_case(world: World) -> None:
    world.advance("request_sent")
    due_before = dict(
        Deadline.objects.filter(case=world.case, status="open").values_list("rule__code", "due_date")
    )
    response = post(
        world, "v1:case-suspension", {"start": "2024-04-05", "end": "2024-04-14", "reason": "Strike"}
    )
    assert response.status_code == 201 and len(response.data) == len(due_before) == 2
    after = dict(
        Deadline.objects.filter(case=world.case, status="open").values_list("rule__code", "due_date")
    )
    assert all(after[code] > due_before[code] for code in due_before)


def test_it_verifies_only_an_action_marked_done(world: World) -> None:
    world.advance("remediation_in_progress")
    pending = RemediationAction.objects.create(plan=world.plan(), kind="training")
    response = post(
        world,
        "v1:remediation-action-verify",
        {"verified_on": "2024-06-25", "verified_by": "ILO"},
        action_id=pending.pk,
    )
    assert response.status_code == 409 and "only an action marked done" in response.data["detail"]


def test_it_edits_only_the_public_description_of_a_case(world: World) -> None:
    url = reverse("v1:case-detail", kwargs={"case_id": world.case.case_id})
    response = world.client("officer").patch(url, {"title": "GM Silao", "stage": "closed"}, format="json")
    assert response.status_code == 200
    world.case.refresh_from_db()
    assert (world.case.title, world.case.stage) == ("GM Silao", "submitted")


def test_it_filters_searches_orders_and_pages_case_lists(world: World) -> None:
    world.advance("ilc_review")
    client = world.client("officer")
    assert client.get(reverse("v1:case-list"), {"stage": "ilc_review"}).data["count"] == 1
    assert client.get(reverse("v1:case-list"), {"stage": "closed"}).data["count"] == 0
    assert client.get(reverse("v1:case-list"), {"search": world.facility.name}).data["count"] == 1
    assert client.get(reverse("v1:case-list"), {"ordering": "-case_id", "page_size": 1}).data["next"] is None
    bad = client.get(reverse("v1:case-list"), {"stage": "nowhere"})
    assert bad.status_code == 400 and "stage" in bad.data
