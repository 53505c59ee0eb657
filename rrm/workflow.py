"""The case workflow: a state machine over rrm.choices.Stage (docs/mechanism.md, refined).

Every transition is one service call that, in one transaction and under a row lock on the case:
checks the step is allowed from the current stage, checks its date, writes the timeline event,
settles the deadlines the event satisfies, opens the deadlines it starts, and moves the stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from rrm import deadlines
from rrm.choices import Annex, EventKind, Initiation, Stage
from rrm.errors import InvalidDate, InvalidTransition
from rrm.models import CalendarHoliday, Case, Deadline, DeadlineRule, TimelineEvent
from rrm.step_dates import check_event_date
from rrm.transitions import TERMINAL_STAGES, TRANSITIONS, Transition


def allowed_actions(case: Case) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if case.stage in t.sources and _guard_allows(case, t)]


def _guard_allows(case: Case, transition: Transition) -> bool:
    # Only a self-initiated case skips the ILC's screening of a petition (docs/mechanism.md).
    if transition.action == "request_review" and case.stage == Stage.SUBMITTED:
        return case.initiation == Initiation.SELF_INITIATED
    if transition.action == "record_receipt":
        return case.initiation == Initiation.PETITION
    return True


def acting_user(user: User | AnonymousUser | None) -> User | None:
    """The account to record as having acted; an anonymous or absent caller is recorded as nobody."""
    return user if isinstance(user, User) else None


@dataclass(frozen=True)
class TransitionResult:
    case: Case
    event: TimelineEvent
    settled: list[Deadline]
    opened: list[Deadline]


# Sent inside each step's transaction with its `action` and `result`, so that an app whose records a step
# settles can follow it without the core naming the app (remediation settles its plans).
step_taken = Signal()
# The action step_taken names for a filing, which is no transition of TRANSITIONS (nothing precedes it).
FILE_ACTION = "file"


@transaction.atomic
def transition(
    *,
    case_id: str,
    action: str,
    on: dt.date,
    source_url: str = "",
    source_note: str = "",
    description: str = "",
    data: dict[str, Any] | None = None,
    user: User | AnonymousUser | None = None,
) -> TransitionResult:
    """Move a case one step. The row lock makes a concurrent second step wait, then fail cleanly."""
    case = Case.objects.select_for_update().get(case_id=case_id)
    step = TRANSITIONS.get(action)
    if step is None or case.stage not in step.sources or not _guard_allows(case, step):
        raise InvalidTransition(
            case_id=case.case_id, stage=case.stage, action=action, allowed=allowed_actions(case)
        )
    check_event_date(case=case, on=on)
    event = TimelineEvent.objects.create(
        case=case,
        kind=step.event,
        occurred_on=on,
        from_stage=case.stage,
        to_stage=step.target,
        description=description,
        source_url=source_url,
        source_note=source_note or ("" if source_url else "recorded by staff"),
        data=data or {},
        recorded_by=acting_user(user),
    )
    settled = deadlines.settle_deadlines_for(event=event)
    if step.cancels:
        deadlines.cancel_open_deadlines(
            case=case, codes=step.cancels, note=f"No longer applies after {step.action}."
        )
    opened = deadlines.open_deadlines_for(event=event)
    _apply_stage(case=case, step=step, on=on, user=user)
    if step.target in TERMINAL_STAGES:
        deadlines.cancel_open_deadlines(case=case, note=f"The case closed ({step.target}) on {on}.")
    result = TransitionResult(case=case, event=event, settled=settled, opened=opened)
    step_taken.send(sender=TransitionResult, action=action, result=result)
    return result


@dataclass(frozen=True)
class StoppedClock:
    deadline: Deadline
    verdict: str
    on: dt.date


@dataclass(frozen=True)
class StartingClock:
    rule: DeadlineRule
    due: dt.date
    explanation: dict[str, Any]


@dataclass(frozen=True)
class StepPreview:
    """What a step would do to the case's clocks, computed as transition() computes it, with no write:
    the clocks its event stops (with their verdict), those it makes no longer apply, those it starts."""

    action: str
    on: dt.date
    target: Stage
    stops: list[StoppedClock]
    cancels: list[Deadline]
    starts: list[StartingClock]


def preview_transition(*, case_id: str, action: str, on: dt.date) -> StepPreview:
    """Refuses what transition() refuses (InvalidTransition, InvalidDate); writes nothing."""
    case = Case.objects.get(case_id=case_id)
    step = TRANSITIONS.get(action)
    if step is None or case.stage not in step.sources or not _guard_allows(case, step):
        raise InvalidTransition(
            case_id=case.case_id, stage=case.stage, action=action, allowed=allowed_actions(case)
        )
    check_event_date(case=case, on=on)
    event = TimelineEvent(case=case, kind=step.event, occurred_on=on)
    stops, still_open = [], []
    for deadline in Deadline.objects.select_related("rule").filter(case=case, status=Deadline.Status.OPEN):
        due = deadlines.window_of(deadline)
        settlement = deadlines.settlement_by(rule=deadline.rule, due=due, event=event)
        if settlement is None:
            still_open.append(deadline)
        else:
            stops.append(StoppedClock(deadline, settlement.verdict, settlement.on))
    rules = deadlines.rules_started_by(kind=step.event, annex=case.annex, on=on)
    starts = [
        StartingClock(rule, clock.due.due, clock.explanation())
        for rule in rules
        for clock in [deadlines.start_clock(rule=rule, start=deadlines.known_date(event))]
    ]
    restarted = {rule.code for rule in rules}
    ends_case = step.target in TERMINAL_STAGES
    cancels = [
        deadline
        for deadline in still_open
        if ends_case or deadline.rule.code in step.cancels or deadline.rule.code in restarted
    ]
    return StepPreview(action, on, step.target, stops, cancels, [] if ends_case else starts)


def _apply_stage(*, case: Case, step: Transition, on: dt.date, user: User | AnonymousUser | None) -> None:
    case.stage = step.target
    if step.outcome is not None:
        case.outcome = step.outcome
        case.outcome_date = on
    _update_milestones(case=case, kind=step.event, on=on)
    if step.event == EventKind.REQUEST_FOR_REVIEW and case.annex == Annex.A31:
        # USTR has liquidation suspended with the request (19 U.S.C. §4692; docs/mechanism.md).
        case.liquidation_suspended_on = on
        _record_side_event(case=case, kind=EventKind.LIQUIDATION_SUSPENDED, on=on, user=user)
    if step.resumes_liquidation and case.is_liquidation_suspended:
        case.liquidation_resumed_on = on
        _record_side_event(case=case, kind=EventKind.LIQUIDATION_RESUMED, on=on, user=user)
    case.save()


MILESTONES = {
    EventKind.PETITION_RECEIVED: "petition_received_on",
    EventKind.REQUEST_FOR_REVIEW: "request_for_review_on",
    EventKind.MEXICO_ACCEPTED: "mexico_response_on",
    EventKind.MEXICO_DECLINED: "mexico_response_on",
    EventKind.REMEDIATION_AGREED: "remediation_agreed_on",
    EventKind.PANEL_REQUESTED: "panel_requested_on",
}


def _update_milestones(*, case: Case, kind: str, on: dt.date) -> None:
    column = MILESTONES.get(EventKind(kind))
    if column is not None:
        setattr(case, column, on)


def _record_side_event(
    *, case: Case, kind: EventKind, on: dt.date, user: User | AnonymousUser | None
) -> None:
    TimelineEvent.objects.create(
        case=case,
        kind=kind,
        occurred_on=on,
        source_note="follows from the recorded step",
        recorded_by=acting_user(user),
    )


FILING_NOTE = "filed here by the petitioners"


@transaction.atomic
def record_filing(*, case: Case, on: dt.date, user: User | AnonymousUser | None) -> TransitionResult:
    """The petitioners' filing, which opened the case at 'submitted': the first event of its timeline,
    told to those who follow the case like any step."""
    event = TimelineEvent.objects.create(
        case=case,
        kind=EventKind.PETITION_FILED,
        occurred_on=on,
        to_stage=case.stage,
        source_note=FILING_NOTE,
        recorded_by=acting_user(user),
    )
    result = TransitionResult(
        case=case, event=event, settled=[], opened=deadlines.open_deadlines_for(event=event)
    )
    step_taken.send(sender=TransitionResult, action=FILE_ACTION, result=result)
    return result


@transaction.atomic
def extend_deadline(
    *,
    deadline_id: int,
    days: int,
    on: dt.date,
    reason: str,
    user: User | AnonymousUser | None = None,
) -> Deadline:
    """An extension agreed by the Parties: the due date moves by `days` of the rule's unit."""
    if days < 1:
        raise InvalidDate(_("An extension must add at least one day."))
    deadlines.lock_case(pk=Deadline.objects.values_list("case_id", flat=True).get(pk=deadline_id))
    deadline = Deadline.objects.select_related("rule", "case").get(pk=deadline_id)
    if deadline.status != Deadline.Status.OPEN:
        raise InvalidTransition(
            case_id=deadline.case.case_id,
            stage=deadline.status,
            action="extend_deadline",
            allowed=["open deadlines only"],
        )
    check_event_date(case=deadline.case, on=on)
    _push_back(deadline=deadline, days=days, kind=EventKind.EXTENSION_AGREED, on=on, reason=reason, user=user)
    return deadline


