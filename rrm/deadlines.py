"""Deadlines on cases: open them from the event that starts a clock, settle them from the event that
stops it, and recompute them when an extension, a suspension or a new holiday moves the due date.

The arithmetic lives in the pure kernel (rrm.clock); this module only reads rules and holidays from
the database and writes Deadline rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from rrm.choices import EventKind
from rrm.clock import DueDate, compute_due
from rrm.models import CalendarHoliday, Case, Deadline, DeadlineRule, TimelineEvent
from rrm.selectors import effective_events
from rrm.verdicts import ENDED, DueWindow, KnownDate, Settlement, ended_by, settle

TERMINAL_NOTE = "The case closed without a dated event that stops this clock."


def extra_holidays(*, calendar: str) -> dict[dt.date, str]:
    return dict(CalendarHoliday.objects.filter(calendar=calendar).values_list("day", "name"))


def rules_started_by(*, kind: str, annex: str, on: dt.date) -> list[DeadlineRule]:
    """The rule versions in force on `on` whose clock the event `kind` starts, one per rule code."""
    candidates = (
        DeadlineRule.objects.filter(start_event=kind, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(annex="") | Q(annex=annex))
    )
    latest: dict[str, DeadlineRule] = {}
    for rule in candidates:
        if rule.code not in latest or rule.effective_from > latest[rule.code].effective_from:
            latest[rule.code] = rule
    return [latest[code] for code in sorted(latest)]


def compute_for(
    *,
    rule: DeadlineRule,
    start: dt.date,
    extension_days: int = 0,
    holidays: Mapping[dt.date, str] | None = None,
) -> DueDate:
    """`holidays`: the staff-added days of the rule's calendar, when the caller has already read them."""
    return compute_due(
        rule.spec,
        start,
        extra_holidays=extra_holidays(calendar=rule.calendar) if holidays is None else holidays,
        extension_days=extension_days,
    )


def lock_case(*, pk: int) -> Case:
    """The row lock every write to a case's deadlines takes first, the one workflow.transition() takes:
    an extension, a settlement, a suspension and a holiday's recompute of one case run one at a time,
    and none overwrites a due date another has just moved."""
    return Case.objects.select_for_update().get(pk=pk)


def open_deadlines_for(*, event: TimelineEvent) -> list[Deadline]:
    case = event.case
    opened = []
    for rule in rules_started_by(kind=event.kind, annex=case.annex, on=event.occurred_on):
        _cancel_open(
            case=case, rule_code=rule.code, note=f"Restarted by {event.kind} on {event.occurred_on}."
        )
        clock = start_clock(rule=rule, start=known_date(event))
        opened.append(
            Deadline.objects.create(
                case=case,
                rule=rule,
                start_event=event,
                start_date=event.occurred_on,
                due_date=clock.due.due,
                explanation=clock.explanation(),
            )
        )
    return opened


@transaction.atomic
def settle_deadlines_for(*, event: TimelineEvent) -> list[Deadline]:
    """Stop the case's open clocks that `event` satisfies, or that it proves have ended (a later act)."""
    lock_case(pk=event.case_id)
    settled = []
    for deadline in Deadline.objects.select_related("rule").filter(
        case=event.case, status=Deadline.Status.OPEN
    ):
        settlement = settlement_by(rule=deadline.rule, due=window_of(deadline), event=event)
        if settlement is not None:
            _store_settlement(deadline=deadline, settlement=settlement, event=event)
            settled.append(deadline)
    return settled


def known_date(event: TimelineEvent) -> KnownDate:
    return KnownDate(event.occurred_on, event.date_precision, event.date_basis)


@dataclass(frozen=True)
class StartedClock:
    """A clock's due date, computed from the latest day its start can have happened, and the window
    it is due in when the start is known only to a period or as announced."""

    due: DueDate
    window: DueWindow
    start: KnownDate

    def explanation(self) -> dict[str, Any]:
        """The due date's explanation; for a start not known to the day, also how it is known and the
        earliest the clock can be due."""
        if self.window.is_exact:
            return self.due.explanation()
        earliest = self.window.earliest
        return {
            **self.due.explanation(),
            "due_from": earliest.isoformat() if earliest else None,
            "start_precision": self.start.precision,
            "start_basis": self.start.basis,
        }


def start_clock(*, rule: DeadlineRule, start: KnownDate) -> StartedClock:
    due = compute_for(rule=rule, start=start.latest)
    if start.is_exact:
        return StartedClock(due, DueWindow.exactly(due.due), start)
    earliest = None if start.earliest is None else compute_for(rule=rule, start=start.earliest).due
    return StartedClock(due, DueWindow(earliest, due.due), start)


