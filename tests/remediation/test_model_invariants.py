"""The database itself refuses impossible reviews, remediation plans, actions, panels and remedies.

Rows are written with `.objects.create`, which skips model validation, so only the PostgreSQL
constraints stand in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError

from remediation import models
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

REQUESTED = dt.date(2024, 5, 22)
DAY_BEFORE = dt.date(2024, 5, 21)
ACCEPTED = models.MexicoReview.Response.ACCEPTED


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


@pytest.mark.parametrize(
    ("make", "fields", "constraint"),
    [
        pytest.param(make_review, {"response": "perhaps"}, "review_response_valid", id="review_response"),
        pytest.param(
            make_review,
            {"response": ACCEPTED, "finding": "perhaps"},
            "review_finding_valid",
            id="review_finding",
        ),
        pytest.param(
            make_review,
            {"response": ACCEPTED, "response_on": DAY_BEFORE},
            "review_response_after_request",
            id="mexicos_answer_dated_before_the_request",
        ),
        pytest.param(
            make_review,
            {"response": ACCEPTED, "finding_on": DAY_BEFORE},
            "review_finding_after_request",
            id="mexicos_finding_dated_before_the_request",
        ),
        pytest.param(
            make_review,
            {
                "response": models.MexicoReview.Response.DECLINED,
                "finding": models.MexicoReview.Finding.NO_DENIAL,
            },
            "review_finding_needs_acceptance",
            id="finding_of_a_review_mexico_declined",
        ),
        pytest.param(make_plan, {"status": "unknown"}, "plan_status_valid", id="plan_status"),
        pytest.param(make_plan, {"kind": "unknown"}, "plan_kind_valid", id="plan_kind"),
        pytest.param(
            make_plan, {"ends_on": DAY_BEFORE}, "plan_ends_after_agreement", id="plan_ending_before_agreement"
        ),
        pytest.param(make_action, {"kind": "unknown"}, "action_kind_valid", id="action_kind"),
        pytest.param(make_action, {"status": "unknown"}, "action_status_valid", id="action_status"),
        pytest.param(
            make_action,
            {"status": models.RemediationAction.Status.VERIFIED},
            "action_verified_is_dated",
            id="verified_action_without_its_verification_date",
        ),
        pytest.param(
            make_action,
            {"completed_on": REQUESTED, "verified_on": DAY_BEFORE},
            "action_verified_after_completion",
            id="action_verified_before_it_was_completed",
        ),
        pytest.param(
            make_action, {"amount_usd": -10}, "action_amount_not_negative", id="negative_amount_paid"
        ),
        pytest.param(
            make_panel,
            {"determination": "unclear", "determined_on": REQUESTED},
            "panel_determination_valid",
            id="panel_determination",
        ),
        pytest.param(
            make_panel,
            {"constituted_on": DAY_BEFORE},
            "panel_constituted_after_request",
            id="panel_constituted_before_the_request",
        ),
        pytest.param(
            make_panel,
            {"constituted_on": dt.date(2024, 6, 10), "basics_confirmed_on": dt.date(2024, 6, 9)},
            "panel_confirmed_after_constitution",
            id="panel_request_confirmed_before_constitution",
        ),
        pytest.param(
            make_panel,
            {"determination": models.Panel.Determination.DENIAL, "determined_on": DAY_BEFORE},
            "panel_determined_after_request",
            id="panel_determined_before_the_request",
        ),
        pytest.param(
            make_panel,
            {"determination": models.Panel.Determination.NO_DENIAL},
            "panel_determination_dated",
            id="panel_determination_without_its_date",
        ),
        pytest.param(
            make_verification,
            {"consented_on": DAY_BEFORE},
            "verification_consent_after_request",
            id="verification_consent_before_the_request",
        ),
        pytest.param(
            make_verification,
            {"visit_started_on": DAY_BEFORE},
            "verification_visit_after_request",
            id="verification_visit_before_the_request",
        ),
        pytest.param(
            make_verification,
            {"visit_started_on": dt.date(2024, 6, 10), "visit_ended_on": dt.date(2024, 6, 9)},
            "verification_visit_ordered",
            id="verification_visit_ending_before_it_starts",
        ),
        pytest.param(
            make_verification,
            {"refused": True, "visit_started_on": dt.date(2024, 6, 10)},
            "verification_refused_has_no_visit",
            id="visit_to_a_facility_that_refused",
        ),
        pytest.param(make_remedy, {"kind": "embargo"}, "remedy_kind_valid", id="remedy_kind"),
        pytest.param(
            make_remedy,
            {"lifted_on": DAY_BEFORE},
            "remedy_lifted_after_imposed",
            id="remedy_lifted_before_imposed",
        ),
    ],
)
def test_it_refuses_a_row_its_constraints_forbid(
    make: Callable[..., object], fields: dict[str, object], constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make(**fields)


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
