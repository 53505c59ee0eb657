"""Writes of what follows a request for review: Mexico's review, remediation plans and panels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from remediation.models import (
    MexicoReview,
    Panel,
    PanelVerification,
    RemediationAction,
    RemediationPlan,
    Remedy,
)
from rrm import step_dates, workflow
from rrm.errors import DomainError, InvalidDate, InvalidTransition
from rrm.models import Case
from rrm.services import ModelT, WriteResult, create_or_update, save_validated


def check_plan_not_before_request(*, case_id: str, agreed_on: dt.date, requested_on: dt.date | None) -> None:
    """A course of remediation follows Mexico's finding on a request (Annex 31-A; docs/mechanism.md).

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
    return create_or_update(MexicoReview, existing=review, values=values, case=case)[1]


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
    plan = _dated_or_only(list(RemediationPlan.objects.filter(case=case)), field="agreed_on", on=agreed_on)
    values = {"agreed_on": agreed_on, "kind": kind, "status": status, "source_url": source_url}
    return create_or_update(RemediationPlan, existing=plan, values=values, case=case)[1]


@transaction.atomic
def save_panel(
    *,
    case: Case,
    requested_on: dt.date,
    determination: str = Panel.Determination.PENDING,
    determined_on: dt.date | None = None,
) -> WriteResult:
    """The case's panel requested on that date, created or moved (the only one the case has)."""
    if case.request_for_review_on is not None and requested_on < case.request_for_review_on:
        raise InvalidDate(
            f"Case {case.case_id}: a panel requested on {requested_on} cannot precede "
            f"the request for review of {case.request_for_review_on}."
        )
    values = {"requested_on": requested_on, "determination": determination, "determined_on": determined_on}
    panel = _dated_or_only(list(Panel.objects.filter(case=case)), field="requested_on", on=requested_on)
    return create_or_update(Panel, existing=panel, values=values, case=case)[1]


def _dated_or_only(rows: list[ModelT], *, field: str, on: dt.date) -> ModelT | None:
    """The case's row of that date or, where it has none, its only row: the one whose date changed."""
    return next((row for row in rows if getattr(row, field) == on), rows[0] if len(rows) == 1 else None)


# --- Case-management API (issue 4) ------------------------------------------------------------------------
# Each write that is also a workflow step runs the step (rrm.workflow.transition: stage, date, timeline,
# deadlines) and the record together, in one transaction.


def _case(case_id: str) -> Case:
    return Case.objects.select_for_update().get(case_id=case_id)


def _refuse(case: Case, action: str) -> InvalidTransition:
    return InvalidTransition(
        case_id=case.case_id, stage=case.stage, action=action, allowed=workflow.allowed_actions(case)
    )


@transaction.atomic
def request_review(
    *, case_id: str, on: dt.date, description: str, source_url: str, user: User | AnonymousUser | None
) -> MexicoReview:
    """The request for review sent to Mexico; both of Mexico's clocks run from it."""
    result = workflow.transition(
        case_id=case_id,
        action="request_review",
        on=on,
        description=description,
        source_url=source_url,
        user=user,
    )
    return open_mexico_review(case=result.case, requested_on=on)


def open_mexico_review(*, case: Case, requested_on: dt.date) -> MexicoReview:
    review, created = MexicoReview.objects.get_or_create(case=case, defaults={"requested_on": requested_on})
    if not created and review.requested_on != requested_on:
        review.requested_on = requested_on
        review.save(update_fields=["requested_on", "updated_at"])
    return review


def _review_of(case: Case) -> MexicoReview:
    requested_on = case.request_for_review_on
    if requested_on is None:
        raise DomainError(f"Case {case.case_id} has no request for review; record the request first.")
    return open_mexico_review(case=case, requested_on=requested_on)


@dataclass(frozen=True)
class ReviewAnswer:
    """One kind of Mexico's answer on its review: the workflow step each of its values takes the case by,
    and the review's columns that keep the value, its date and Mexico's words."""

    steps: Mapping[str, str]
    value_column: str
    date_column: str
    text_column: str


MEXICO_RESPONSE = ReviewAnswer(
    steps={
        MexicoReview.Response.ACCEPTED: "mexico_accepts",
        MexicoReview.Response.DECLINED: "mexico_declines",
    },
    value_column="response",
    date_column="response_on",
    text_column="response_reported",
)
MEXICO_FINDING = ReviewAnswer(
    steps={
        MexicoReview.Finding.DENIAL: "finding_denial",
        MexicoReview.Finding.NO_DENIAL: "finding_no_denial",
        MexicoReview.Finding.REMEDIED: "finding_remedied",
    },
    value_column="finding",
    date_column="finding_on",
    text_column="findings",
)


