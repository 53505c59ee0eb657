"""What a checked row means for the record: the case's stage and fields, its timeline, its review stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.utils import translation

from importer.acts import MEXICO_ANSWER_KINDS, CaseWithEvents
from importer.format import CaseRow, EventRow
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm import services as rrm_services
from rrm.choices import EventKind, Initiation, Outcome, Stage
from rrm.models import Case
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


def case_fields(case: CaseWithEvents) -> rrm_services.CaseFields:
    """The row's cells under the case's field names, and the fields the row and its events imply."""
    row = case.row
    implied: dict[str, Any] = {
        "initiation": Initiation.SELF_INITIATED if row.self_initiated else Initiation.PETITION,
        "stage": stage_of(row),
        "liquidation_suspended_on": case.liquidation.suspended_on,
        "liquidation_resumed_on": case.liquidation.resumed_on,
        "record_basis": Case.RecordBasis.PUBLIC_SOURCES,
    }
    stated: dict[str, Any] = {name: getattr(row, name) for name in CASE_FIELDS if name not in implied}
    return rrm_services.CaseFields(**stated, **implied)


@dataclass(frozen=True)
class Provenance:
    """Where the facts of one file come from: its public source and the import tag of its line."""

    source_url: str
    source_note: str


def _wide_slot(
    column: str, kind: str, day: dt.date | None, description: str, source: Provenance, **data: str
) -> TimelineSlot | None:
    """The slot of a dated column that one event kind records; None where the column is blank."""
    if day is None:
        return None
    fact = DatedFact(kind=kind, occurred_on=day, description=description, data=data, **asdict(source))
    return TimelineSlot(column, family_of(kind), fact)


def family_of(kind: str) -> tuple[str, ...]:
    """The kinds a new fact of this kind corrects: Mexico's answers are one family, so that a changed
    answer corrects the earlier one instead of standing beside it; any other kind is its own."""
    return MEXICO_ANSWER_KINDS if kind in MEXICO_ANSWER_KINDS else (kind,)


# What the import writes as an event's description when its source gives no note of its own: a sentence
# that only restates the event's kind (and the outcome it announces). A page composes such an account anew
# in its reader's language (pages.events) instead of showing these English sentences.
RESTATED_KINDS: dict[str, str] = {
    EventKind.PETITION_RECEIVED: "Petition received.",
    EventKind.REQUEST_FOR_REVIEW: "Request for review sent to Mexico.",
    EventKind.REMEDIATION_AGREED: "Course of remediation agreed.",
    EventKind.PANEL_REQUESTED: "Rapid Response Labor Panel requested.",
}


def outcome_sentence(outcome: str) -> str:
    with translation.override("en"):
        return f"Outcome announced: {Outcome(outcome).label}."


def kind_sentence(kind: str) -> str:
    with translation.override("en"):
        return f"{EventKind(kind).label}."


def restates_its_facts(*, kind: str, description: str, data: dict[str, Any]) -> bool:
    """Whether an imported event's description is one the import wrote from the event's own facts."""
    return description in (
        RESTATED_KINDS.get(kind),
        kind_sentence(kind) if kind in EventKind.values else None,
        outcome_sentence(data["outcome"]) if data.get("outcome") in Outcome.values else None,
    )


def _wide_slots(row: CaseRow, source: Provenance) -> list[TimelineSlot | None]:
    answer_kind = {"accepted": EventKind.MEXICO_ACCEPTED, "declined": EventKind.MEXICO_DECLINED}
    reported = f"Mexico's response as reported: {row.mexico_response}"
    return [
        _wide_slot(
            "petition_date",
            EventKind.PETITION_RECEIVED,
            row.petition_received_on,
            RESTATED_KINDS[EventKind.PETITION_RECEIVED],
            source,
        ),
        _wide_slot(
            "ilc_request_for_review_date",
            EventKind.REQUEST_FOR_REVIEW,
            row.request_for_review_on,
            RESTATED_KINDS[EventKind.REQUEST_FOR_REVIEW],
            source,
        ),
        _wide_slot(
            "mexico_response_date",
            answer_kind.get(row.mexico_answer or "", ""),
            row.mexico_response_on if row.mexico_answer else None,
            reported,
            source,
            reported=row.mexico_response,
        ),
        _wide_slot(
            "remediation_agreed_date",
            EventKind.REMEDIATION_AGREED,
            row.remediation_agreed_on,
            RESTATED_KINDS[EventKind.REMEDIATION_AGREED],
            source,
        ),
        _wide_slot(
            "panel_request_date",
            EventKind.PANEL_REQUESTED,
            row.panel_requested_on,
            RESTATED_KINDS[EventKind.PANEL_REQUESTED],
            source,
        ),
        _wide_slot(
            "outcome_date",
            EventKind.OUTCOME_ANNOUNCED,
            row.outcome_date,
            outcome_sentence(row.outcome),
            source,
            outcome=row.outcome,
        ),
    ]


def event_slots(events: Sequence[EventRow], *, events_name: str, outcome: str) -> list[TimelineSlot]:
    """Each event as the fact it records, with its own source, basis, precision and note."""
    slots = []
    for event in events:
        fact = DatedFact(
            kind=event.kind,
            occurred_on=event.occurred_on,
            description=event.note or kind_sentence(event.kind),
            source_url=event.source_url,
            source_note=f"{rrm_services.IMPORT_NOTE_PREFIX} {events_name} line {event.line}",
            data={"outcome": outcome} if event.kind == EventKind.OUTCOME_ANNOUNCED else {},
            date_precision=event.date_precision,
            date_basis=event.date_basis,
        )
        slots.append(TimelineSlot(f"{events_name} line {event.line}", family_of(event.kind), fact))
    return slots


def wide_slots(case: CaseWithEvents, *, original: CaseRow, source: Provenance) -> list[TimelineSlot]:
    """The facts of the row's dated columns that no event supersedes."""
    slots = _wide_slots(original, source)
    return [slot for slot in slots if slot is not None and slot.name not in case.superseded]


def plan_status(row: CaseRow) -> str:
    stage = stage_of(row)
    if stage == Stage.RESOLVED:
        return RemediationPlan.Status.COMPLETED
    if stage == Stage.FACILITY_CLOSED:
        return RemediationPlan.Status.FACILITY_CLOSED
    return RemediationPlan.Status.IN_PROGRESS


MEXICO_RESPONSE = {"accepted": MexicoReview.Response.ACCEPTED, "declined": MexicoReview.Response.DECLINED}


# The panel's own finding, when the row's outcome is one; it is dated by the panel's determination event,
# else by the outcome date, and stays pending when neither gives a day (the determination needs one).
PANEL_DETERMINATION_OF_OUTCOME = {
    Outcome.PANEL_NO_DENIAL: Panel.Determination.NO_DENIAL,
    Outcome.PANEL_DENIAL_FOUND: Panel.Determination.DENIAL,
}


def panel_determination(case: CaseWithEvents) -> dict[str, Any]:
    determination = PANEL_DETERMINATION_OF_OUTCOME.get(Outcome(case.row.outcome))
    determined_on = case.panel_determined_on
    if determination is None or determined_on is None:
        return {}
    return {"determination": determination, "determined_on": determined_on}
