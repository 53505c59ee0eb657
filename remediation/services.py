"""Writes of what follows a request for review: Mexico's review, remediation plans and panels."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm.errors import InvalidDate
from rrm.models import Case
from rrm.services import WriteResult, apply_changes


def check_plan_not_before_request(*, case_id: str, agreed_on: dt.date, requested_on: dt.date | None) -> None:
    """A course of remediation follows Mexico's finding on a request (Annex 31-A; process.md §4 rows 4-6).

    An unknown request date cannot be checked and is let through.
    """
    if requested_on is not None and agreed_on < requested_on:
        raise InvalidDate(
            f"Case {case_id}: a remediation plan agreed on {agreed_on} cannot precede "
            f"the request for review of {requested_on}."
        )


@transaction.atomic
def save_mexico_review(
    *,
    case: Case,
    requested_on: dt.date,
    response: str,
    response_on: dt.date | None,
    response_reported: str,
) -> WriteResult:
    """The case's review by Mexico, created or brought up to date; the finding is left as it is."""
    if response_on is not None and response_on < requested_on:
        raise InvalidDate(
            f"Case {case.case_id}: Mexico's response of {response_on} cannot precede "
            f"the request for review of {requested_on}."
        )
    values = {
        "requested_on": requested_on,
        "response": response,
        "response_on": response_on,
        "response_reported": response_reported,
    }
    review = MexicoReview.objects.filter(case=case).first()
    if review is None:
        MexicoReview.objects.create(case=case, **values)
        return WriteResult.CREATED
    return WriteResult.UPDATED if apply_changes(review, values) else WriteResult.UNCHANGED


@transaction.atomic
def save_remediation_plan(
    *, case: Case, agreed_on: dt.date, kind: str, status: str, source_url: str
) -> WriteResult:
    """The case's plan agreed on that date, created or brought up to date.

    Refuses (InvalidDate) a plan agreed before the case's request for review. When the case has no
    plan of that date but exactly one plan, that plan is the one whose date changed and it is moved.
    """
    check_plan_not_before_request(
        case_id=case.case_id, agreed_on=agreed_on, requested_on=case.request_for_review_on
    )
    plans = list(RemediationPlan.objects.filter(case=case))
    plan = next((p for p in plans if p.agreed_on == agreed_on), plans[0] if len(plans) == 1 else None)
    values = {"agreed_on": agreed_on, "kind": kind, "status": status, "source_url": source_url}
    if plan is None:
        RemediationPlan.objects.create(case=case, **values)
        return WriteResult.CREATED
    return WriteResult.UPDATED if apply_changes(plan, values) else WriteResult.UNCHANGED


@transaction.atomic
def save_panel(*, case: Case, requested_on: dt.date) -> WriteResult:
    """The case's panel requested on that date, created or moved (the only one the case has)."""
    if case.request_for_review_on is not None and requested_on < case.request_for_review_on:
        raise InvalidDate(
            f"Case {case.case_id}: a panel requested on {requested_on} cannot precede "
            f"the request for review of {case.request_for_review_on}."
        )
    panels = list(Panel.objects.filter(case=case))
    panel = next(
        (p for p in panels if p.requested_on == requested_on), panels[0] if len(panels) == 1 else None
    )
    if panel is None:
        Panel.objects.create(case=case, requested_on=requested_on)
        return WriteResult.CREATED
    return (
        WriteResult.UPDATED if apply_changes(panel, {"requested_on": requested_on}) else WriteResult.UNCHANGED
    )
