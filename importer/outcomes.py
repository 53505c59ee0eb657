"""What remediation achieved, as rows: a vote, reinstatement or payment for each event of those kinds, and
the wide row's back pay and workers covered as a payment and a worker count (docs/import_cases.md).

The imported rows of a case (source_note "import: ...") are made to be exactly the ones its files
state: a row already there is kept untouched, one no longer stated is deleted, a new one created. Rows
staff enter (without the import note) are never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from importer.acts import CaseWithEvents
from importer.format import CaseRow, EventRow
from importer.outcome_notes import covered_count, read_vote, reinstated_workers, stated_amounts
from importer.record import kind_sentence
from remediation.models import Payment, Reinstatement, UnionVote, WorkerCount
from rrm.choices import EventKind
from rrm.models import Case, TimelineEvent
from rrm.selectors import effective_event_rows
from rrm.services import IMPORT_NOTE_PREFIX, save_validated

if TYPE_CHECKING:
    from importer.writing import Sources

OUTCOME_KINDS = (EventKind.UNION_VOTE, EventKind.REINSTATEMENT, EventKind.BACKPAY_PAID)
OutcomeModel = type[UnionVote] | type[Reinstatement] | type[Payment] | type[WorkerCount]
OUTCOME_MODELS: tuple[OutcomeModel, ...] = (UnionVote, Reinstatement, Payment, WorkerCount)


@dataclass(frozen=True)
class Wanted:
    """One row the files state: its model and every value the import sets."""

    model: OutcomeModel
    values: dict[str, Any]


def _stated_by(event: EventRow, recorded: TimelineEvent | None, *, events_name: str) -> dict[str, Any]:
    """The values every row of an event shares: its date, basis, source, note and timeline event."""
    note = f"{IMPORT_NOTE_PREFIX} {events_name} line {event.line}"
    return {
        "event_id": recorded.pk if recorded is not None else None,
        "occurred_on": event.occurred_on,
        "date_precision": event.date_precision,
        "date_basis": event.date_basis,
        "source_url": event.source_url,
        "source_note": recorded.source_note if recorded is not None else note,
        "note": event.note,
    }


def _undated(row: CaseRow, column: str, *, cases_name: str, note: str) -> dict[str, Any]:
    """The values of a row from a cell of the wide row, which gives no date."""
    return {
        "event_id": None,
        "occurred_on": None,
        "date_precision": TimelineEvent.Precision.DAY,
        "date_basis": "",
        "source_url": row.source_url,
        "source_note": f"{IMPORT_NOTE_PREFIX} {cases_name} line {row.line} ({column})",
        "note": note,
    }


def _of_event(event: EventRow, shared: dict[str, Any]) -> list[Wanted]:
    if event.kind == EventKind.UNION_VOTE:
        vote = read_vote(event.note)
        values = {
            "kind": vote.kind,
            "result": event.note,
            "winning_union": vote.winning_union,
            "votes_for": vote.votes_for,
            "votes_against": vote.votes_against,
            "eligible": vote.eligible,
        }
        return [Wanted(UnionVote, {**shared, **values, "note": ""})]
    if event.kind == EventKind.REINSTATEMENT:
        return [Wanted(Reinstatement, {**shared, "workers": reinstated_workers(event.note)})]
    amounts = stated_amounts(event.note)
    if not amounts:
        unstated = {"kind": Payment.Kind.BACK_PAY, "amount": None, "currency": "", "is_floor": False}
        return [Wanted(Payment, {**shared, **unstated})]
    return [
        Wanted(
            Payment,
            {**shared, "kind": a.kind, "amount": a.amount, "currency": a.currency, "is_floor": a.is_floor},
        )
        for a in amounts
    ]


def _of_wide_row(row: CaseRow, stated: Sequence[Wanted], *, cases_name: str) -> list[Wanted]:
    """The back pay, unless an event states a payment of the same amount in dollars, and the workers
    covered, each as a row of its own."""
    wanted = []
    paid_in_events = {
        w.values["amount"] for w in stated if w.model is Payment and w.values["currency"] == "USD"
    }
    if row.backpay_usd is not None and row.backpay_usd not in paid_in_events:
        in_notes = [
            a for a in stated_amounts(row.notes) if (a.amount, a.currency) == (row.backpay_usd, "USD")
        ]
        values = {
            "kind": in_notes[0].kind if in_notes else Payment.Kind.BACK_PAY,
            "amount": row.backpay_usd,
            "currency": "USD",
            "is_floor": row.backpay_is_floor,
        }
        note = in_notes[0].clause if in_notes else ""
        wanted.append(
            Wanted(Payment, {**_undated(row, "backpay_usd", cases_name=cases_name, note=note), **values})
        )
    if row.workers_covered is not None:
        count = covered_count(row.notes, row.workers_covered)
        values = {
            "count": row.workers_covered,
            "subject": WorkerCount.Subject.COVERED,
            "qualifier": count.qualifier,
        }
        shared = _undated(row, "workers_covered", cases_name=cases_name, note=count.clause)
        wanted.append(Wanted(WorkerCount, {**shared, **values}))
    return wanted


def _recorded_events(case: Case) -> list[TimelineEvent]:
    return list(
        effective_event_rows(case=case).filter(
            kind__in=OUTCOME_KINDS, source_note__startswith=IMPORT_NOTE_PREFIX
        )
    )


def _recording(event: EventRow, recorded: list[TimelineEvent]) -> TimelineEvent | None:
    """The case's timeline event that records this event (the timeline sync matches them the same way),
    taken out of `recorded` so that two identical events link to two timeline events."""
    for candidate in recorded:
        if (
            candidate.kind == event.kind
            and candidate.occurred_on == event.occurred_on
            and candidate.source_url == event.source_url
            and candidate.date_basis == event.date_basis
            and candidate.date_precision == event.date_precision
            and candidate.description in (event.note, kind_sentence(event.kind))
        ):
            recorded.remove(candidate)
            return candidate
    return None


def wanted_rows(case: Case, imported: CaseWithEvents, *, sources: Sources) -> list[Wanted]:
    recorded = _recorded_events(case)
    stated = [
        wanted
        for event in imported.events
        if event.kind in OUTCOME_KINDS
        for wanted in _of_event(
            event, _stated_by(event, _recording(event, recorded), events_name=sources.events)
        )
    ]
    return [*stated, *_of_wide_row(imported.row, stated, cases_name=sources.cases)]


def _sync_model(model: OutcomeModel, *, case: Case, wanted: list[dict[str, Any]]) -> bool:
    """Make the case's imported rows of `model` the wanted ones; True when a row was deleted or created."""
    missing = list(wanted)
    stale = []
    for row in model._default_manager.filter(case=case, source_note__startswith=IMPORT_NOTE_PREFIX):
        held = {name: getattr(row, name) for name in (wanted[0] if wanted else {})}
        if held in missing:
            missing.remove(held)
        else:
            stale.append(row)
    for row in stale:
        row.delete()
    for values in missing:
        save_validated(model(case=case), values)
    return bool(stale or missing)


def sync_outcomes(*, case: Case, imported: CaseWithEvents, sources: Sources) -> bool:
    """The case's imported votes, reinstatements, payments and worker counts as its files state them;
    True when a row changed. Run inside the import's transaction, after the case's timeline is synced."""
    wanted = wanted_rows(case, imported, sources=sources)
    changed = False
    for model in OUTCOME_MODELS:
        rows = [w.values for w in wanted if w.model is model]
        changed = _sync_model(model, case=case, wanted=rows) or changed
    return changed
