"""Import of case files in the interchange format of cases.csv (../shared/rrm/README.md).

The whole file is read and checked first; every problem is collected with its line and column. Only
a file without errors is written, in one transaction, one case at a time through the services.
A blank cell means "not confirmed from a public source": it is stored as unknown, never as zero or no.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone

from petitions import services as petition_services
from remediation import services as remediation_services
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm import selectors as rrm_selectors
from rrm import services as rrm_services
from rrm.choices import Annex, EventKind, Initiation, Outcome, Stage
from rrm.deadlines import replay_recorded_case
from rrm.errors import DomainError, InvalidDate
from rrm.mapping import (
    MexicoAnswer,
    SectorMapping,
    is_backpay_floor,
    map_sector,
    map_state,
    read_mexico_response,
)
from rrm.models import Case, Company, Facility
from rrm.services import DatedFact, TimelineSlot, WriteResult

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
# Files longer than this report their progress on stderr, once every tenth of the rows.
PROGRESS_MIN_ROWS = 1000

# The stage a case is in once its outcome is known: outcome vocabulary of process.md §7 onto the
# state machine of §8. This is the only place the import decides a stage; an 'open' case takes the
# stage of the last milestone its row confirms (open_stage below).
STAGE_OF_OUTCOME: dict[str, str] = {
    Outcome.ILC_DECLINED: Stage.ILC_DECLINED,
    Outcome.RESOLVED_WITHOUT_REQUEST: Stage.CLOSED_WITHOUT_REQUEST,
    Outcome.WITHDRAWN: Stage.WITHDRAWN,
    Outcome.MEXICO_DECLINED_REVIEW: Stage.MEXICO_DECLINED,
    Outcome.MEXICO_FOUND_NO_DENIAL_CLOSED: Stage.RESOLVED,
    Outcome.REMEDIED_DURING_REVIEW: Stage.RESOLVED,
    Outcome.RESOLVED_COMPANY_AGREEMENT: Stage.RESOLVED,
    Outcome.RESOLVED_FACILITY_ACTIONS: Stage.RESOLVED,
    Outcome.COURSE_OF_REMEDIATION_COMPLETED: Stage.RESOLVED,
    Outcome.FACILITY_CLOSED: Stage.FACILITY_CLOSED,
    Outcome.PANEL_NO_DENIAL: Stage.CLOSED_PANEL_NO_DENIAL,
    Outcome.PANEL_DENIAL_FOUND: Stage.REMEDIES_CONSIDERED,
    Outcome.PANEL_PENDING: Stage.PANEL_REQUESTED,
}
# Outcomes that say no request for review was ever sent (process.md §7).
OUTCOMES_WITHOUT_REQUEST = frozenset(
    {Outcome.ILC_DECLINED, Outcome.RESOLVED_WITHOUT_REQUEST, Outcome.WITHDRAWN}
)
# (later column, earlier column): the mechanism's order, which no real case can break (process.md §8).
DATE_ORDER = (
    ("ilc_request_for_review_date", "petition_date"),
    ("mexico_response_date", "petition_date"),
    ("mexico_response_date", "ilc_request_for_review_date"),
    ("remediation_agreed_date", "petition_date"),
    ("remediation_agreed_date", "mexico_response_date"),
    ("panel_request_date", "petition_date"),
    ("panel_request_date", "ilc_request_for_review_date"),
    ("panel_request_date", "mexico_response_date"),
    ("outcome_date", "petition_date"),
    ("outcome_date", "ilc_request_for_review_date"),
    ("outcome_date", "mexico_response_date"),
    ("outcome_date", "remediation_agreed_date"),
    ("outcome_date", "panel_request_date"),
)


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
    """One checked row of the file."""

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
    petition_date: dt.date | None
    request_date: dt.date | None
    mexico_response: str
    mexico_answer: MexicoAnswer | None
    mexico_response_date: dt.date | None
    remediation_date: dt.date | None
    panel_date: dt.date | None
    outcome: str
    outcome_date: dt.date | None
    backpay_usd: Decimal | None
    backpay_is_floor: bool
    workers_covered: int | None
    source_url: str
    annex: str
    invocation_no: int | None
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


# ---------------------------------------------------------------------------------------------------
# Reading and checking


class _RowReader:
    """Reads the cells of one row, recording a problem for each cell that is not in the format.

    A column missing from the header reads as blank and is not reported again on every row.
    """

    def __init__(self, *, line: int, cells: dict[str, str], parsed: ParsedFile, today: dt.date) -> None:
        self.line = line
        self.cells = cells
        self.parsed = parsed
        self.today = today

    def error(self, column: str | None, message: str) -> None:
        self.parsed.errors.append(Problem(self.line, column, message))

    def warn(self, column: str, message: str) -> None:
        self.parsed.warnings.append(Problem(self.line, column, message))

    def text(self, column: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and column in self.cells and not value:
            self.error(column, "is blank; it is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            if not DATE_PATTERN.fullmatch(value):
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"{value!r} is not a date (YYYY-MM-DD)")
            return None
        if day > self.today:
            self.error(column, f"{value} is in the future (today is {self.today})")
        return day

    def integer(self, column: str, *, minimum: int) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not INTEGER_PATTERN.fullmatch(value):
            self.error(column, f"{value!r} is not a whole number (digits only, no separators)")
            return None
        number = int(value)
        if number < minimum:
            self.error(column, f"{value} is not allowed; it must be {minimum} or more")
        elif number > MAX_POSITIVE_INTEGER:
            self.error(column, f"{value} is too large")
        return number

    def amount(self, column: str) -> Decimal | None:
        value = self.text(column)
        if not value:
            return None
        if not DECIMAL_PATTERN.fullmatch(value):
            self.error(column, f"{value!r} is not a number (digits and an optional '.', no separators)")
            return None
        number = Decimal(value)
        whole, _, fraction = value.lstrip("+-").partition(".")
        if number < 0:
            self.error(column, f"{value} is negative; amounts are 0 or more")
        elif len(fraction) > 2:
            self.error(column, f"{value} has more than 2 decimal places")
        elif len(whole.lstrip("0")) > MAX_BACKPAY_INTEGER_DIGITS:
            self.error(column, f"{value} is too large")
        return number

    def code(self, column: str, *, allowed: Sequence[str], what: str) -> str:
        value = self.text(column, required=True)
        if value and value not in allowed:
            self.error(column, f"{value!r} is not {what} (one of: {', '.join(allowed)})")
        return value


def _check_case_id(reader: _RowReader) -> str:
    case_id = reader.text("case_id", required=True, max_length=100)
    if case_id and not CASE_ID_PATTERN.fullmatch(case_id):
        reader.error("case_id", f"{case_id!r} must contain only a-z, 0-9 and '-'")
    return case_id


def _check_state(reader: _RowReader) -> str:
    written = reader.text("state", required=True)
    if not written:
        return ""
    code = map_state(written)
    if code is None:
        reader.error("state", f"{written!r} is not a Mexican federal entity (e.g. 'Nuevo León' or 'NLE')")
        return ""
    return code


def _check_sector(reader: _RowReader) -> tuple[SectorMapping | None, str]:
    reported = reader.text("sector", max_length=255)
    if not reported:
        return None, ""
    mapping = map_sector(reported)
    if mapping is None:
        reader.warn(
            "sector",
            f"{reported!r} matches no sector rule; stored as reported, with sector and subsector blank",
        )
    return mapping, reported


def _check_petitioners(reader: _RowReader) -> tuple[tuple[str, ...], bool]:
    written = reader.text("petitioners")
    if written.casefold() == SELF_INITIATED:
        return (), True
    names = tuple(name.strip() for name in written.split(";") if name.strip())
    seen: set[str] = set()
    for name in names:
        if len(name) > 255:
            reader.error("petitioners", f"{name[:40]!r}... is longer than 255 characters")
        if name.casefold() in seen:
            reader.error("petitioners", f"{name!r} is listed twice")
        seen.add(name.casefold())
    return names, False


def _check_url(reader: _RowReader) -> str:
    url = reader.text("source_url", max_length=500)
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            reader.error("source_url", f"{url!r} is not a web address (http:// or https://)")
    return url


def _check_date_order(reader: _RowReader, dates: dict[str, dt.date | None]) -> None:
    for later, earlier in DATE_ORDER:
        later_day, earlier_day = dates[later], dates[earlier]
        if later_day is not None and earlier_day is not None and later_day < earlier_day:
            reader.error(later, f"{later_day} is before {earlier} ({earlier_day})")
    agreed_on = dates["remediation_agreed_date"]
    if agreed_on is not None:
        try:
            remediation_services.check_plan_not_before_request(
                case_id=reader.cells.get("case_id", ""),
                agreed_on=agreed_on,
                requested_on=dates["ilc_request_for_review_date"],
            )
        except InvalidDate as refused:
            reader.error("remediation_agreed_date", str(refused))


def _check_consistency(reader: _RowReader, row: CaseRow) -> None:
    if row.self_initiated and row.petition_date is not None:
        reader.error("petition_date", "a self-initiated case has no petition; leave it blank")
    if row.outcome == Outcome.OPEN and row.outcome_date is not None:
        reader.error("outcome_date", "the outcome is 'open' (none found), so there is no outcome date")
    if row.outcome in OUTCOMES_WITHOUT_REQUEST and row.request_date is not None:
        reader.error(
            "outcome",
            f"{row.outcome!r} means no request for review was sent, "
            f"but ilc_request_for_review_date is {row.request_date}",
        )


def read_row(*, line: int, cells: dict[str, str], parsed: ParsedFile, today: dt.date) -> CaseRow:
    """The row as read; each cell not in the format is recorded in parsed.errors and read as blank."""
    reader = _RowReader(line=line, cells=cells, parsed=parsed, today=today)
    dates = {
        column: reader.date(column)
        for column in (
            "petition_date",
            "ilc_request_for_review_date",
            "mexico_response_date",
            "remediation_agreed_date",
            "panel_request_date",
            "outcome_date",
        )
    }
    sector, sector_reported = _check_sector(reader)
    petitioners, self_initiated = _check_petitioners(reader)
    mexico_response = reader.text("mexico_response")
    backpay = reader.amount("backpay_usd")
    notes = reader.text("notes")
    row = CaseRow(
        line=line,
        case_id=_check_case_id(reader),
        facility_name=reader.text("facility_name", required=True, max_length=255),
        company=reader.text("company", required=True, max_length=255),
        city=reader.text("city", max_length=120),
        state=_check_state(reader),
        sector=sector,
        sector_reported=sector_reported,
        petitioners=petitioners,
        self_initiated=self_initiated,
        petition_date=dates["petition_date"],
        request_date=dates["ilc_request_for_review_date"],
        mexico_response=mexico_response,
        mexico_answer=read_mexico_response(mexico_response),
        mexico_response_date=dates["mexico_response_date"],
        remediation_date=dates["remediation_agreed_date"],
        panel_date=dates["panel_request_date"],
        outcome=reader.code("outcome", allowed=Outcome.values, what="an outcome code"),
        outcome_date=dates["outcome_date"],
        backpay_usd=backpay,
        backpay_is_floor=backpay is not None and is_backpay_floor(notes),
        workers_covered=reader.integer("workers_covered", minimum=0),
        source_url=_check_url(reader),
        annex=reader.code("annex", allowed=Annex.values, what="an annex"),
        invocation_no=reader.integer("ustr_invocation_no", minimum=1),
        notes=notes,
    )
    _check_date_order(reader, dates)
    _check_consistency(reader, row)
    return row


def _check_header(header: list[str], parsed: ParsedFile, *, line: int) -> None:
    names = [name.strip() for name in header]
    for column in COLUMNS:
        if column not in names:
            parsed.errors.append(Problem(line, column, "is missing from the header"))
    seen: set[str] = set()
    for name in names:
        if name in seen:
            parsed.errors.append(Problem(line, name, "appears twice in the header"))
        elif name not in COLUMNS:
            parsed.warnings.append(Problem(line, name or "(blank)", "is not a column of the format; ignored"))
        seen.add(name)


def _check_across_rows(parsed: ParsedFile) -> None:
    """Rules that involve several rows: unique case ids and invocation numbers, one state per facility."""
    first_line_of_case: dict[str, int] = {}
    first_of_invocation: dict[tuple[str, int], CaseRow] = {}
    first_of_facility: dict[tuple[str, str], CaseRow] = {}
    for row in parsed.rows:
        if row.case_id and row.case_id in first_line_of_case:
            parsed.errors.append(
                Problem(
                    row.line,
                    "case_id",
                    f"{row.case_id!r} is already used on line {first_line_of_case[row.case_id]}",
                )
            )
        first_line_of_case.setdefault(row.case_id, row.line)
        if row.invocation_no is not None:
            other = first_of_invocation.setdefault((row.annex, row.invocation_no), row)
            if other is not row:
                parsed.errors.append(
                    Problem(
                        row.line,
                        "ustr_invocation_no",
                        f"{row.annex} invocation {row.invocation_no} is already case {other.case_id!r} "
                        f"on line {other.line}",
                    )
                )
        if not row.state:
            continue
        facility = first_of_facility.setdefault(row.facility_key, row)
        if facility.state != row.state:
            parsed.errors.append(
                Problem(
                    row.line,
                    "state",
                    f"facility {row.facility_name!r} of {row.company!r} is in {facility.state} "
                    f"on line {facility.line}, not {row.state}",
                )
            )


def parse_text(text: str, *, today: dt.date) -> ParsedFile:
    """Read and check a whole file."""
    parsed = ParsedFile()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            parsed.errors.append(Problem(1, None, "the file is empty; a header row is expected"))
            return parsed
        header_line = reader.line_num
        _check_header(header, parsed, line=header_line)
        names = [name.strip() for name in header]
        next_line = header_line + 1
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if not cells:
                continue
            if len(cells) != len(names):
                parsed.errors.append(
                    Problem(line, None, f"has {len(cells)} fields; the header has {len(names)}")
                )
                continue
            parsed.rows.append(
                read_row(line=line, cells=dict(zip(names, cells, strict=True)), parsed=parsed, today=today)
            )
    except csv.Error as unreadable:
        parsed.errors.append(Problem(reader.line_num, None, f"cannot be read as CSV: {unreadable}"))
    _check_across_rows(parsed)
    return parsed


def parse_file(path: Path, *, today: dt.date) -> ParsedFile:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as undecodable:
        line = raw[: undecodable.start].count(b"\n") + 1
        parsed = ParsedFile()
        parsed.errors.append(Problem(line, None, f"is not UTF-8 text (byte {undecodable.start})"))
        return parsed
    return parse_text(text, today=today)


def check_against_database(rows: Sequence[CaseRow]) -> list[Problem]:
    """Rules involving what is already stored: an invocation number belongs to one case only."""
    in_file = {row.case_id for row in rows}
    owners = rrm_selectors.case_ids_by_invocation()
    problems = []
    for row in rows:
        owner = owners.get((row.annex, row.invocation_no)) if row.invocation_no is not None else None
        if owner is not None and owner != row.case_id and owner not in in_file:
            problems.append(
                Problem(
                    row.line,
                    "ustr_invocation_no",
                    f"{row.annex} invocation {row.invocation_no} belongs to case {owner!r} in the database",
                )
            )
    return problems


# ---------------------------------------------------------------------------------------------------
# What a row means for the record


def open_stage(row: CaseRow) -> str:
    """Stage of a case with no known outcome: the last milestone its row confirms."""
    if row.panel_date is not None:
        return Stage.PANEL_REQUESTED
    if row.remediation_date is not None:
        return Stage.REMEDIATION_IN_PROGRESS
    if row.request_date is not None:
        answered = {"accepted": Stage.MEXICO_REVIEW, "declined": Stage.MEXICO_DECLINED}
        return answered.get(row.mexico_answer or "", Stage.REQUEST_SENT)
    if row.petition_date is not None:
        return Stage.ILC_REVIEW
    return Stage.SUBMITTED


def stage_of(row: CaseRow) -> str:
    return open_stage(row) if row.outcome == Outcome.OPEN else STAGE_OF_OUTCOME[row.outcome]


def case_fields(row: CaseRow) -> rrm_services.CaseFields:
    return rrm_services.CaseFields(
        annex=row.annex,
        initiation=Initiation.SELF_INITIATED if row.self_initiated else Initiation.PETITION,
        stage=stage_of(row),
        outcome=row.outcome,
        outcome_date=row.outcome_date,
        ustr_invocation_no=row.invocation_no,
        petition_received_on=row.petition_date,
        request_for_review_on=row.request_date,
        mexico_response=row.mexico_response,
        mexico_response_on=row.mexico_response_date,
        remediation_agreed_on=row.remediation_date,
        panel_requested_on=row.panel_date,
        # USTR directs Treasury to suspend liquidation the day it sends the request (process.md §4 row 2).
        liquidation_suspended_on=row.request_date if row.annex == Annex.A31 else None,
        backpay_usd=row.backpay_usd,
        backpay_is_floor=row.backpay_is_floor,
        workers_covered=row.workers_covered,
        source_url=row.source_url,
        notes=row.notes,
    )


def _fact(kind: str, day: dt.date | None, description: str, **data: str) -> DatedFact | None:
    return None if day is None else DatedFact(kind=kind, occurred_on=day, description=description, data=data)


def timeline_slots(row: CaseRow) -> list[TimelineSlot]:
    """Each dated column of the row as the timeline event it records, or None where it is blank."""
    answer_kind = {"accepted": EventKind.MEXICO_ACCEPTED, "declined": EventKind.MEXICO_DECLINED}
    mexico_kind = answer_kind.get(row.mexico_answer or "")
    suspended_on = row.request_date if row.annex == Annex.A31 else None
    return [
        TimelineSlot(
            "petition_date",
            (EventKind.PETITION_RECEIVED,),
            _fact(EventKind.PETITION_RECEIVED, row.petition_date, "Petition received."),
        ),
        TimelineSlot(
            "ilc_request_for_review_date",
            (EventKind.REQUEST_FOR_REVIEW,),
            _fact(EventKind.REQUEST_FOR_REVIEW, row.request_date, "Request for review sent to Mexico."),
        ),
        TimelineSlot(
            "liquidation suspension (31-A request date)",
            (EventKind.LIQUIDATION_SUSPENDED,),
            _fact(
                EventKind.LIQUIDATION_SUSPENDED,
                suspended_on,
                "USTR directs suspension of liquidation on the day of the request (process.md §4 row 2).",
            ),
        ),
        TimelineSlot(
            "mexico_response_date",
            (EventKind.MEXICO_ACCEPTED, EventKind.MEXICO_DECLINED),
            None
            if mexico_kind is None
            else _fact(
                mexico_kind,
                row.mexico_response_date,
                f"Mexico's response as reported: {row.mexico_response}",
                reported=row.mexico_response,
            ),
        ),
        TimelineSlot(
            "remediation_agreed_date",
            (EventKind.REMEDIATION_AGREED,),
            _fact(EventKind.REMEDIATION_AGREED, row.remediation_date, "Course of remediation agreed."),
        ),
        TimelineSlot(
            "panel_request_date",
            (EventKind.PANEL_REQUESTED,),
            _fact(EventKind.PANEL_REQUESTED, row.panel_date, "Rapid Response Labor Panel requested."),
        ),
        TimelineSlot(
            "outcome_date",
            (EventKind.OUTCOME_ANNOUNCED,),
            _fact(
                EventKind.OUTCOME_ANNOUNCED,
                row.outcome_date,
                f"Outcome announced: {Outcome(row.outcome).label}.",
                outcome=row.outcome,
            ),
        ),
    ]


def plan_status(row: CaseRow) -> str:
    stage = stage_of(row)
    if stage == Stage.RESOLVED:
        return RemediationPlan.Status.COMPLETED
    if stage == Stage.FACILITY_CLOSED:
        return RemediationPlan.Status.FACILITY_CLOSED
    return RemediationPlan.Status.IN_PROGRESS


MEXICO_RESPONSE = {"accepted": MexicoReview.Response.ACCEPTED, "declined": MexicoReview.Response.DECLINED}


# ---------------------------------------------------------------------------------------------------
# Writing


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, result: WriteResult) -> None:
        setattr(self, result.value, getattr(self, result.value) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    cases: Tally = field(default_factory=Tally)
    facilities: Tally = field(default_factory=Tally)
    companies_created: int = 0
    organisations_created: int = 0
    events_written: int = 0
    warnings: list[Problem] = field(default_factory=list)


def _facility_fields(rows: Sequence[CaseRow]) -> rrm_services.FacilityFields:
    """A facility named on several rows takes, for each attribute, the last value the file gives it."""
    located = [row for row in rows if row.city] or rows[:1]
    described = [row for row in rows if row.sector_reported] or rows[:1]
    counted = [row for row in rows if row.workers_covered is not None] or rows[:1]
    sector = described[-1].sector
    return rrm_services.FacilityFields(
        city=located[-1].city,
        state=rows[-1].state,
        sector=sector.sector if sector else "",
        subsector=sector.subsector if sector else "",
        sector_reported=described[-1].sector_reported,
        headcount=counted[-1].workers_covered,
    )


def _write_facility(rows: Sequence[CaseRow], report: ImportReport, companies: dict[str, Company]) -> Facility:
    first = rows[0]
    company_key = first.facility_key[0]
    if company_key not in companies:
        companies[company_key], created = rrm_services.get_or_create_company(name=first.company)
        report.companies_created += created
    facility, result = rrm_services.save_facility(
        operator=companies[company_key], name=first.facility_name, fields=_facility_fields(rows)
    )
    report.facilities.add(result)
    return facility


def import_row(*, row: CaseRow, facility: Facility, source_note: str, report: ImportReport) -> Case:
    """Write one case and everything its row states; the timeline is written last, in one call."""
    case, result = rrm_services.save_case(case_id=row.case_id, facility=facility, fields=case_fields(row))
    related = [_write_petition(row=row, case=case, report=report), *_write_review_stages(row=row, case=case)]
    events = rrm_services.sync_imported_timeline(
        case=case, slots=timeline_slots(row), source_url=row.source_url, source_note=source_note
    )
    deadlines_changed = replay_recorded_case(case=case)
    report.events_written += len(events)
    changed_around = events or deadlines_changed or any(other != WriteResult.UNCHANGED for other in related)
    if result == WriteResult.UNCHANGED and changed_around:
        result = WriteResult.UPDATED
    report.cases.add(result)
    return case


def _write_petition(*, row: CaseRow, case: Case, report: ImportReport) -> WriteResult:
    # Only a petition-based case whose petitioners are known gets a petition record.
    if row.self_initiated or not row.petitioners:
        return WriteResult.UNCHANGED
    organisations = []
    for name in row.petitioners:
        organisation, created = rrm_services.get_or_create_organisation(name=name)
        report.organisations_created += created
        organisations.append(organisation)
    return petition_services.save_imported_petition(
        case=case, petitioners=organisations, received_on=row.petition_date
    )


def _write_review_stages(*, row: CaseRow, case: Case) -> list[WriteResult]:
    results = []
    if row.request_date is not None:
        results.append(
            remediation_services.save_mexico_review(
                case=case,
                requested_on=row.request_date,
                response=MEXICO_RESPONSE.get(row.mexico_answer or "", MexicoReview.Response.PENDING),
                response_on=row.mexico_response_date,
                response_reported=row.mexico_response,
            )
        )
    if row.remediation_date is not None:
        kind = (
            RemediationPlan.Kind.COMPANY
            if row.outcome == Outcome.RESOLVED_COMPANY_AGREEMENT
            else RemediationPlan.Kind.GOVERNMENT
        )
        results.append(
            remediation_services.save_remediation_plan(
                case=case,
                agreed_on=row.remediation_date,
                kind=kind,
                status=plan_status(row),
                source_url=row.source_url,
            )
        )
    if row.panel_date is not None:
        results.append(
            remediation_services.save_panel(
                case=case, requested_on=row.panel_date, **panel_determination(row)
            )
        )
    return results


# The panel's own finding, when the row's outcome is one; it is dated by the outcome date, and stays
# pending when the row gives none (the determination needs a date).
PANEL_DETERMINATION_OF_OUTCOME = {
    Outcome.PANEL_NO_DENIAL: Panel.Determination.NO_DENIAL,
    Outcome.PANEL_DENIAL_FOUND: Panel.Determination.DENIAL,
}


def panel_determination(row: CaseRow) -> dict[str, Any]:
    determination = PANEL_DETERMINATION_OF_OUTCOME.get(Outcome(row.outcome))
    if determination is None or row.outcome_date is None:
        return {}
    return {"determination": determination, "determined_on": row.outcome_date}


ProgressCallback = Callable[[int, int], None]


def progress_step(total: int) -> int | None:
    """Rows between two progress reports: a tenth of a long file; None (no reports) for a short one."""
    return max(1, total // 10) if total > PROGRESS_MIN_ROWS else None


def _refusal(line: int, refused: Exception) -> Problem:
    return Problem(line, None, f"refused by the database or a rule: {refused}".strip())


def write_rows(
    rows: Sequence[CaseRow], *, source_name: str, on_progress: ProgressCallback | None = None
) -> ImportReport:
    """Write checked rows; a row the database refuses is reported by line and nothing is kept.

    Each facility, then each case, is written under its own savepoint, so that one refusal does not
    hide the problems of the rows after it.
    """
    report = ImportReport()
    errors: list[Problem] = []
    rows_of_facility: dict[tuple[str, str], list[CaseRow]] = {}
    for row in rows:
        rows_of_facility.setdefault(row.facility_key, []).append(row)
    companies: dict[str, Company] = {}
    facilities: dict[tuple[str, str], Facility] = {}
    for key, facility_rows in rows_of_facility.items():
        try:
            with transaction.atomic():
                facilities[key] = _write_facility(facility_rows, report, companies)
        except (DomainError, DatabaseError) as refused:
            errors.append(_refusal(facility_rows[0].line, refused))
    step = progress_step(len(rows))
    for done, row in enumerate(rows, start=1):
        if row.facility_key in facilities:
            try:
                with transaction.atomic():
                    import_row(
                        row=row,
                        facility=facilities[row.facility_key],
                        source_note=f"{rrm_services.IMPORT_NOTE_PREFIX} {source_name} line {row.line}",
                        report=report,
                    )
            except (DomainError, DatabaseError) as refused:
                errors.append(_refusal(row.line, refused))
        if on_progress is not None and step is not None and (done % step == 0 or done == len(rows)):
            on_progress(done, len(rows))
    if errors:
        raise ImportRejected(errors=errors, warnings=[])
    return report


def import_cases_file(path: Path, *, on_progress: ProgressCallback | None = None) -> ImportReport:
    """Check the whole file, then write it in one transaction; raises ImportRejected, writing nothing."""
    parsed = parse_file(path, today=timezone.localdate())
    with transaction.atomic():
        errors = parsed.errors + check_against_database(parsed.rows)
        if errors:
            raise ImportRejected(errors=errors, warnings=parsed.warnings)
        try:
            report = write_rows(parsed.rows, source_name=path.name, on_progress=on_progress)
        except ImportRejected as refused:
            raise ImportRejected(errors=refused.errors, warnings=parsed.warnings) from None
    report.warnings = parsed.warnings
    return report
