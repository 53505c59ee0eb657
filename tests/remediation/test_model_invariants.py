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


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        pytest.param(
            {"determination": "unclear", "determined_on": REQUESTED},
            "panel_determination_valid",
            id="determination_outside_the_vocabulary",
        ),
        pytest.param(
            {"constituted_on": DAY_BEFORE},
            "panel_constituted_after_request",
            id="constituted_before_the_request",
        ),
        pytest.param(
            {"constituted_on": dt.date(2024, 6, 10), "basics_confirmed_on": dt.date(2024, 6, 9)},
            "panel_confirmed_after_constitution",
            id="request_confirmed_before_constitution",
        ),
        pytest.param(
            {"determination": Panel.Determination.DENIAL, "determined_on": DAY_BEFORE},
            "panel_determined_after_request",
            id="determined_before_the_request",
        ),
        pytest.param(
            {"determination": Panel.Determination.NO_DENIAL},
            "panel_determination_dated",
            id="determination_without_its_date",
        ),
    ],
)
def test_it_refuses_an_impossible_panel(fields: dict[str, object], constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_panel(**fields)


def test_it_refuses_two_panels_with_the_same_secretariat_number() -> None:
    make_panel(secretariat_no="MEX-USA-2024-31A-01")
    with pytest.raises(IntegrityError, match="panel_unique_secretariat_no"):
        make_panel(secretariat_no="MEX-USA-2024-31A-01")


def test_it_allows_several_panels_without_a_secretariat_number() -> None:
    make_panel()
    make_panel()
    assert Panel.objects.filter(secretariat_no="").count() == 2


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        pytest.param(
            {"consented_on": DAY_BEFORE},
            "verification_consent_after_request",
            id="consent_before_the_request",
        ),
        pytest.param(
            {"visit_started_on": DAY_BEFORE},
            "verification_visit_after_request",
            id="visit_before_the_request",
        ),
        pytest.param(
            {"visit_started_on": dt.date(2024, 6, 10), "visit_ended_on": dt.date(2024, 6, 9)},
            "verification_visit_ordered",
            id="visit_ending_before_it_starts",
        ),
        pytest.param(
            {"refused": True, "visit_started_on": dt.date(2024, 6, 10)},
            "verification_refused_has_no_visit",
            id="visit_to_a_facility_that_refused",
        ),
    ],
)
def test_it_refuses_an_impossible_verification(fields: dict[str, object], constraint: str) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_verification(**fields)


def test_it_refuses_a_remedy_kind_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="remedy_kind_valid"):
        Remedy.objects.create(case=CaseFactory(), kind="embargo", imposed_on=REQUESTED)


def test_it_refuses_a_remedy_lifted_before_it_was_imposed() -> None:
    with pytest.raises(IntegrityError, match="remedy_lifted_after_imposed"):
        Remedy.objects.create(
            case=CaseFactory(), kind=Remedy.Kind.PENALTIES, imposed_on=REQUESTED, lifted_on=DAY_BEFORE
        )
