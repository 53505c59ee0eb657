"""Due dates of the mechanism's clocks, and how each was reached. Pure Python: no database.

A calendar-day clock is due `length` (+ extension) days after its start; if its rule rolls forward, a
due date on a weekend or holiday of the rule's calendar moves to the next business day. A business-day
clock counts only business days after its start, so it always ends on one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rrm.calendars import BusinessCalendar, for_country

UNITS = ("calendar", "business")
CALENDARS = ("US", "MX", "CA")
ROLL_FORWARDS = ("none", "next_business_day")
CONFIDENCES = ("C", "S", "U")
CALENDAR_ADJECTIVES = {"US": "U.S.", "MX": "Mexican", "CA": "Canadian"}
UNCONFIRMED_PREFIX = "UNCONFIRMED RULE: "


@dataclass(frozen=True)
class RuleSpec:
    """One version of a deadline rule, as the clock needs it."""

    code: str
    name: str
    citation: str
    length: int
    unit: str
    calendar: str
    roll_forward: str
    confidence: str
    start_event: str
    version: str = ""

    def __post_init__(self) -> None:
        self._require_one_of("unit", self.unit, UNITS)
        self._require_one_of("calendar", self.calendar, CALENDARS)
        self._require_one_of("roll_forward", self.roll_forward, ROLL_FORWARDS)
        self._require_one_of("confidence", self.confidence, CONFIDENCES)
        if self.length < 1:
            raise ValueError(f"Rule {self.code}: length must be 1 or more, got {self.length}.")

    def _require_one_of(self, field_name: str, value: str, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            raise ValueError(f"Rule {self.code}: {field_name} {value!r} is not one of {', '.join(allowed)}.")

    @property
    def is_unconfirmed(self) -> bool:
        return self.confidence == "U"


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class DueDate:
    rule: RuleSpec
    start: date
    due: date
    nominal_due: date
    extension_days: int
    skipped: tuple[SkippedDay, ...]

    def explanation(self) -> dict[str, Any]:
        """JSON-ready account of the computation; equal inputs give equal dictionaries."""
        rule = self.rule
        return {
            "start_event": rule.start_event,
            "start": self.start.isoformat(),
            "rule": {
                "code": rule.code,
                "name": rule.name,
                "version": rule.version,
                "citation": rule.citation,
                "length": rule.length,
                "unit": rule.unit,
                "calendar": rule.calendar,
                "roll_forward": rule.roll_forward,
                "confidence": rule.confidence,
            },
            "unconfirmed": rule.is_unconfirmed,
            "extension_days": self.extension_days,
            "nominal_due": self.nominal_due.isoformat(),
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in self.skipped],
            "due": self.due.isoformat(),
            "text": self.text(),
        }

    def text(self) -> str:
        prefix = UNCONFIRMED_PREFIX if self.rule.is_unconfirmed else ""
        return f"{prefix}{self._computation_sentence()} {self._rule_sentence()}"

    def _computation_sentence(self) -> str:
        rule = self.rule
        adjective = CALENDAR_ADJECTIVES[rule.calendar]
        kind = "calendar" if rule.unit == "calendar" else f"{adjective} business"
        days = f"{self._counted_days()} {kind} days"
        opening = f"{days} from {rule.start_event} on {self.start.isoformat()}"
        if rule.unit == "business":
            passed_over = self._passed_over_text()
            return f"{opening} end on {_dated(self.due)}, {passed_over}: due {self.due.isoformat()}."
        if rule.roll_forward == "none":
            return (
                f"{opening} is {_dated(self.nominal_due)}; this rule does not move a due date off a "
                f"non-business day: due {self.due.isoformat()}."
            )
        if not self.skipped:
            return (
                f"{opening} is {_dated(self.nominal_due)}, a {adjective} business day: "
                f"due {self.due.isoformat()}."
            )
        return (
            f"{opening} is {_dated(self.nominal_due)}, not a {adjective} business day "
            f"({self._skipped_text()}): due the next {adjective} business day, {_dated(self.due)}."
        )

    def _counted_days(self) -> str:
        length, extension = self.rule.length, self.extension_days
        if extension:
            return f"{length} + {extension} (extension) = {length + extension}"
        return str(length)

    def _skipped_text(self) -> str:
        return "; ".join(f"{s.day.isoformat()} {s.reason}" for s in self.skipped)

    def _passed_over_text(self) -> str:
        if not self.skipped:
            return "with no non-business day in between"
        count = len(self.skipped)
        return f"not counting {count} non-business day{'s' if count > 1 else ''} ({self._skipped_text()})"

    def _rule_sentence(self) -> str:
        version = f", version {self.rule.version}" if self.rule.version else ""
        return f"Rule: {self.rule.name} ({self.rule.citation}){version}."


def _dated(day: date) -> str:
    return f"{day.isoformat()} ({day.strftime('%A')})"


def compute_due(
    rule: RuleSpec,
    start: date,
    *,
    extra_holidays: Mapping[date, str] | None = None,
    extension_days: int = 0,
) -> DueDate:
    """When the clock of `rule` started on `start` is due, with every non-business day it passed over."""
    if extension_days < 0:
        raise ValueError(f"extension_days must be 0 or more, got {extension_days}.")
    calendar = for_country(rule.calendar, extra_holidays)
    days = rule.length + extension_days
    if rule.unit == "business":
        due = calendar.add_business_days(start, days)
        return DueDate(rule, start, due, due, extension_days, _non_business_days(calendar, start, due))
    nominal = calendar.add_calendar_days(start, days)
    if rule.roll_forward == "none":
        return DueDate(rule, start, nominal, nominal, extension_days, ())
    due = calendar.next_business_day_on_or_after(nominal)
    skipped = _non_business_days(calendar, nominal - timedelta(days=1), due)
    return DueDate(rule, start, due, nominal, extension_days, skipped)


def _non_business_days(calendar: BusinessCalendar, after: date, through: date) -> tuple[SkippedDay, ...]:
    """The non-business days in (after, through], each with its reason."""
    skipped = []
    day = after + timedelta(days=1)
    while day <= through:
        reason = calendar.non_business_reason(day)
        if reason is not None:
            skipped.append(SkippedDay(day, reason))
        day += timedelta(days=1)
    return tuple(skipped)
