"""The database itself refuses impossible reviews, remediation plans, actions, panels and remedies.

Rows are written with `.objects.create`, which skips model validation, so only the PostgreSQL
constraints stand in the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from remediation import models
from tests.factories import CaseFactory
from tests.refusals import Refusal, constraint_refusals_test

pytestmark = pytest.mark.django_db

REQUESTED = dt.date(2024, 5, 22)
DAY_BEFORE = dt.date(2024, 5, 21)
DAY_AFTER = dt.date(2024, 5, 23)


def make_review(**fields: object) -> models.MexicoReview:
    return models.MexicoReview.objects.create(case=CaseFactory(), requested_on=REQUESTED, **fields)


def make_plan(**fields: object) -> models.RemediationPlan:
    values: dict[str, object] = {"case": CaseFactory(), "agreed_on": REQUESTED, **fields}
    return models.RemediationPlan.objects.create(**values)


def make_action(**fields: object) -> models.RemediationAction:
    values: dict[str, object] = {
        "plan": make_plan(),
        "kind": models.RemediationAction.Kind.BACK_PAY,
        **fields,
    }
    return models.RemediationAction.objects.create(**values)


def make_panel(**fields: object) -> models.Panel:
    return models.Panel.objects.create(case=CaseFactory(), requested_on=REQUESTED, **fields)


def make_verification(**fields: object) -> models.PanelVerification:
    return models.PanelVerification.objects.create(panel=make_panel(), requested_on=REQUESTED, **fields)


def make_remedy(**fields: object) -> models.Remedy:
    values: dict[str, object] = {
        "case": CaseFactory(),
        "kind": models.Remedy.Kind.PENALTIES,
        "imposed_on": REQUESTED,
        **fields,
    }
    return models.Remedy.objects.create(**values)


REFUSED: list[Refusal] = [
    (make_review, {"response": "perhaps"}, "review_response_valid"),
    (make_review, {"response": "accepted", "finding": "perhaps"}, "review_finding_valid"),
    (make_review, {"response": "accepted", "response_on": DAY_BEFORE}, "review_response_after_request"),
    (make_review, {"response": "accepted", "finding_on": DAY_BEFORE}, "review_finding_after_request"),
    (make_review, {"response": "declined", "finding": "no_denial"}, "review_finding_needs_acceptance"),
    (make_plan, {"status": "unknown"}, "plan_status_valid"),
    (make_plan, {"kind": "unknown"}, "plan_kind_valid"),
    (make_plan, {"ends_on": DAY_BEFORE}, "plan_ends_after_agreement"),
    (make_action, {"kind": "unknown"}, "action_kind_valid"),
    (make_action, {"status": "unknown"}, "action_status_valid"),
    (make_action, {"status": "verified"}, "action_verified_is_dated"),
    (make_action, {"completed_on": REQUESTED, "verified_on": DAY_BEFORE}, "action_verified_after_completion"),
    (make_action, {"amount_usd": -10}, "action_amount_not_negative"),
    (make_panel, {"determination": "unclear", "determined_on": REQUESTED}, "panel_determination_valid"),
    (make_panel, {"constituted_on": DAY_BEFORE}, "panel_constituted_after_request"),
    (
        make_panel,
        {"constituted_on": DAY_AFTER, "basics_confirmed_on": REQUESTED},
        "panel_confirmed_after_constitution",
    ),
    (make_panel, {"determination": "denial", "determined_on": DAY_BEFORE}, "panel_determined_after_request"),
    (make_panel, {"determination": "no_denial"}, "panel_determination_dated"),
    (make_verification, {"consented_on": DAY_BEFORE}, "verification_consent_after_request"),
    (make_verification, {"visit_started_on": DAY_BEFORE}, "verification_visit_after_request"),
    (
        make_verification,
        {"visit_started_on": DAY_AFTER, "visit_ended_on": REQUESTED},
        "verification_visit_ordered",
    ),
    (
        make_verification,
        {"refused": True, "visit_started_on": DAY_AFTER},
        "verification_refused_has_no_visit",
    ),
    (make_remedy, {"kind": "embargo"}, "remedy_kind_valid"),
    (make_remedy, {"lifted_on": DAY_BEFORE}, "remedy_lifted_after_imposed"),
]
test_it_refuses_a_row_its_constraints_forbid = constraint_refusals_test(REFUSED)


def test_it_refuses_a_second_review_of_one_case() -> None:
    review = make_review()
    with pytest.raises(IntegrityError, match="case_id"):
        models.MexicoReview.objects.create(case=review.case, requested_on=REQUESTED)


def test_it_refuses_two_plans_of_one_case_agreed_on_the_same_day() -> None:
    plan = make_plan()
    with pytest.raises(IntegrityError, match="plan_unique_per_case_date"):
        make_plan(case=plan.case)


def test_it_refuses_two_panels_with_the_same_secretariat_number() -> None:
    make_panel(secretariat_no="MEX-USA-2024-31A-01")
    with pytest.raises(IntegrityError, match="panel_unique_secretariat_no"):
        make_panel(secretariat_no="MEX-USA-2024-31A-01")


def test_it_allows_several_panels_without_a_secretariat_number() -> None:
    make_panel()
    make_panel()
    assert models.Panel.objects.filter(secretariat_no="").count() == 2