class StepArguments(TypedDict):
    """What a step recorded by staff names besides its own details: the case, the date, the source, who."""

    case_id: str
    on: dt.date
    source_url: str
    user: User | AnonymousUser | None


@transaction.atomic
def record_mexico_response(*, response: str, reported: str, **step: Unpack[StepArguments]) -> MexicoReview:
    review = _record_answer(answer=MEXICO_RESPONSE, value=response, text=reported, **step)
    review.case.mexico_response = reported or review.get_response_display()
    review.case.save(update_fields=["mexico_response", "updated_at"])
    return review


@transaction.atomic
def record_mexico_finding(*, finding: str, findings: str, **step: Unpack[StepArguments]) -> MexicoReview:
    return _record_answer(answer=MEXICO_FINDING, value=finding, text=findings, **step)


def _record_answer(
    *, answer: ReviewAnswer, value: str, text: str, **step: Unpack[StepArguments]
) -> MexicoReview:
    """Move the case on Mexico's answer, then record the answer on the case's review."""
    result = workflow.transition(action=answer.steps[value], description=text, **step)
    review = _review_of(result.case)
    setattr(review, answer.value_column, value)
    setattr(review, answer.date_column, step["on"])
    setattr(review, answer.text_column, text)
    review.save()
    return review


@dataclass(frozen=True)
class RecordStep:
    """A workflow step taken by the first record of a kind (a plan, a remedy), with the record's fields
    that date and describe the step."""

    action: str
    date_field: str
    text_field: str


PLAN_AGREED = RecordStep(action="agree_remediation", date_field="agreed_on", text_field="summary")
REMEDY_IMPOSED = RecordStep(action="impose_remedies", date_field="imposed_on", text_field="description")


def _step_once(
    *, case_id: str, record: RecordStep, values: Mapping[str, Any], user: User | AnonymousUser | None
) -> Case:
    """The first plan or remedy moves the case on by its step; a further one, while the case stays where
    that step took it, is only dated."""
    action = record.action
    on: dt.date = values[record.date_field]
    case = _case(case_id)
    step = workflow.TRANSITIONS[action]
    if case.stage in step.sources:
        return workflow.transition(
            case_id=case.case_id,
            action=action,
            on=on,
            source_url=values.get("source_url", ""),
            description=values.get(record.text_field, ""),
            user=user,
        ).case
    if case.stage == step.target:
        step_dates.check_event_date(case=case, on=on)
        return case
    raise _refuse(case, action)


@transaction.atomic
def agree_plan(
    *, case_id: str, values: Mapping[str, Any], user: User | AnonymousUser | None
) -> RemediationPlan:
    """A course of remediation: the first one agreed moves the case to remediation in progress; a further
    plan (e.g. a USTR–company agreement) may be added while remediation is in progress."""
    case = _step_once(case_id=case_id, record=PLAN_AGREED, values=values, user=user)
    check_plan_not_before_request(
        case_id=case_id, agreed_on=values["agreed_on"], requested_on=case.request_for_review_on
    )
    return RemediationPlan.objects.create(case=case, **values)


@transaction.atomic
def update_plan(*, plan_id: int, values: Mapping[str, Any]) -> RemediationPlan:
    return save_validated(RemediationPlan.objects.select_for_update().get(pk=plan_id), values)


# The status a workflow step gives the case's plans still in progress.
PLAN_SETTLED_BY = {
    "complete_remediation": RemediationPlan.Status.COMPLETED,
    "facility_closes": RemediationPlan.Status.FACILITY_CLOSED,
}


def settle_plans(*, case: Case, action: str) -> list[RemediationPlan]:
    """The case's plans in progress take the status the step gives them; other steps leave them."""
    status = PLAN_SETTLED_BY.get(action)
    if status is None:
        return []
    plans = list(
        RemediationPlan.objects.select_for_update().filter(
            case=case, status=RemediationPlan.Status.IN_PROGRESS
        )
    )
    for plan in plans:
        plan.status = status
        plan.save(update_fields=["status", "updated_at"])
    return plans


def _settle_plans_after(*, action: str, result: workflow.TransitionResult, **signal: Any) -> None:
    settle_plans(case=result.case, action=action)


def follow_workflow_steps() -> None:
    """Settle plans with the step that ends remediation, however it is recorded (API, pages, admin)."""
    workflow.step_taken.connect(_settle_plans_after, dispatch_uid="remediation.settle_plans")


@transaction.atomic
def add_action(*, plan_id: int, values: Mapping[str, Any]) -> RemediationAction:
    return save_validated(RemediationAction(plan=RemediationPlan.objects.get(pk=plan_id)), values)