def _push_back(
    *,
    deadline: Deadline,
    days: int,
    kind: EventKind,
    on: dt.date,
    reason: str,
    user: User | AnonymousUser | None,
) -> None:
    """Add `days` to the deadline's extension, recompute its due date and record the change."""
    total = deadlines.extension_of(deadline) + days
    before, after = deadlines.recompute(deadline=deadline, extension_days=total)
    _record_clock_change(
        deadline=deadline, kind=kind, on=on, before=before, after=after, reason=reason, user=user
    )


@transaction.atomic
def suspend_clocks(
    *,
    case_id: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    user: User | AnonymousUser | None = None,
) -> list[Deadline]:
    """A suspension from `start` to `end` (inclusive) pushes every open clock of the case by its length."""
    if end < start:
        raise InvalidDate(
            _("A suspension cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": end, "start": start}
        )
    case = Case.objects.select_for_update().get(case_id=case_id)
    check_event_date(case=case, on=start)
    days = (end - start).days + 1
    moved = []
    for deadline in Deadline.objects.select_related("rule").filter(case=case, status=Deadline.Status.OPEN):
        _push_back(
            deadline=deadline, days=days, kind=EventKind.CLOCK_SUSPENDED, on=start, reason=reason, user=user
        )
        moved.append(deadline)
    return moved


