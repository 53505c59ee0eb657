"""The database itself refuses impossible reviews, remediation plans, actions, panels and remedies.

Rows are written with `.objects.create`, which skips model validation, so only the PostgreSQL
constraints stand in the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from remediation.models import (
    MexicoReview,
    Panel,
    PanelVerification,
    RemediationAction,
    RemediationPlan,
    Remedy,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

REQUESTED = dt.date(2024, 5, 22)
DAY_BEFORE = dt.date(2024, 5, 21)


def make_review(**fields: object) -> MexicoReview:
    return MexicoReview.objects.create(case=CaseFactory(), requested_on=REQUESTED, **fields)


def make_plan(**fields: object) -> RemediationPlan:
    values: dict[str, object] = {"case": CaseFactory(), "agreed_on": REQUESTED, **fields}
    return RemediationPlan.objects.create(**values)


def make_action(**fields: object) -> RemediationAction:
    values: dict[str, object] = {"plan": make_plan(), "kind": RemediationAction.Kind.BACK_PAY, **fields}
    return RemediationAction.objects.create(**values)


def make_panel(**fields: object) -> Panel:
    return Panel.objects.create(case=CaseFactory(), requested_on=REQUESTED, **fields)


def make_verification(**fields: object) -> PanelVerification:
    return PanelVerification.objects.create(panel=make_panel(), requested_on=REQUESTED, **fields)


@pytest.mark.parametrize(
    ("field", "constraint"), [("response", "review_response_valid"), ("finding", "review_finding_valid")]
)
def test_it_refuses_a_review_value_outside_its_vocabulary(field: str, constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_review(**{"response": MexicoReview.Response.ACCEPTED, field: "perhaps"})


def test_it_refuses_mexicos_answer_dated_before_the_request() -> None:
    with pytest.raises(IntegrityError, match="review_response_after_request"):
        make_review(response=MexicoReview.Response.ACCEPTED, response_on=DAY_BEFORE)


def test_it_refuses_mexicos_finding_dated_before_the_request() -> None:
    with pytest.raises(IntegrityError, match="review_finding_after_request"):
        make_review(response=MexicoReview.Response.ACCEPTED, finding_on=DAY_BEFORE)


def test_it_refuses_a_finding_of_a_review_mexico_declined() -> None:
    with pytest.raises(IntegrityError, match="review_finding_needs_acceptance"):
        make_review(response=MexicoReview.Response.DECLINED, finding=MexicoReview.Finding.NO_DENIAL)


def test_it_refuses_a_second_review_of_one_case() -> None:
    review = make_review()
    with pytest.raises(IntegrityError, match="case_id"):
        MexicoReview.objects.create(case=review.case, requested_on=REQUESTED)


@pytest.mark.parametrize(
    ("field", "constraint"), [("status", "plan_status_valid"), ("kind", "plan_kind_valid")]
)
def test_it_refuses_a_plan_value_outside_its_vocabulary(field: str, constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_plan(**{field: "unknown"})


def test_it_refuses_a_remediation_plan_ending_before_it_was_agreed() -> None:
    with pytest.raises(IntegrityError, match="plan_ends_after_agreement"):
        make_plan(ends_on=DAY_BEFORE)


def test_it_refuses_two_plans_of_one_case_agreed_on_the_same_day() -> None:
    plan = make_plan()
    with pytest.raises(IntegrityError, match="plan_unique_per_case_date"):
        make_plan(case=plan.case)


@pytest.mark.parametrize(
    ("field", "constraint"), [("kind", "action_kind_valid"), ("status", "action_status_valid")]
)
def test_it_refuses_an_action_value_outside_its_vocabulary(field: str, constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_action(**{field: "unknown"})


def test_it_refuses_a_verified_action_without_its_verification_date() -> None:
    with pytest.raises(IntegrityError, match="action_verified_is_dated"):
        make_action(status=RemediationAction.Status.VERIFIED)


def test_it_refuses_an_action_verified_before_it_was_completed() -> None:
    with pytest.raises(IntegrityError, match="action_verified_after_completion"):
        make_action(completed_on=REQUESTED, verified_on=DAY_BEFORE)


def test_it_refuses_a_negative_amount_paid() -> None:
    with pytest.raises(IntegrityError, match="action_amount_not_negative"):
        make_action(amount_usd=-10)


def test_it_refuses_a_panel_determination_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="panel_determination_valid"):
        make_panel(determination="unclear", determined_on=REQUESTED)


def test_it_refuses_a_panel_constituted_before_it_was_requested() -> None:
    with pytest.raises(IntegrityError, match="panel_constituted_after_request"):
        make_panel(constituted_on=DAY_BEFORE)


def test_it_refuses_a_panel_confirming_the_request_before_it_was_constituted() -> None:
    with pytest.raises(IntegrityError, match="panel_confirmed_after_constitution"):
        make_panel(constituted_on=dt.date(2024, 6, 10), basics_confirmed_on=dt.date(2024, 6, 9))


def test_it_refuses_a_panel_determination_before_the_request() -> None:
    with pytest.raises(IntegrityError, match="panel_determined_after_request"):
        make_panel(determination=Panel.Determination.DENIAL, determined_on=DAY_BEFORE)


def test_it_refuses_a_panel_determination_without_its_date() -> None:
    with pytest.raises(IntegrityError, match="panel_determination_dated"):
        make_panel(determination=Panel.Determination.NO_DENIAL)


def test_it_refuses_two_panels_with_the_same_secretariat_number() -> None:
    make_panel(secretariat_no="MEX-USA-2024-31A-01")
    with pytest.raises(IntegrityError, match="panel_unique_secretariat_no"):
        make_panel(secretariat_no="MEX-USA-2024-31A-01")


def test_it_allows_several_panels_without_a_secretariat_number() -> None:
    make_panel()
    make_panel()
    assert Panel.objects.filter(secretariat_no="").count() == 2


def test_it_refuses_consent_to_a_verification_before_it_was_requested() -> None:
    with pytest.raises(IntegrityError, match="verification_consent_after_request"):
        make_verification(consented_on=DAY_BEFORE)


def test_it_refuses_a_visit_before_the_verification_was_requested() -> None:
    with pytest.raises(IntegrityError, match="verification_visit_after_request"):
        make_verification(visit_started_on=DAY_BEFORE)


def test_it_refuses_a_visit_that_ends_before_it_starts() -> None:
    with pytest.raises(IntegrityError, match="verification_visit_ordered"):
        make_verification(visit_started_on=dt.date(2024, 6, 10), visit_ended_on=dt.date(2024, 6, 9))


def test_it_refuses_a_visit_to_a_facility_whose_verification_was_refused() -> None:
    with pytest.raises(IntegrityError, match="verification_refused_has_no_visit"):
        make_verification(refused=True, visit_started_on=dt.date(2024, 6, 10))


def test_it_refuses_a_remedy_kind_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="remedy_kind_valid"):
        Remedy.objects.create(case=CaseFactory(), kind="embargo", imposed_on=REQUESTED)


def test_it_refuses_a_remedy_lifted_before_it_was_imposed() -> None:
    with pytest.raises(IntegrityError, match="remedy_lifted_after_imposed"):
        Remedy.objects.create(
            case=CaseFactory(), kind=Remedy.Kind.PENALTIES, imposed_on=REQUESTED, lifted_on=DAY_BEFORE
        )
