"""The sweep watches a remediation plan's end and each action's due date like a clock: due soon and overdue,
each threshold once, only while the plan is in progress and the action not done, only on staff-kept cases."""

import datetime as dt

import pytest
from django.test import override_settings

from remediation.models import RemediationAction, RemediationPlan
from rrm.choices import CaseRecordBasis
from rrm.models import Notification, WatchedDateAlert
from rrm.notifications import sweep
from tests.factories import CaseFactory, CaseWatchFactory, RemediationActionFactory, RemediationPlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lead_days")]

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def lead_days():
    with override_settings(RRM_DEADLINE_LEAD_DAYS=[7, 3, 1]):
        yield


def watched_plan(
    *, ends_in: int | None, record_basis: str = CaseRecordBasis.STAFF, **fields
) -> RemediationPlan:
    case = CaseFactory(record_basis=record_basis)
    CaseWatchFactory(case=case)
    ends_on = None if ends_in is None else TODAY + dt.timedelta(days=ends_in)
    return RemediationPlanFactory(
        case=case, agreed_on=TODAY - dt.timedelta(days=90), ends_on=ends_on, **fields
    )


def alerts(source: str) -> list[tuple[int, str, int]]:
    rows = WatchedDateAlert.objects.filter(source=source).order_by("id")
    return list(rows.values_list("row_id", "kind", "lead_days"))


def test_it_alerts_a_plan_ending_within_a_lead_once_with_one_email_per_watcher() -> None:
    plan = watched_plan(ends_in=3)

    first = sweep.sweep_deadlines(today=TODAY)
    second = sweep.sweep_deadlines(today=TODAY)

    assert alerts("remediation_plan_end") == [(plan.pk, "due_soon", 3)]
    assert (first.alerts_created, len(first.notification_ids), second.alerts_created) == (1, 1, 0)


def test_it_tells_the_watcher_which_plan_ends_and_when() -> None:
    plan = watched_plan(ends_in=-2, source_url="https://example.org/plan")

    sweep.sweep_deadlines(today=TODAY)

    payload = Notification.objects.get().payload
    assert (payload["event"], payload["plan_id"], payload["days_left"]) == ("deadline.overdue", plan.pk, -2)
    assert payload["rule"] == {
        "code": "remediation_plan_end",
        "name": "End of the remediation plan",
        "citation": "https://example.org/plan",
        "confidence": None,
        "unconfirmed": False,
    }
    assert payload["due_date"] == plan.ends_on.isoformat()


def test_it_walks_a_plan_end_through_every_threshold_exactly_once() -> None:
    plan = watched_plan(ends_in=7)

    for day in range(9):
        sweep.sweep_deadlines(today=TODAY + dt.timedelta(days=day))

    assert alerts("remediation_plan_end") == [
        (plan.pk, "due_soon", 7),
        (plan.pk, "due_soon", 3),
        (plan.pk, "due_soon", 1),
        (plan.pk, "overdue", 0),
    ]


@pytest.mark.parametrize(
    ("status", "record_basis", "ends_in"),
    [
        (RemediationPlan.Status.COMPLETED, CaseRecordBasis.STAFF, 1),
        (RemediationPlan.Status.FAILED, CaseRecordBasis.STAFF, -1),
        (RemediationPlan.Status.IN_PROGRESS, CaseRecordBasis.PUBLIC_SOURCES, 1),
        (RemediationPlan.Status.IN_PROGRESS, CaseRecordBasis.STAFF, 8),
        (RemediationPlan.Status.IN_PROGRESS, CaseRecordBasis.STAFF, None),
    ],
)
def test_it_ignores_plans_settled_on_public_cases_beyond_the_lead_or_without_an_end(
    status: str, record_basis: str, ends_in: int | None
) -> None:
    watched_plan(ends_in=ends_in, status=status, record_basis=record_basis)

    assert sweep.sweep_deadlines(today=TODAY).alerts_created == 0


@pytest.mark.parametrize(
    ("action_status", "plan_status", "alerted"),
    [
        (RemediationAction.Status.PENDING, RemediationPlan.Status.IN_PROGRESS, True),
        (RemediationAction.Status.IN_PROGRESS, RemediationPlan.Status.IN_PROGRESS, True),
        (RemediationAction.Status.DONE, RemediationPlan.Status.IN_PROGRESS, False),
        (RemediationAction.Status.NOT_DONE, RemediationPlan.Status.IN_PROGRESS, False),
        (RemediationAction.Status.PENDING, RemediationPlan.Status.COMPLETED, False),
    ],
)
def test_it_alerts_an_action_due_only_while_it_is_not_done_in_a_plan_in_progress(
    action_status: str, plan_status: str, alerted: bool
) -> None:
    plan = watched_plan(ends_in=None, status=plan_status)
    action = RemediationActionFactory(
        plan=plan, status=action_status, due_on=TODAY + dt.timedelta(days=1), completed_on=TODAY
    )

    sweep.sweep_deadlines(today=TODAY)

    assert alerts("remediation_action_due") == ([(action.pk, "due_soon", 1)] if alerted else [])


def test_it_names_the_action_due_in_the_alert() -> None:
    action = RemediationActionFactory(plan=watched_plan(ends_in=None), due_on=TODAY, kind="back_pay")

    sweep.sweep_deadlines(today=TODAY)

    payload = Notification.objects.get().payload
    assert (payload["rule"]["name"], payload["action_id"]) == ("Remediation action due: Back pay", action.pk)


def test_it_alerts_a_moved_plan_end_at_a_threshold_not_yet_alerted() -> None:
    plan = watched_plan(ends_in=1)
    sweep.sweep_deadlines(today=TODAY)
    RemediationPlan.objects.filter(pk=plan.pk).update(ends_on=TODAY + dt.timedelta(days=6))

    sweep.sweep_deadlines(today=TODAY)

    assert alerts("remediation_plan_end") == [(plan.pk, "due_soon", 1), (plan.pk, "due_soon", 7)]
