"""The interchange format of cases.csv and events.csv (docs/import_cases.md): their columns, the
problems found in a file, and a checked row of each.

A blank cell means "not confirmed from a public source": it is read as unknown, never as zero or no.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from rrm.choices import EventKind
from rrm.mapping import MexicoAnswer, SectorMapping
from rrm.models import DateBasis, DatePrecision

COLUMNS = (
    "case_id",
    "facility_name",
    "company",
    "city",
    "state",
    "sector",
    "petitioners",
    "petition_date",
    "ilc_request_for_review_date",
    "mexico_response",
    "remediation_agreed_date",
    "outcome",
    "backpay_usd",
    "workers_covered",
    "source_url",
    "annex",
    "mexico_response_date",
    "panel_request_date",
    "outcome_date",
    "ustr_invocation_no",
    "notes",
)
EVENT_COLUMNS = ("case_id", "kind", "date", "date_basis", "source_url", "note")
# The acts events.csv may name; the other EventKind values (corrections, notes, clock changes) are
# written only by the service itself.
EVENT_KINDS: tuple[str, ...] = tuple(
    str(kind)
    for kind in EventKind
    if kind
    not in {
        EventKind.ILC_REVIEW_STARTED,
        EventKind.REMEDIATION_NOT_AGREED,
        EventKind.PANEL_BASICS_CONFIRMED,
        EventKind.EXTENSION_AGREED,
        EventKind.CLOCK_SUSPENDED,
        EventKind.CLOCK_RESUMED,
        EventKind.CORRECTION,
        EventKind.NOTE,
    }
)
SELF_INITIATED = "self-initiated"
CASE_ID_PATTERN = re.compile(r"[a-z0-9-]+")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_PATTERN = re.compile(r"\d{4}-\d{2}")
INTEGER_PATTERN = re.compile(r"[+-]?\d+")
DECIMAL_PATTERN = re.compile(r"[+-]?\d+(?:\.\d+)?")
MAX_POSITIVE_INTEGER = 2_147_483_647
# Case.backpay_usd holds 14 digits, 2 of them after the point.
MAX_BACKPAY_INTEGER_DIGITS = 12


Of = TypeVar("Of")


@dataclass(frozen=True)
class FilePair(Generic[Of]):
    """One thing of each file of an import, the cases file's and the events file's: their paths, or the
    names the imported facts are tagged with."""

    cases: Of
    events: Of


@dataclass(frozen=True)
class Problem:
    """A problem at a line of a file: the cases file being imported, unless `file` names another."""

    line: int
    column: str | None
    message: str
    file: str = ""

    def render(self, label: str) -> str:
        where = f"{self.file or label}:{self.line}:"
        return f"{where} column {self.column}: {self.message}" if self.column else f"{where} {self.message}"


def _reading_order(problem: Problem) -> tuple[str, int, int]:
    columns = EVENT_COLUMNS if problem.file else COLUMNS
    column = columns.index(problem.column) if problem.column in columns else -1
    return (problem.file, problem.line, column)


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, *, errors: Sequence[Problem], warnings: Sequence[Problem]) -> None:
        self.errors = sorted(errors, key=_reading_order)
        self.warnings = list(warnings)
        super().__init__(f"{len(self.errors)} error(s)")


@dataclass(frozen=True)
class ListedFacility:
    """One facility a row lists: its name, operator and place (a blank city is unknown)."""

    name: str
    company: str
    city: str
    state: str
    country: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.company.casefold(), self.name.casefold())


@dataclass(frozen=True)
class CaseRow:
    """One checked row of the file; a cell the case stores has the name of its field in CaseFields."""

    line: int
    case_id: str
    # In the order the row lists them; the first is the case's facility.
    facilities: tuple[ListedFacility, ...]
    complainant: str
    respondent: str
    sector: SectorMapping | None
    sector_reported: str
    petitioners: tuple[str, ...]
    self_initiated: bool
    petition_received_on: dt.date | None
    request_for_review_on: dt.date | None
    mexico_response: str
    mexico_answer: MexicoAnswer | None
    mexico_response_on: dt.date | None
    remediation_agreed_on: dt.date | None
    panel_requested_on: dt.date | None
    outcome: str
    outcome_date: dt.date | None
    backpay_usd: Decimal | None
    backpay_is_floor: bool
    workers_covered: int | None
    source_url: str
    annex: str
    ustr_invocation_no: int | None
    notes: str


@dataclass(frozen=True)
class EventRow:
    """One checked row of events.csv: a dated fact of a case, with its source and how its date is known."""

    line: int
    case_id: str
    kind: str
    occurred_on: dt.date
    date_precision: DatePrecision
    date_basis: str
    source_url: str
    note: str

    @property
    def written_date(self) -> str:
        """The date as the file gives it: the day, or only the month."""
        return (
            f"{self.occurred_on:%Y-%m}"
            if self.date_precision == DatePrecision.MONTH
            else str(self.occurred_on)
        )


@dataclass
class Findings:
    """The problems found in a file; its rows are only written when errors is empty."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class ParsedFile(Findings):
    rows: list[CaseRow] = field(default_factory=list)


@dataclass
class ParsedEvents(Findings):
    rows: list[EventRow] = field(default_factory=list)


DATE_BASES = tuple(str(basis) for basis in DateBasis)
