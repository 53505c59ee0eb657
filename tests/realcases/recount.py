"""An independent recount of the real cases: reads a cases file and its events file with the csv module
and works out every clock's verdict and every statistic from the documents alone, with no code of the
service (the `holidays` package gives the public holidays, as the service's calendars use it).

Sources restated here: docs/import_cases.md (which facts a case's timeline holds), docs/mechanism.md
("The stages and their clocks", the 31-B table, "What the record can prove"), the rules as
rrm/migrations/0003 seeds them, the acts that end each clock as rrm/migrations/0009 sets them (ENDED_BY),
and the Annex 31-B rules and the NAO's corrected screening of rrm/migrations/0011.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import holidays

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Fact:
    """One dated fact of a case: `on` is the day, or the first of the month for a month-only date."""

    kind: str
    on: dt.date
    month_only: bool = False
    basis: str = "act"
    order: int = 0  # its place in the files, to order facts of one day

    @property
    def names_a_period(self) -> bool:
        return self.month_only or self.basis == "approximate"

    @property
    def latest(self) -> dt.date:
        if not self.names_a_period:
            return self.on
        return self.on.replace(day=calendar.monthrange(self.on.year, self.on.month)[1])

    @property
    def earliest(self) -> dt.date | None:
        if self.basis == "announced":
            return None  # the act happened on that day or before
        # docs/mechanism.md: an approximate day, like a month without a day, says only "within that month".
        return self.on.replace(day=1) if self.names_a_period else self.on

    @property
    def proves_the_day(self) -> bool:
        return not self.month_only and self.basis in ("act", "reported")


@dataclass
class RealCase:
    row: dict[str, str]
    facts: list[Fact] = field(default_factory=list)

    @property
    def case_id(self) -> str:
        return self.row["case_id"]

    def of(self, *kinds: str) -> list[Fact]:
        return sorted(
            (fact for fact in self.facts if fact.kind in kinds), key=lambda fact: (fact.on, fact.order)
        )

    def first(self, *kinds: str) -> Fact | None:
        found = self.of(*kinds)
        return found[0] if found else None


# docs/import_cases.md, "When an event and a wide date speak of the same act": the wide column, the kind
# its date records, and the event kinds that state the same act (an event of any of them wins).
MEXICO_ANSWER_KINDS = ("mexico_accepted", "mexico_declined", "mexico_no_response")
WIDE_DATES = {
    "petition_date": ("petition_received", ("petition_received",)),
    "ilc_request_for_review_date": ("request_for_review", ("request_for_review",)),
    "mexico_response_date": ("", MEXICO_ANSWER_KINDS),
    "remediation_agreed_date": ("remediation_agreed", ("remediation_agreed",)),
    "panel_request_date": ("panel_requested", ("panel_requested",)),
    "outcome_date": ("outcome_announced", ("outcome_announced",)),
}


def mexico_answer_kind(reported: str) -> str:
    """docs/import_cases.md: accepted or declined only when the text says exactly one of the two words."""
    text = reported.lower()
    accepted, declined = bool(re.search(r"\baccepted\b", text)), bool(re.search(r"\bdeclined\b", text))
    if accepted != declined:
        return "mexico_accepted" if accepted else "mexico_declined"
    return ""


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def event_fact(row: dict[str, str], order: int) -> Fact:
    text = row["date"]
    month_only = len(text) == 7
    on = dt.date.fromisoformat(f"{text}-01" if month_only else text)
    return Fact(row["kind"], on, month_only, row["date_basis"], order)


def wide_facts(row: dict[str, str], event_kinds: set[str]) -> Iterable[Fact]:
    for column, (kind, same_act) in WIDE_DATES.items():
        if column == "mexico_response_date":
            kind = mexico_answer_kind(row["mexico_response"])
        if row[column] and kind and not event_kinds & set(same_act):
            yield Fact(kind, dt.date.fromisoformat(row[column]))


def load(cases_csv: Path, events_csv: Path) -> list[RealCase]:
    """Each case with its effective timeline: its events, and its row's dates that no event supersedes."""
    cases = {row["case_id"]: RealCase(row) for row in read(cases_csv)}
    for order, row in enumerate(read(events_csv), start=1):
        cases[row["case_id"]].facts.append(event_fact(row, order))
    for case in cases.values():
        kinds = {fact.kind for fact in case.facts}
        case.facts.extend(wide_facts(case.row, kinds))
    return list(cases.values())


