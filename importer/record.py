"""What a checked row means for the record: the case's stage and fields, its timeline, its review stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from importer.format import CaseRow
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm import services as rrm_services
from rrm.choices import Annex, EventKind, Initiation, Outcome, Stage
from rrm.services import DatedFact, TimelineSlot

CASE_FIELDS = tuple(field.name for field in fields(rrm_services.CaseFields))

# The stage a case is in once its outcome is known: the outcomes of docs/mechanism.md ("Outcomes") onto
# the stages of docs/workflow.md. This is the only place the import decides a stage; an 'open' case
# takes the stage of the last milestone its row confirms (open_stage below).
STAGE_OF_OUTCOME: dict[str, str] = {
    Outcome.ILC_DECLINED: Stage.ILC_DECLINED,
    Outcome.RESOLVED_WITHOUT_REQUEST: Stage.CLOSED_WITHOUT_REQUEST,
    Outcome.WITHDRAWN: Stage.WITHDRAWN,
    Outcome.MEXICO_DECLINED_REVIEW: Stage.MEXICO_DECLINED,
    Outcome.MEXICO_FOUND_NO_DENIAL_CLOSED: Stage.RESOLVED,
    Outcome.REMEDIED_DURING_REVIEW: Stage.RESOLVED,
    Outcome.RESOLVED_COMPANY_AGREEMENT: Stage.RESOLVED,
    Outcome.RESOLVED_FACILITY_ACTIONS: Stage.RESOLVED,
    Outcome.COURSE_OF_REMEDIATION_COMPLETED: Stage.RESOLVED,
    Outcome.FACILITY_CLOSED: Stage.FACILITY_CLOSED,
    Outcome.PANEL_NO_DENIAL: Stage.CLOSED_PANEL_NO_DENIAL,
    Outcome.PANEL_DENIAL_FOUND: Stage.REMEDIES_CONSIDERED,
    Outcome.PANEL_PENDING: Stage.PANEL_REQUESTED,
}


def open_stage(row: CaseRow) -> str:
    """Stage of a case with no known outcome: the last milestone its row confirms."""
    if row.panel_requested_on is not None:
        return Stage.PANEL_REQUESTED
    if row.remediation_agreed_on is not None:
        return Stage.REMEDIATION_IN_PROGRESS
    if row.request_for_review_on is not None:
        answered = {"accepted": Stage.MEXICO_REVIEW, "declined": Stage.MEXICO_DECLINED}
        return answered.get(row.mexico_answer or "", Stage.REQUEST_SENT)
    if row.petition_received_on is not None:
        return Stage.ILC_REVIEW
    return Stage.SUBMITTED


def stage_of(row: CaseRow) -> str:
    return open_stage(row) if row.outcome == Outcome.OPEN else STAGE_OF_OUTCOME[row.outcome]


def liquidation_suspended_on(row: CaseRow) -> dt.date | None:
    """USTR directs Treasury to suspend liquidation the day it sends a 31-A request (docs/mechanism.md,
    "The stages and their clocks", row 2)."""
    return row.request_for_review_on if row.annex == Annex.A31 else None


def case_fields(row: CaseRow) -> rrm_services.CaseFields:
    """The row's cells under the case's field names, and the fields the row implies."""
    implied: dict[str, Any] = {
        "initiation": Initiation.SELF_INITIATED if row.self_initiated else Initiation.PETITION,
        "stage": stage_of(row),
        "liquidation_suspended_on": liquidation_suspended_on(row),
    }
    stated: dict[str, Any] = {name: getattr(row, name) for name in CASE_FIELDS if name not in implied}
    return rrm_services.CaseFields(**stated, **implied)


def _fact(kind: str, day: dt.date | None, description: str, **data: str) -> DatedFact | None:
    return None if day is None else DatedFact(kind=kind, occurred_on=day, description=description, data=data)


def _slot(column: str, kind: str, day: dt.date | None, description: str, **data: str) -> TimelineSlot:
    """The slot of a dated column that one event kind records."""
    return TimelineSlot(column, (kind,), _fact(kind, day, description, **data))


def _mexico_response_slot(row: CaseRow) -> TimelineSlot:
    """Mexico's answer is one slot of two kinds, so that a changed answer corrects the earlier event."""
    answer_kind = {"accepted": EventKind.MEXICO_ACCEPTED, "declined": EventKind.MEXICO_DECLINED}
    kind = answer_kind.get(row.mexico_answer or "")
    reported = f"Mexico's response as reported: {row.mexico_response}"
    fact = (
        None if kind is None else _fact(kind, row.mexico_response_on, reported, reported=row.mexico_response)
    )
    return TimelineSlot("mexico_response_date", (EventKind.MEXICO_ACCEPTED, EventKind.MEXICO_DECLINED), fact)


def timeline_slots(row: CaseRow) -> list[TimelineSlot]:
    """Each dated column of the row as the timeline event it records, or None where it is blank."""
    return [
        _slot("petition_date", EventKind.PETITION_RECEIVED, row.petition_received_on, "Petition received."),
        _slot(
            "ilc_request_for_review_date",
            EventKind.REQUEST_FOR_REVIEW,
            row.request_for_review_on,
            "Request for review sent to Mexico.",
        ),
        _slot(
            "liquidation suspension (31-A request date)",
            EventKind.LIQUIDATION_SUSPENDED,
            liquidation_suspended_on(row),
            "USTR directs suspension of liquidation on the day of the request.",
        ),
        _mexico_response_slot(row),
        _slot(
            "remediation_agreed_date",
            EventKind.REMEDIATION_AGREED,
            row.remediation_agreed_on,
            "Course of remediation agreed.",
        ),
        _slot(
            "panel_request_date",
            EventKind.PANEL_REQUESTED,
            row.panel_requested_on,
            "Rapid Response Labor Panel requested.",
        ),
        _slot(
            "outcome_date",
            EventKind.OUTCOME_ANNOUNCED,
            row.outcome_date,
            f"Outcome announced: {Outcome(row.outcome).label}.",
            outcome=row.outcome,
        ),
    ]


def plan_status(row: CaseRow) -> str:
    stage = stage_of(row)
    if stage == Stage.RESOLVED:
        return RemediationPlan.Status.COMPLETED
    if stage == Stage.FACILITY_CLOSED:
        return RemediationPlan.Status.FACILITY_CLOSED
    return RemediationPlan.Status.IN_PROGRESS


MEXICO_RESPONSE = {"accepted": MexicoReview.Response.ACCEPTED, "declined": MexicoReview.Response.DECLINED}


# The panel's own finding, when the row's outcome is one; it is dated by the outcome date, and stays
# pending when the row gives none (the determination needs a date).
PANEL_DETERMINATION_OF_OUTCOME = {
    Outcome.PANEL_NO_DENIAL: Panel.Determination.NO_DENIAL,
    Outcome.PANEL_DENIAL_FOUND: Panel.Determination.DENIAL,
}


def panel_determination(row: CaseRow) -> dict[str, Any]:
    determination = PANEL_DETERMINATION_OF_OUTCOME.get(Outcome(row.outcome))
    if determination is None or row.outcome_date is None:
        return {}
    return {"determination": determination, "determined_on": row.outcome_date}