def window_of(deadline: Deadline) -> DueWindow:
    if "due_from" not in deadline.explanation:
        return DueWindow.exactly(deadline.due_date)
    earliest = deadline.explanation["due_from"]
    return DueWindow(None if earliest is None else dt.date.fromisoformat(earliest), deadline.due_date)


def settlement_by(*, rule: DeadlineRule, due: DueWindow, event: TimelineEvent) -> Settlement | None:
    """What `event` proves about a clock of `rule` due on `due`: nothing, its stop, or that it ended."""
    if event.kind in rule.satisfied_by:
        return settle(due=due, stop=known_date(event))
    if event.kind in rule.ended_by:
        return ended_by(later=known_date(event))
    return None


def settled_fields(settlement: Settlement) -> dict[str, object]:
    return {
        "status": settlement.verdict,
        "satisfied_on": settlement.on,
        "days_late": settlement.days_late,
        "days_late_is_minimum": settlement.days_late_is_minimum,
    }


def _store_settlement(*, deadline: Deadline, settlement: Settlement, event: TimelineEvent) -> None:
    fields = {**settled_fields(settlement), "satisfied_by_event": event}
    for name, value in fields.items():
        setattr(deadline, name, value)
    deadline.save(update_fields=[*fields, "updated_at"])


def cancel_open_deadlines(*, case: Case, codes: Iterable[str] | None = None, note: str) -> int:
    deadlines = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN)
    if codes is not None:
        deadlines = deadlines.filter(rule__code__in=list(codes))
    count = 0
    for deadline in deadlines:
        deadline.status = Deadline.Status.CANCELLED
        deadline.explanation = {**deadline.explanation, "cancelled": note}
        deadline.save(update_fields=["status", "explanation", "updated_at"])
        count += 1
    return count


def _cancel_open(*, case: Case, rule_code: str, note: str) -> None:
    cancel_open_deadlines(case=case, codes=[rule_code], note=note)


def recompute(
    *, deadline: Deadline, extension_days: int, holidays: Mapping[dt.date, str] | None = None
) -> tuple[dt.date, dt.date]:
    """Recompute one open deadline's due date; returns (before, after). An unchanged row is not written."""
    before = deadline.due_date
    due = compute_for(
        rule=deadline.rule, start=deadline.start_date, extension_days=extension_days, holidays=holidays
    )
    if due.due == before and due.explanation() == deadline.explanation:
        return before, before
    deadline.due_date = due.due
    deadline.explanation = due.explanation()
    if due.due != before:
        # Thresholds of the new due date may not have been crossed yet; the unique alert key still
        # stops any threshold already alerted from being sent twice.
        deadline.last_alert_days = None
    deadline.save(update_fields=["due_date", "explanation", "last_alert_days", "updated_at"])
    return before, due.due


def _lock_cases_of(*, deadlines: QuerySet[Deadline]) -> None:
    # In the order of their keys, so that two callers locking overlapping cases cannot deadlock.
    cases = Case.objects.select_for_update().filter(pk__in=deadlines.values("case_id")).order_by("pk")
    list(cases.values_list("pk", flat=True))


def extension_of(deadline: Deadline) -> int:
    return int(deadline.explanation.get("extension_days", 0))


@transaction.atomic
def recompute_for_holiday(*, calendar: str, day: dt.date) -> list[tuple[Deadline, dt.date, dt.date]]:
    """Recompute the open deadlines of `calendar` whose window holds `day`; returns the ones that moved."""
    moved = []
    holidays = extra_holidays(calendar=calendar)
    candidates = Deadline.objects.select_related("rule", "case").filter(
        status=Deadline.Status.OPEN, rule__calendar=calendar, start_date__lt=day, due_date__gte=day
    )
    _lock_cases_of(deadlines=candidates)
    for deadline in candidates:
        before, after = recompute(deadline=deadline, extension_days=extension_of(deadline), holidays=holidays)
        if before != after:
            moved.append((deadline, before, after))
    return moved


_KIND_ORDER = {kind: index for index, kind in enumerate(EventKind.values)}


def _chronological(event: TimelineEvent) -> tuple[dt.date, int, int]:
    """Date order; on one day, the mechanism's own order (a request precedes Mexico's answer to it)."""
    return (event.occurred_on, _KIND_ORDER.get(event.kind, len(_KIND_ORDER)), event.pk or 0)


@dataclass(frozen=True)
class PlannedDeadline:
    rule: DeadlineRule
    start_event: TimelineEvent
    clock: StartedClock
    stopped_by: TimelineEvent | None
    settlement: Settlement | None