# --------------------------------------------------------------------------------------------------
# Clocks


CLOSING = ("outcome_announced", "case_closed", "closed_no_action", "facility_closed")
MEXICO_FINDINGS = ("mexico_finding_no_denial", "mexico_finding_denial", "mexico_finding_remedied")
PANEL_LATER_STEPS = ("panel_verification", "panel_determination_no_denial", "panel_determination_denial")


@dataclass(frozen=True)
class Rule:
    code: str
    annex: str
    starts: str
    days: int
    stops: tuple[str, ...]
    ends: tuple[str, ...]
    business_days_of: str = ""  # a country: the length counts its business days
    rolls_to: str = ""  # a country: a due date on its non-business day moves to its next business day
    confidence: str = "C"  # docs/mechanism.md's tag: C confirmed, S secondary only, U unconfirmed

    @property
    def unit(self) -> str:
        return "business" if self.business_days_of else "calendar"

    @property
    def calendar(self) -> str:
        """The country whose days count; a treaty clock in calendar days that never moves is Mexico's."""
        return self.business_days_of or self.rolls_to or "MX"


# The rules of migration 0003, with the ended_by of 0009 and 0011's correction of the NAO's screening.
FIRST_RULES = (
    Rule(
        "ilc_screening",
        "31-A",
        "petition_received",
        30,
        ("ilc_determination", "ilc_declined", "resolved_without_request", "withdrawn", "request_for_review"),
        (
            "liquidation_suspended",
            *MEXICO_ANSWER_KINDS,
            *MEXICO_FINDINGS,
            "remediation_agreed",
            "panel_requested",
            *CLOSING,
        ),
        rolls_to="US",
    ),
    Rule(
        "nao_screening",
        "31-B",
        "petition_received",
        30,
        ("ilc_determination", "ilc_declined", "request_for_review", "withdrawn"),
        ("mexico_accepted", "mexico_declined", *MEXICO_FINDINGS, "panel_requested", *CLOSING),
        rolls_to="CA",  # migration 0011: Canada's calendar, moved to the next Canadian business day
    ),
    Rule(
        "mexico_response",
        "31-A",
        "request_for_review",
        10,
        ("mexico_accepted", "mexico_declined"),
        (
            *MEXICO_FINDINGS,
            "us_accepted_finding",
            "remediation_agreed",
            "panel_requested",
            "withdrawn",
            *CLOSING,
        ),
    ),
    Rule(
        "mexico_review",
        "31-A",
        "request_for_review",
        45,
        MEXICO_FINDINGS,
        ("us_accepted_finding", "remediation_agreed", "panel_requested", "withdrawn", *CLOSING),
    ),
    Rule(
        "remediation_consultations",
        "31-A",
        "mexico_finding_denial",
        10,
        ("remediation_agreed", "remediation_not_agreed"),
        ("panel_requested", "remediation_completed", *CLOSING),
        confidence="S",
    ),
    Rule(
        "panel_constitution",
        "31-A",
        "panel_requested",
        3,
        ("panel_constituted",),
        ("panel_basics_confirmed", *PANEL_LATER_STEPS, *CLOSING),
        business_days_of="MX",
        confidence="U",
    ),
    Rule(
        "panel_basics_confirmation",
        "31-A",
        "panel_constituted",
        5,
        ("panel_basics_confirmed",),
        (*PANEL_LATER_STEPS, *CLOSING),
        business_days_of="MX",
        confidence="S",
    ),
    Rule(
        "panel_determination",
        "31-A",
        "panel_verification",
        30,
        ("panel_determination_no_denial", "panel_determination_denial"),
        ("remedies_imposed", *CLOSING),
        confidence="U",
    ),
)
# Migration 0011 (docs/mechanism.md, the 31-B table): each of these 31-A rules, with its length, calendar,
# start, stopping acts and ended_by, is assumed to hold for Annex 31-B under the code `<code>_31b`, tagged
# unconfirmed [U].
MIRRORED_IN_31B = (
    "mexico_response",
    "mexico_review",
    "remediation_consultations",
    "panel_constitution",
    "panel_basics_confirmation",
    "panel_determination",
)
RULES = (
    *FIRST_RULES,
    *(
        replace(rule, code=f"{rule.code}_31b", annex="31-B", confidence="U")
        for rule in FIRST_RULES
        if rule.code in MIRRORED_IN_31B
    ),
)
RULE_OF_CODE = {rule.code: rule for rule in RULES}