@transaction.atomic
def update_action(*, action_id: int, values: Mapping[str, Any]) -> RemediationAction:
    """Progress of an action; `verified` is reached only through verify_action."""
    action = RemediationAction.objects.select_for_update().get(pk=action_id)
    if action.status == RemediationAction.Status.VERIFIED:
        raise DomainError(
            f"Action {action.pk} was verified on {action.verified_on}; a verified action stays as it is."
        )
    status = values.get("status", action.status)
    if status == RemediationAction.Status.DONE and values.get("completed_on", action.completed_on) is None:
        raise ValidationError({"completed_on": ["Give the date the action was done."]})
    return save_validated(action, values)


@transaction.atomic
def verify_action(*, action_id: int, verified_on: dt.date, verified_by: str, notes: str) -> RemediationAction:
    action = RemediationAction.objects.select_for_update().get(pk=action_id)
    if action.status != RemediationAction.Status.DONE:
        raise DomainError(
            f"Action {action.pk} is '{action.status}': only an action marked done can be verified."
        )
    if action.completed_on is not None and verified_on < action.completed_on:
        raise InvalidDate(f"Verified on {verified_on}, before the action was done ({action.completed_on}).")
    if verified_on > timezone.localdate():
        raise InvalidDate(f"{verified_on} is in the future.")
    action.status = RemediationAction.Status.VERIFIED
    action.verified_on = verified_on
    action.verified_by = verified_by
    action.verification_notes = notes
    action.save()
    return action


@transaction.atomic
def request_panel_for_case(
    *, case_id: str, on: dt.date, secretariat_no: str, source_url: str, user: User | AnonymousUser | None
) -> Panel:
    result = workflow.transition(
        case_id=case_id, action="request_panel", on=on, source_url=source_url, user=user
    )
    return Panel.objects.create(case=result.case, requested_on=on, secretariat_no=secretariat_no)


class PanelStep(models.TextChoices):
    CONSTITUTED = "constituted", "Panel constituted"
    BASICS_CONFIRMED = "basics_confirmed", "Panel confirmed the request"
    VERIFICATION = "verification", "Verification requested or carried out"
    DETERMINATION = "determination", "Panel determination"


@transaction.atomic
def record_panel_step(
    *,
    panel_id: int,
    step: str,
    on: dt.date,
    determination: str = "",
    report_url: str = "",
    findings: str = "",
    user: User | AnonymousUser | None,
) -> Panel:
    """One step of the panel on `on`, with the determination, its report and findings where the step has
    them."""
    panel = Panel.objects.select_for_update().select_related("case").get(pk=panel_id)
    action = _panel_action(step=PanelStep(step), determination=determination)
    workflow.transition(
        case_id=panel.case.case_id,
        action=action,
        on=on,
        description=findings,
        source_url=report_url,
        user=user,
    )
    if step == PanelStep.CONSTITUTED:
        dated: dict[str, Any] = {"constituted_on": on}
    elif step == PanelStep.BASICS_CONFIRMED:
        dated = {"basics_confirmed_on": on}
    elif step == PanelStep.VERIFICATION:
        PanelVerification.objects.create(panel=panel, requested_on=on, findings=findings)
        dated = {}
    else:
        dated = {"determination": determination, "determined_on": on, "report_url": report_url}
    return save_validated(panel, dated)


# The workflow step each panel step takes the case by; a determination's step is its finding's.
PANEL_STEP_ACTIONS = {
    PanelStep.CONSTITUTED: "constitute_panel",
    PanelStep.BASICS_CONFIRMED: "confirm_panel_basics",
    PanelStep.VERIFICATION: "record_verification",
}
PANEL_DETERMINATION_ACTIONS = {
    Panel.Determination.DENIAL: "panel_finds_denial",
    Panel.Determination.NO_DENIAL: "panel_finds_no_denial",
}


def _panel_action(*, step: PanelStep, determination: str) -> str:
    if step != PanelStep.DETERMINATION:
        return PANEL_STEP_ACTIONS[step]
    if determination not in PANEL_DETERMINATION_ACTIONS:
        raise ValidationError({"determination": ["Give the panel's determination: denial or no_denial."]})
    return PANEL_DETERMINATION_ACTIONS[Panel.Determination(determination)]


@transaction.atomic
def impose_remedy(*, case_id: str, values: Mapping[str, Any], user: User | AnonymousUser | None) -> Remedy:
    """A remedy after a panel found a denial (19 U.S.C. §4693); the first puts remedies in force."""
    case = _step_once(case_id=case_id, record=REMEDY_IMPOSED, values=values, user=user)
    panel = values.get("panel")
    if panel is not None and panel.case_id != case.pk:
        raise ValidationError({"panel": [f"Panel {panel.pk} is not a panel of case {case.case_id}."]})
    return save_validated(Remedy(case=case), values)


@transaction.atomic
def update_remedy(*, remedy_id: int, values: Mapping[str, Any]) -> Remedy:
    return save_validated(Remedy.objects.select_for_update().get(pk=remedy_id), values)
