"""The interchange format of cases.csv (docs/import_cases.md): its columns, the problems found in a
file, and a checked row.

A blank cell means "not confirmed from a public source": it is read as unknown, never as zero or no.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rrm.mapping import MexicoAnswer, SectorMapping

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
SELF_INITIATED = "self-initiated"
CASE_ID_PATTERN = re.compile(r"[a-z0-9-]+")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
INTEGER_PATTERN = re.compile(r"[+-]?\d+")
DECIMAL_PATTERN = re.compile(r"[+-]?\d+(?:\.\d+)?")
MAX_POSITIVE_INTEGER = 2_147_483_647
# Case.backpay_usd holds 14 digits, 2 of them after the point.
MAX_BACKPAY_INTEGER_DIGITS = 12


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None
    message: str

    def render(self, label: str) -> str:
        where = f"{label}:{self.line}:"
        return f"{where} column {self.column}: {self.message}" if self.column else f"{where} {self.message}"


def _reading_order(problem: Problem) -> tuple[int, int]:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.line, column)


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, *, errors: Sequence[Problem], warnings: Sequence[Problem]) -> None:
        self.errors = sorted(errors, key=_reading_order)
        self.warnings = list(warnings)
        super().__init__(f"{len(self.errors)} error(s)")


@dataclass(frozen=True)
class CaseRow:
    """One checked row of the file; a cell the case stores has the name of its field in CaseFields."""

    line: int
    case_id: str
    facility_name: str
    company: str
    city: str
    state: str
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

    @property
    def facility_key(self) -> tuple[str, str]:
        return (self.company.casefold(), self.facility_name.casefold())


@dataclass
class ParsedFile:
    """Every row read, and the problems found; the rows are only written when errors is empty."""

    rows: list[CaseRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
