"""The work queue in the staff API, and choices refused with the valid values named (issue 14:
`"verified"` was refused as a plan status without listing the valid ones)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from remediation.models import RemediationPlan
from rrm.models import Deadline
from rrm.work_queue import QueueKind
from tests.api.world import World
from tests.factories import DeadlineFactory

pytestmark = pytest.mark.django_db

QUEUE = "v1:work-queue"


def queue(world: World, role: str = "officer", **params: str) -> object:
    return world.client(role).get(reverse(QUEUE), params)


def test_it_refuses_a_plan_status_outside_its_choices_naming_the_valid_ones(world: World) -> None:
    world.advance("remediation_in_progress")
    url = reverse("v1:remediation-plan-detail", kwargs={"plan_id": world.plan().pk})

    body = json.dumps({"status": "verified"})
    response = world.client("officer").patch(url, body, content_type="application/json")

    assert response.status_code == 400
    message = " ".join(str(text) for text in response.data["status"])
    assert all(value in message for value in RemediationPlan.Status.values), message
    assert world.plan().status == "in_progress"


def test_it_lists_the_queue_to_case_officers_only(world: World) -> None:
    assert queue(world, "own_org").status_code == 403  # type: ignore[attr-defined]
    assert queue(world, "anonymous").status_code == 401  # type: ignore[attr-defined]
    response = queue(world)
    assert response.status_code == 200  # type: ignore[attr-defined]
    items = response.data["results"]  # type: ignore[attr-defined]
    assert [(item["kind"], item["case_id"]) for item in items] == [("screening", world.case.case_id)]


def test_it_puts_each_kind_of_work_in_the_queue_in_order(world: World) -> None:
    world.advance("request_sent")
    today = timezone.localdate()
    overdue = DeadlineFactory(due_date=today - dt.timedelta(days=2))
    soon = DeadlineFactory(due_date=today + dt.timedelta(days=3))
    DeadlineFactory(due_date=today + dt.timedelta(days=20))

    items = queue(world, days="10").data["results"]  # type: ignore[attr-defined]

    kinds = [(item["kind"], item["case_id"]) for item in items]
    assert ("due", soon.case.case_id) in kinds and ("overdue", overdue.case.case_id) in kinds
    assert ("awaiting_mexico", world.case.case_id) in kinds
    assert [kind for kind, _ in kinds] == sorted((kind for kind, _ in kinds), key=list(QueueKind).index)
    assert len([kind for kind, _ in kinds if kind == "due"]) == 1


def test_it_filters_by_kind_case_and_due_range(world: World) -> None:
    today = timezone.localdate()
    first = DeadlineFactory(due_date=today + dt.timedelta(days=1), case__case_id="us-mx-2024-alpha")
    DeadlineFactory(due_date=today + dt.timedelta(days=5), case__case_id="us-mx-2024-beta")

    by_case = queue(world, kind="due", case="alpha").data["results"]  # type: ignore[attr-defined]
    by_range = queue(world, kind="due", due_to=(today + dt.timedelta(days=2)).isoformat())

    assert [item["case_id"] for item in by_case] == [first.case.case_id]
    assert [item["case_id"] for item in by_range.data["results"]] == [first.case.case_id]  # type: ignore[attr-defined]


def test_it_answers_400_naming_the_valid_values_of_a_filter(world: World) -> None:
    response = queue(world, kind="everything", days="0")

    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.data  # type: ignore[attr-defined]
    assert all(kind in str(body["kind"]) for kind in QueueKind.values)
    assert "days" in body


def test_it_lists_remediation_actions_due_and_leaves_out_settled_plans(world: World) -> None:
    world.advance("remediation_in_progress")
    action = world.action()
    action.status, action.completed_on, action.due_on = "pending", None, timezone.localdate()
    action.save()

    due = [item for item in queue(world).data["results"] if item["kind"] == "actions"]  # type: ignore[attr-defined]
    world.plan().__class__.objects.filter(pk=world.plan().pk).update(status="completed")
    after = [item for item in queue(world).data["results"] if item["kind"] == "actions"]  # type: ignore[attr-defined]

    assert [item["case_id"] for item in due] == [world.case.case_id]
    assert after == []


def test_it_does_not_call_an_imported_case_overdue(world: World) -> None:
    DeadlineFactory(due_date=timezone.localdate() - dt.timedelta(days=2), case__record_basis="public_sources")

    kinds = {item["kind"] for item in queue(world).data["results"]}  # type: ignore[attr-defined]

    assert "overdue" not in kinds
    assert Deadline.objects.filter(status="open").count() == 1


def test_it_filters_by_the_officer_who_recorded_a_step_of_the_case(world: World) -> None:
    world.advance("ilc_review")  # the receipt is recorded by the world's officer
    DeadlineFactory(due_date=timezone.localdate(), case__case_id="us-mx-2024-nobody")

    mine = {item["case_id"] for item in queue(world, officer="officer").data["results"]}  # type: ignore[attr-defined]
    refused = queue(world, officer="stranger")

    assert mine == {world.case.case_id}
    assert refused.status_code == 400 and "officer" in str(refused.data["officer"])  # type: ignore[attr-defined]
