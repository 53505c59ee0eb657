"""Deadlines on cases: open them from the event that starts a clock, settle them from the event that
stops it, and recompute them when an extension, a suspension or a new holiday moves the due date.

The arithmetic lives in the pure kernel (rrm.clock); this module only reads rules and holidays from
the database and writes Deadline rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from rrm.choices import EventKind, Outcome
from rrm.clock import DueDate, compute_due, lateness
from rrm.models import CalendarHoliday, Case, Deadline, DeadlineRule, TimelineEvent
from rrm.selectors import effective_events

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
        due = compute_for(rule=rule, start=event.occurred_on)
        opened.append(
            Deadline.objects.create(
                case=case,
                rule=rule,
                start_event=event,
                start_date=event.occurred_on,
                due_date=due.due,
                explanation=due.explanation(),
            )
        )
    return opened


@transaction.atomic
def settle_deadlines_for(*, event: TimelineEvent) -> list[Deadline]:
    lock_case(pk=event.case_id)
    settled = []
    for deadline in Deadline.objects.select_related("rule").filter(
        case=event.case, status=Deadline.Status.OPEN
    ):
        if event.kind in deadline.rule.satisfied_by:
            _settle(deadline=deadline, on=event.occurred_on, event=event)
            settled.append(deadline)
    return settled


def settled_fields(*, due: dt.date, on: dt.date) -> dict[str, object]:
    """Met on time, or late by how many days: the verdict of a clock stopped on `on`."""
    days_late = lateness(due, on)
    return {
        "status": Deadline.Status.LATE if days_late else Deadline.Status.MET,
        "satisfied_on": on,
        "days_late": days_late,
    }


def _settle(*, deadline: Deadline, on: dt.date, event: TimelineEvent | None) -> None:
    for name, value in settled_fields(due=deadline.due_date, on=on).items():
        setattr(deadline, name, value)
    deadline.satisfied_by_event = event
    deadline.save(update_fields=["status", "satisfied_on", "satisfied_by_event", "days_late", "updated_at"])


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
    due: DueDate
    satisfied_by_event: TimelineEvent | None


def plan_from_events(*, case: Case, events: list[TimelineEvent]) -> list[PlannedDeadline]:
    """Replay a case's effective events in date order: which clocks they start and which they stop."""
    open_by_code: dict[str, PlannedDeadline] = {}
    planned: list[PlannedDeadline] = []
    for event in sorted(events, key=_chronological):
        for code, item in list(open_by_code.items()):
            if event.kind in item.rule.satisfied_by:
                planned.append(PlannedDeadline(item.rule, item.start_event, item.due, event))
                del open_by_code[code]
        for rule in rules_started_by(kind=event.kind, annex=case.annex, on=event.occurred_on):
            if rule.code in open_by_code:
                planned.append(open_by_code.pop(rule.code))
            open_by_code[rule.code] = PlannedDeadline(
                rule, event, compute_for(rule=rule, start=event.occurred_on), None
            )
    return planned + list(open_by_code.values())


def _desired_fields(*, item: PlannedDeadline, case_is_closed: bool) -> Mapping[str, object]:
    fields: dict[str, object] = {
        "start_event": item.start_event,
        "start_date": item.start_event.occurred_on,
        "due_date": item.due.due,
        "explanation": item.due.explanation(),
        "satisfied_by_event": item.satisfied_by_event,
        "satisfied_on": None,
        "days_late": None,
        "status": Deadline.Status.OPEN,
    }
    if item.satisfied_by_event is not None:
        fields.update(settled_fields(due=item.due.due, on=item.satisfied_by_event.occurred_on))
    elif case_is_closed:
        fields.update(
            status=Deadline.Status.CANCELLED,
            explanation={**item.due.explanation(), "cancelled": TERMINAL_NOTE},
        )
    return fields


# Outcomes after which a clock with no stopping event in the record is moot rather than overdue.
STILL_RUNNING_OUTCOMES = frozenset({Outcome.OPEN, Outcome.PANEL_PENDING})


def replay_recorded_case(*, case: Case) -> int:
    """Derive an imported case's deadlines from its effective timeline (historical replay)."""
    return replay_case_deadlines(
        case=case,
        events=effective_events(case=case),
        case_is_closed=case.outcome not in STILL_RUNNING_OUTCOMES,
    )


@transaction.atomic
def replay_case_deadlines(*, case: Case, events: list[TimelineEvent], case_is_closed: bool) -> int:
    """Make the case's deadlines those its events imply; returns how many rows changed (0 when in sync)."""
    lock_case(pk=case.pk)
    existing = {(d.rule_id, d.start_date): d for d in Deadline.objects.filter(case=case)}
    changes = 0
    wanted_keys = set()
    for item in plan_from_events(case=case, events=events):
        key = (item.rule.pk, item.start_event.occurred_on)
        wanted_keys.add(key)
        fields = _desired_fields(item=item, case_is_closed=case_is_closed)
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
