"""What the record proves about a clock: met, late by N days, only that it ended by a date, or, for a
clock with no stopping act, pending, overdue or not in the public record. Pure Python: no database.

The rule of docs/mechanism.md ("What the record can prove"): a date proves no more than its basis. An
act's own date proves met or late. An announced date proves only that the act happened on or before
it. A month-only or approximate date names a period, and proves met or late only when the whole period
lies on one side of the due date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from rrm.choices import DateBasis, DatePrecision, Verdict

DAY, MONTH = DatePrecision.DAY, DatePrecision.MONTH
ACT, ANNOUNCED, REPORTED, APPROXIMATE = DateBasis.values
MET, LATE, ENDED = Verdict.MET, Verdict.LATE, Verdict.ENDED
PENDING, OVERDUE, NOT_IN_RECORD = Verdict.PENDING, Verdict.OVERDUE, Verdict.NOT_IN_RECORD


@dataclass(frozen=True)
class KnownDate:
    """A date as the record knows it: `on` is the day given, or the first day of a month-only date."""

    on: date
    precision: str = DAY
    basis: str = ACT

    def __post_init__(self) -> None:
        if self.precision not in DatePrecision.values:
            raise ValueError(f"precision {self.precision!r} is not one of {', '.join(DatePrecision.values)}.")
        if self.basis not in DateBasis.values:
            raise ValueError(f"basis {self.basis!r} is not one of {', '.join(DateBasis.values)}.")
        if self.precision == MONTH and self.on.day != 1:
            raise ValueError(f"a month-only date is stored as the month's first day, got {self.on}.")

    @property
    def names_a_period(self) -> bool:
        # An approximate day ("early August") is read as its whole month: the source names no tighter bound.
        return self.precision == MONTH or self.basis == APPROXIMATE

    @property
    def latest(self) -> date:
        """The last day on which the act can have happened."""
        if not self.names_a_period:
            return self.on
        return self.on.replace(day=calendar.monthrange(self.on.year, self.on.month)[1])

    @property
    def earliest(self) -> date | None:
        """The first day on which the act can have happened; None when the record sets no lower bound."""
        if self.basis == ANNOUNCED:
            return None
        return self.on.replace(day=1) if self.names_a_period else self.on

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest


@dataclass(frozen=True)
class DueWindow:
    """When a clock is due. A clock started by an act known only to a period, or only as announced,
    is due within a window: from the due date of its earliest possible start (None: no lower bound)
    to that of its latest."""

    earliest: date | None
    latest: date

    @classmethod
    def exactly(cls, due: date) -> DueWindow:
        return cls(due, due)

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest


@dataclass(frozen=True)
class Settlement:
    """A clock stopped: `verdict` is met, late or ended (timeliness unknown); `on` is the day it stopped,
    or the last day by which it had. A late verdict counts `days_late` from the due date to the earliest
    day the act can have happened: a minimum when the record gives only a period."""

    verdict: str
    on: date
    days_late: int | None = None
    days_late_is_minimum: bool = False


def settle(*, due: DueWindow, stop: KnownDate) -> Settlement:
    """The verdict of a clock due within `due` whose stopping act the record dates as `stop`."""
    if due.earliest is not None and stop.latest <= due.earliest:
        return Settlement(MET, stop.latest, days_late=0)
    earliest = stop.earliest
    if earliest is not None and earliest > due.latest:
        is_minimum = stop.names_a_period or not due.is_exact
        return Settlement(LATE, earliest, (earliest - due.latest).days, days_late_is_minimum=is_minimum)
    return Settlement(ENDED, stop.latest)


def ended_by(*, later: KnownDate) -> Settlement:
    """A later act proves the clock had stopped by its date, without saying when or whether in time."""
    return Settlement(ENDED, later.latest)


def open_verdict(*, due: date, today: date, kept_by_staff: bool) -> str:
    """A clock with no stopping act in the record, due by `due` at the latest. Only a case kept here
    by staff, where every act is recorded as it happens, proves by that silence that the act has not
    happened."""
    if today <= due:
        return PENDING
    return OVERDUE if kept_by_staff else NOT_IN_RECORD
