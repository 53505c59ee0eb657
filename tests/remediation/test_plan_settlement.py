"""The step that ends remediation settles the case's plans in progress (issue 14: complete_remediation
resolved the case but left its plan in progress)."""

import datetime as dt

import pytest

from remediation.models import RemediationPlan
from rrm import workflow
from rrm.choices import Stage
from tests.factories import CaseFactory, RemediationPlanFactory

pytestmark = pytest.mark.django_db

AGREED_ON = dt.date(2024, 5, 2)


def case_in_remediation_with_plans(*statuses: str) -> object:
    case = CaseFactory(stage=Stage.REMEDIATION_IN_PROGRESS)
    for offset, status in enumerate(statuses):
        RemediationPlanFactory(case=case, agreed_on=AGREED_ON + dt.timedelta(days=offset), status=status)
    return case


def plan_statuses(case: object) -> list[str]:
    return list(
        RemediationPlan.objects.filter(case=case).order_by("agreed_on").values_list("status", flat=True)
    )


def test_it_completes_every_plan_in_progress_when_remediation_completes() -> None:
    case = case_in_remediation_with_plans("in_progress", "in_progress", "failed")

    workflow.transition(case_id=case.case_id, action="complete_remediation", on=dt.date(2024, 9, 2))

    assert plan_statuses(case) == ["completed", "completed", "failed"]


def test_it_marks_the_plan_facility_closed_when_the_facility_closes() -> None:
    case = case_in_remediation_with_plans("in_progress")

    workflow.transition(case_id=case.case_id, action="facility_closes", on=dt.date(2024, 9, 2))

    assert plan_statuses(case) == ["facility_closed"]


def test_it_leaves_the_plan_in_progress_when_a_panel_is_requested() -> None:
    case = case_in_remediation_with_plans("in_progress")

    workflow.transition(case_id=case.case_id, action="request_panel", on=dt.date(2024, 9, 2))

    assert plan_statuses(case) == ["in_progress"]


def test_it_keeps_the_settlement_in_the_plans_history() -> None:
    case = case_in_remediation_with_plans("in_progress")

    workflow.transition(case_id=case.case_id, action="complete_remediation", on=dt.date(2024, 9, 2))

    plan = RemediationPlan.objects.get(case=case)
    assert [row.status for row in plan.history.order_by("history_date")] == ["in_progress", "completed"]