@transaction.atomic
def add_holiday(*, calendar: str, day: dt.date, name: str, source_url: str = "") -> list[Deadline]:
    """A new non-business day moves the open deadlines whose window holds it; each move is recorded."""
    CalendarHoliday.objects.create(calendar=calendar, day=day, name=name, source_url=source_url)
    return record_holiday_moves(calendar=calendar, day=day, name=name)


def record_holiday_moves(*, calendar: str, day: dt.date, name: str) -> list[Deadline]:
    moved = []
    for deadline, before, after in deadlines.recompute_for_holiday(calendar=calendar, day=day):
        reason = f"{calendar} holiday added: {day} {name}"
        _record_clock_change(
            deadline=deadline,
            kind=EventKind.NOTE,
            on=timezone.localdate(),
            before=before,
            after=after,
            reason=reason,
            user=None,
        )
        moved.append(deadline)
    return moved


def _record_clock_change(
    *,
    deadline: Deadline,
    kind: EventKind,
    on: dt.date,
    before: dt.date,
    after: dt.date,
    reason: str,
    user: User | AnonymousUser | None,
) -> None:
    TimelineEvent.objects.create(
        case=deadline.case,
        kind=kind,
        occurred_on=on,
        description=reason,
        source_note="recorded by staff",
        data={
            "deadline": deadline.pk,
            "rule": deadline.rule.code,
            "due_before": before.isoformat(),
            "due_after": after.isoformat(),
        },
        recorded_by=acting_user(user),
    )


def mermaid_diagram() -> str:
    """The state machine as a Mermaid diagram; the README embeds this text and a test keeps it equal."""
    lines = ["stateDiagram-v2", "    [*] --> submitted"]
    for step in TRANSITIONS.values():
        for source in step.sources:
            guard = (
                " (self-initiated only)"
                if step.action == "request_review" and source == Stage.SUBMITTED
                else ""
            )
            lines.append(f"    {source} --> {step.target}: {step.action}{guard}")
    lines.extend(f"    {stage} --> [*]" for stage in sorted(TERMINAL_STAGES))
    return "\n".join(lines)