# The holidays package's categories that make each country's non-business days: the default public
# holidays for the United States and Mexico; for Canada the general holidays of federally regulated
# workplaces, the package's "government" category (Victoria Day and Thanksgiving are not in "public").
HOLIDAY_CATEGORIES = {"US": ("public",), "MX": ("public",), "CA": ("government",)}


@cache
def holidays_of(country: str, year: int) -> frozenset[dt.date]:
    found = holidays.country_holidays(country, years=year, categories=HOLIDAY_CATEGORIES[country])
    return frozenset(found)


def is_business_day(day: dt.date, country: str) -> bool:
    return day.weekday() < 5 and day not in holidays_of(country, day.year)


def due_date(rule: Rule, start: dt.date) -> dt.date:
    if rule.business_days_of:
        day, left = start, rule.days
        while left:
            day += DAY
            left -= is_business_day(day, rule.business_days_of)
        return day
    due = start + dt.timedelta(days=rule.days)
    while rule.rolls_to and not is_business_day(due, rule.rolls_to):
        due += DAY
    return due


@dataclass(frozen=True)
class Clock:
    case_id: str
    rule: str
    start_date: dt.date
    due_date: dt.date
    verdict: str
    satisfied_on: dt.date | None = None
    days_late: int | None = None
    days_late_is_minimum: bool = False
    proof: Fact | None = None  # the fact that proves a stopped clock's verdict


@dataclass(frozen=True)
class Proof:
    fact: Fact
    verdict: str
    on: dt.date
    days_late: int | None = None
    minimum: bool = False


def stopped(due_from: dt.date | None, due: dt.date, stop: Fact) -> Proof:
    """docs/mechanism.md: met when the act surely happened by the due date, late when surely after it,
    otherwise the record proves only that the clock ended by the stop's last possible day."""
    if due_from is not None and stop.latest <= due_from:
        return Proof(stop, "met", stop.latest, 0)
    if stop.earliest is not None and stop.earliest > due:
        return Proof(
            stop, "late", stop.earliest, (stop.earliest - due).days, stop.names_a_period or due_from != due
        )
    return Proof(stop, "ended", stop.latest)


def clock_of(case: RealCase, rule: Rule, start: Fact, today: dt.date) -> Clock:
    due = due_date(rule, start.latest)
    due_from = None if start.earliest is None else due_date(rule, start.earliest)
    restarts = [fact.on for fact in case.of(rule.starts) if (fact.on, fact.order) > (start.on, start.order)]
    candidates = [
        fact
        for fact in case.facts
        if fact is not start and fact.latest >= start.on and (not restarts or fact.on < min(restarts))
    ]
    stops = [stopped(due_from, due, fact) for fact in candidates if fact.kind in rule.stops]
    ends = [Proof(fact, "ended", fact.latest) for fact in candidates if fact.kind in rule.ends]
    first_stop = min(stops, key=lambda proof: (proof.on, proof.fact.order), default=None)
    proof = first_stop
    if proof is None or proof.verdict == "ended":
        proof = min(stops + ends, key=lambda proof: (proof.on, proof.fact.order), default=None)
    if proof is None:
        # Every real case comes from public sources: silence past the due date is not "overdue".
        verdict = "pending" if today <= due else "not_in_record"
        return Clock(case.case_id, rule.code, start.on, due, verdict)
    return Clock(
        case.case_id,
        rule.code,
        start.on,
        due,
        proof.verdict,
        satisfied_on=proof.on,
        days_late=proof.days_late,
        days_late_is_minimum=proof.minimum,
        proof=proof.fact,
    )


def clocks(cases: Iterable[RealCase], today: dt.date) -> list[Clock]:
    return [
        clock_of(case, rule, start, today)
        for case in cases
        for rule in RULES
        if rule.annex == case.row["annex"]
        for start in case.of(rule.starts)
    ]