Proof = tuple[TimelineEvent, Settlement]


def _earliest(proofs: list[Proof]) -> Proof | None:
    return min(proofs, key=lambda proof: (proof[1].on, _chronological(proof[0])), default=None)


def _first_proof(
    *, rule: DeadlineRule, due: DueWindow, start: TimelineEvent, candidates: list[TimelineEvent]
) -> Proof | None:
    """The act that first proves the clock stopped: its own stop where the record has one, else the
    earliest later act that ends it. A stop that proves only that the clock ended by some day gives way
    to another act that proves it ended sooner."""
    proofs: list[Proof] = []
    for event in candidates:
        settlement = settlement_by(rule=rule, due=due, event=event)
        if event is not start and settlement is not None and known_date(event).latest >= start.occurred_on:
            proofs.append((event, settlement))
    stop = _earliest([proof for proof in proofs if proof[0].kind in rule.satisfied_by])
    if stop is not None and stop[1].verdict != ENDED:
        return stop
    return _earliest(proofs)


def _window(*, events: list[TimelineEvent], start: TimelineEvent, rule: DeadlineRule) -> list[TimelineEvent]:
    """The events that can stop the clock `start` started: those before the next start of the same rule."""
    restarts = [
        event.occurred_on
        for event in events
        if event.kind == rule.start_event and _chronological(event) > _chronological(start)
    ]
    return [event for event in events if not restarts or event.occurred_on < min(restarts)]


def plan_from_events(*, case: Case, events: list[TimelineEvent]) -> list[PlannedDeadline]:
    """Replay a case's effective events in date order: which clocks they start and which they stop."""
    ordered = sorted(events, key=_chronological)
    planned = []
    for start in ordered:
        for rule in rules_started_by(kind=start.kind, annex=case.annex, on=start.occurred_on):
            clock = start_clock(rule=rule, start=known_date(start))
            window = _window(events=ordered, start=start, rule=rule)
            proof = _first_proof(rule=rule, due=clock.window, start=start, candidates=window)
            stopped_by, settlement = proof if proof is not None else (None, None)
            planned.append(PlannedDeadline(rule, start, clock, stopped_by, settlement))
    return planned


def _desired_fields(*, item: PlannedDeadline, cancel_open: bool) -> Mapping[str, object]:
    fields: dict[str, object] = {
        "start_event": item.start_event,
        "start_date": item.start_event.occurred_on,
        "due_date": item.clock.due.due,
        "explanation": item.clock.explanation(),
        "satisfied_by_event": item.stopped_by,
        "satisfied_on": None,
        "days_late": None,
        "days_late_is_minimum": False,
        "status": Deadline.Status.OPEN,
    }
    if item.settlement is not None:
        fields.update(settled_fields(item.settlement))
    elif cancel_open:
        fields.update(
            status=Deadline.Status.CANCELLED,
            explanation={**item.clock.explanation(), "cancelled": TERMINAL_NOTE},
        )
    return fields


def replay_recorded_case(*, case: Case) -> int:
    """Derive an imported case's deadlines from its effective timeline (historical replay). A clock
    that no recorded act stops stays open: what a public record does not show, it does not know."""
    return replay_case_deadlines(case=case, events=effective_events(case=case), case_is_closed=False)


@transaction.atomic
def replay_case_deadlines(*, case: Case, events: list[TimelineEvent], case_is_closed: bool) -> int:
    """Make the case's deadlines those its events imply; returns how many rows changed (0 when in sync).
    `case_is_closed`: a case kept here by staff that has closed, whose unstopped clocks no longer apply."""
    lock_case(pk=case.pk)
    existing = {(d.rule_id, d.start_date): d for d in Deadline.objects.filter(case=case)}
    changes = 0
    wanted_keys = set()
    for item in plan_from_events(case=case, events=events):
        key = (item.rule.pk, item.start_event.occurred_on)
        wanted_keys.add(key)
        fields = _desired_fields(item=item, cancel_open=case_is_closed)
        row = existing.get(key)
        if row is None:
            Deadline.objects.create(case=case, rule=item.rule, **fields)
            changes += 1
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
            changes += 1
    for key, row in existing.items():
        if key not in wanted_keys and row.status != Deadline.Status.CANCELLED:
            row.status = Deadline.Status.CANCELLED
            row.explanation = {**row.explanation, "cancelled": "Its start event was corrected."}
            row.save(update_fields=["status", "explanation", "updated_at"])
            changes += 1
    return changes
