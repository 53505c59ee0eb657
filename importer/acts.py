"""What a case's events say beside its wide row: which events state the act of a wide date column, the
dates the case's columns take from them, and a notice for each wide date an event supersedes.

events.csv is the better record (docs/import_cases.md): where an event and a wide date speak of the same
act, the event wins. A column only ever holds a day the sources give; a month-only date leaves it blank.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from importer.format import CaseRow, EventRow, Problem
from rrm.choices import EventKind
from rrm.mapping import MexicoAnswer
from rrm.models import DatePrecision

MEXICO_ANSWER_KINDS: tuple[str, ...] = (
    EventKind.MEXICO_ACCEPTED,
    EventKind.MEXICO_DECLINED,
    EventKind.MEXICO_NO_RESPONSE,
)
# Wide column -> (its field in CaseRow, the event kinds that state the same act).
SAME_ACT: dict[str, tuple[str, tuple[str, ...]]] = {
    "petition_date": ("petition_received_on", (EventKind.PETITION_RECEIVED,)),
    "ilc_request_for_review_date": ("request_for_review_on", (EventKind.REQUEST_FOR_REVIEW,)),
    "mexico_response_date": ("mexico_response_on", MEXICO_ANSWER_KINDS),
    "remediation_agreed_date": ("remediation_agreed_on", (EventKind.REMEDIATION_AGREED,)),
    "panel_request_date": ("panel_requested_on", (EventKind.PANEL_REQUESTED,)),
    "outcome_date": ("outcome_date", (EventKind.OUTCOME_ANNOUNCED,)),
}
ANSWER_OF_KIND: dict[str, MexicoAnswer] = {
    EventKind.MEXICO_ACCEPTED: "accepted",
    EventKind.MEXICO_DECLINED: "declined",
}
PANEL_DETERMINATION_KINDS = (EventKind.PANEL_DETERMINATION_NO_DENIAL, EventKind.PANEL_DETERMINATION_DENIAL)


def first_of(events: Sequence[EventRow], kinds: tuple[str, ...]) -> EventRow | None:
    """The earliest event of those kinds (the first in the file among events of one date)."""
    stating = [event for event in events if event.kind in kinds]
    return min(stating, key=lambda event: (event.occurred_on, event.line), default=None)


def day_of(event: EventRow | None) -> dt.date | None:
    """The event's day; None when there is no event or it is known only to the month."""
    if event is None or event.date_precision != DatePrecision.DAY:
        return None
    return event.occurred_on


@dataclass(frozen=True)
class Liquidation:
    suspended_on: dt.date | None
    resumed_on: dt.date | None


def liquidation_of(events: Sequence[EventRow]) -> Liquidation:
    """Suspended on the earliest suspension, resumed on the latest resumption after it.

    Nothing is inferred: without a suspension event the case states no suspension (and so no
    resumption, which the record can only hold after a suspension).
    """
    suspended_on = day_of(first_of(events, (EventKind.LIQUIDATION_SUSPENDED,)))
    if suspended_on is None:
        return Liquidation(None, None)
    resumptions = [
        event
        for event in events
        if event.kind == EventKind.LIQUIDATION_RESUMED and event.occurred_on >= suspended_on
    ]
    latest = max(resumptions, key=lambda event: (event.occurred_on, event.line), default=None)
    return Liquidation(suspended_on, day_of(latest))


@dataclass(frozen=True)
class CaseWithEvents:
    """A wide row with its case's events: the row's dates are the winning ones, at day precision."""

    row: CaseRow
    events: tuple[EventRow, ...]
    superseded: frozenset[str]
    liquidation: Liquidation
    notices: tuple[Problem, ...]

    @property
    def panel_determined_on(self) -> dt.date | None:
        """The panel's decision date from its own event where there is one, else the outcome's date."""
        decision = first_of(self.events, PANEL_DETERMINATION_KINDS)
        return day_of(decision) if decision is not None else self.row.outcome_date


def _notice(row: CaseRow, column: str, wide: dt.date, event: EventRow, events_label: str) -> Problem:
    return Problem(
        row.line,
        column,
        f"{wide} superseded by {events_label}:{event.line} {event.kind} {event.written_date} "
        f"({event.date_basis})",
    )


def with_events(row: CaseRow, events: Sequence[EventRow], *, events_label: str) -> CaseWithEvents:
    """The row's dates as its events correct them, and a notice for each wide date that changed."""
    replaced: dict[str, object] = {}
    notices = []
    for column, (field_name, kinds) in SAME_ACT.items():
        event = first_of(events, kinds)
        if event is None:
            continue
        replaced[field_name] = day_of(event)
        wide = getattr(row, field_name)
        if wide is not None and wide != replaced[field_name]:
            notices.append(_notice(row, column, wide, event, events_label))
        if column == "mexico_response_date":
            replaced["mexico_answer"] = ANSWER_OF_KIND.get(event.kind)
    superseded = frozenset(column for column, (name, _) in SAME_ACT.items() if name in replaced)
    return CaseWithEvents(
        row=dataclasses.replace(row, **replaced),  # type: ignore[arg-type]
        events=tuple(events),
        superseded=superseded,
        liquidation=liquidation_of(events),
        notices=tuple(notices),
    )
