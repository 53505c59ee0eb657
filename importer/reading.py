"""Reading and checking a whole file: every problem is collected with its line and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from importer.facilities import check_facilities, check_parties
from importer.format import (
    CASE_ID_PATTERN,
    COLUMNS,
    DATE_PATTERN,
    DECIMAL_PATTERN,
    INTEGER_PATTERN,
    MAX_BACKPAY_INTEGER_DIGITS,
    MAX_POSITIVE_INTEGER,
    SELF_INITIATED,
    CaseRow,
    Findings,
    ListedFacility,
    ParsedFile,
    Problem,
)
from remediation import services as remediation_services
from rrm import selectors as rrm_selectors
from rrm.choices import Annex, Outcome
from rrm.errors import InvalidDate
from rrm.mapping import SectorMapping, is_backpay_floor, map_sector, read_mexico_response

# Outcomes that say no request for review was ever sent (docs/mechanism.md, "Outcomes").
OUTCOMES_WITHOUT_REQUEST = frozenset(
    {Outcome.ILC_DECLINED, Outcome.RESOLVED_WITHOUT_REQUEST, Outcome.WITHDRAWN}
)
# (later column, earlier column): the mechanism's order, which no real case can break (docs/workflow.md).
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


A_DATE = "a date (YYYY-MM-DD)"


class RowReader:
    """Reads the cells of one row, recording a problem for each cell that is not in the format.

    A column missing from the header reads as blank and is not reported again on every row.
    """

    def __init__(
        self, *, line: int, cells: dict[str, str], parsed: Findings, today: dt.date, file: str = ""
    ) -> None:
        self.line = line
        self.cells = cells
        self.parsed = parsed
        self.today = today
        self.file = file

    def error(self, column: str | None, message: str) -> None:
        self.parsed.errors.append(Problem(self.line, column, message, self.file))

    def warn(self, column: str, message: str) -> None:
        self.parsed.warnings.append(Problem(self.line, column, message, self.file))

    def text(self, column: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and column in self.cells and not value:
            self.error(column, "is blank; it is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def _matching(self, column: str, pattern: re.Pattern[str], *, not_a: str) -> str | None:
        """The cell's text when it has the pattern's form; None when blank, or not in form (an error)."""
        value = self.text(column)
        if value and not pattern.fullmatch(value):
            self.error(column, f"{value!r} is not {not_a}")
            return None
        return value or None

    def date(self, column: str) -> dt.date | None:
        value = self._matching(column, DATE_PATTERN, not_a=A_DATE)
        if value is None:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"{value!r} is not {A_DATE}")
            return None
        if day > self.today:
            self.error(column, f"{value} is in the future (today is {self.today})")
        return day

    def integer(self, column: str, *, minimum: int) -> int | None:
        value = self._matching(column, INTEGER_PATTERN, not_a="a whole number (digits only, no separators)")
        if value is None:
            return None
        number = int(value)
        if number < minimum:
            self.error(column, f"{value} is not allowed; it must be {minimum} or more")
        elif number > MAX_POSITIVE_INTEGER:
            self.error(column, f"{value} is too large")
        return number

    def amount(self, column: str) -> Decimal | None:
        value = self._matching(
            column, DECIMAL_PATTERN, not_a="a number (digits and an optional '.', no separators)"
        )
        if value is None:
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


def _check_case_id(reader: RowReader) -> str:
    case_id = reader.text("case_id", required=True, max_length=100)
    if case_id and not CASE_ID_PATTERN.fullmatch(case_id):
        reader.error("case_id", f"{case_id!r} must contain only a-z, 0-9 and '-'")
    return case_id


def _check_sector(reader: RowReader) -> tuple[SectorMapping | None, str]:
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


def _check_petitioners(reader: RowReader) -> tuple[tuple[str, ...], bool]:
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


def check_url(reader: RowReader) -> str:
    url = reader.text("source_url", max_length=500)
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            reader.error("source_url", f"{url!r} is not a web address (http:// or https://)")
    return url


def _check_date_order(reader: RowReader, dates: dict[str, dt.date | None]) -> None:
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


def _check_consistency(reader: RowReader, row: CaseRow) -> None:
    if row.self_initiated and row.petition_received_on is not None:
        reader.error("petition_date", "a self-initiated case has no petition; leave it blank")
    if row.outcome == Outcome.OPEN and row.outcome_date is not None:
        reader.error("outcome_date", "the outcome is 'open' (none found), so there is no outcome date")
    if row.outcome in OUTCOMES_WITHOUT_REQUEST and row.request_for_review_on is not None:
        reader.error(
            "outcome",
            f"{row.outcome!r} means no request for review was sent, "
            f"but ilc_request_for_review_date is {row.request_for_review_on}",
        )


def read_row(*, line: int, cells: dict[str, str], parsed: ParsedFile, today: dt.date) -> CaseRow:
    """The row as read; each cell not in the format is recorded in parsed.errors and read as blank."""
    reader = RowReader(line=line, cells=cells, parsed=parsed, today=today)
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
    case_id = _check_case_id(reader)
    annex = reader.code("annex", allowed=Annex.values, what="an annex")
    parties = check_parties(reader, annex=annex, case_id=case_id)
    row = CaseRow(
        line=line,
        case_id=case_id,
        facilities=check_facilities(reader, country=parties.respondent) if parties else (),
        complainant=parties.complainant if parties else "",
        respondent=parties.respondent if parties else "",
        sector=sector,
        sector_reported=sector_reported,
        petitioners=petitioners,
        self_initiated=self_initiated,
        petition_received_on=dates["petition_date"],
        request_for_review_on=dates["ilc_request_for_review_date"],
        mexico_response=mexico_response,
        mexico_answer=read_mexico_response(mexico_response),
        mexico_response_on=dates["mexico_response_date"],
        remediation_agreed_on=dates["remediation_agreed_date"],
        panel_requested_on=dates["panel_request_date"],
        outcome=reader.code("outcome", allowed=Outcome.values, what="an outcome code"),
        outcome_date=dates["outcome_date"],
        backpay_usd=backpay,
        backpay_is_floor=backpay is not None and is_backpay_floor(notes),
        workers_covered=reader.integer("workers_covered", minimum=0),
        source_url=check_url(reader),
        annex=annex,
        ustr_invocation_no=reader.integer("ustr_invocation_no", minimum=1),
        notes=notes,
    )
    _check_date_order(reader, dates)
    _check_consistency(reader, row)
    return row


def _check_header(
    header: list[str], findings: Findings, *, line: int, columns: tuple[str, ...], file: str
) -> None:
    names = [name.strip() for name in header]
    for column in columns:
        if column not in names:
            findings.errors.append(Problem(line, column, "is missing from the header", file))
    seen: set[str] = set()
    for name in names:
        if name in seen:
            findings.errors.append(Problem(line, name, "appears twice in the header", file))
        elif name not in columns:
            findings.warnings.append(
                Problem(line, name or "(blank)", "is not a column of the format; ignored", file)
            )
        seen.add(name)


def read_records(
    text: str, *, columns: tuple[str, ...], findings: Findings, file: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """Each row of a CSV text with its line, its cells under the header's names; problems of the header
    and of a row's shape are recorded in findings."""
    records: list[tuple[int, dict[str, str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            findings.errors.append(Problem(1, None, "the file is empty; a header row is expected", file))
            return records
        _check_header(header, findings, line=reader.line_num, columns=columns, file=file)
        names = [name.strip() for name in header]
        next_line = reader.line_num + 1
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if not cells:
                continue
            if len(cells) != len(names):
                message = f"has {len(cells)} fields; the header has {len(names)}"
                findings.errors.append(Problem(line, None, message, file))
                continue
            records.append((line, dict(zip(names, cells, strict=True))))
    except csv.Error as unreadable:
        findings.errors.append(Problem(reader.line_num, None, f"cannot be read as CSV: {unreadable}", file))
    return records


def decode_file(path: Path, findings: Findings, *, file: str = "") -> str | None:
    """The file's UTF-8 text; None, with the problem recorded, when it is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as undecodable:
        line = raw[: undecodable.start].count(b"\n") + 1
        findings.errors.append(Problem(line, None, f"is not UTF-8 text (byte {undecodable.start})", file))
        return None


def _check_across_rows(parsed: ParsedFile) -> None:
    """Rules that involve several rows: unique case ids and invocation numbers, one state per facility."""
    first_line_of_case: dict[str, int] = {}
    first_of_invocation: dict[tuple[str, int], CaseRow] = {}
    first_of_facility: dict[tuple[str, str], tuple[CaseRow, ListedFacility]] = {}
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
        if row.ustr_invocation_no is not None:
            other = first_of_invocation.setdefault((row.annex, row.ustr_invocation_no), row)
            if other is not row:
                parsed.errors.append(
                    Problem(
                        row.line,
                        "ustr_invocation_no",
                        f"{row.annex} invocation {row.ustr_invocation_no} is already case {other.case_id!r} "
                        f"on line {other.line}",
                    )
                )
        for listed in row.facilities:
            _check_one_state(parsed, first_of_facility, row, listed)


def _check_one_state(
    parsed: ParsedFile,
    first_of_facility: dict[tuple[str, str], tuple[CaseRow, ListedFacility]],
    row: CaseRow,
    listed: ListedFacility,
) -> None:
    if not listed.state:
        return
    first_row, first = first_of_facility.setdefault(listed.key, (row, listed))
    if (first.country, first.state) != (listed.country, listed.state):
        parsed.errors.append(
            Problem(
                row.line,
                "state",
                f"facility {listed.name!r} of {listed.company!r} is in {first.country}-{first.state} "
                f"on line {first_row.line}, not {listed.country}-{listed.state}",
            )
        )


def parse_text(text: str, *, today: dt.date) -> ParsedFile:
    """Read and check a whole file."""
    parsed = ParsedFile()
    for line, cells in read_records(text, columns=COLUMNS, findings=parsed):
        parsed.rows.append(read_row(line=line, cells=cells, parsed=parsed, today=today))
    _check_across_rows(parsed)
    return parsed


def parse_file(path: Path, *, today: dt.date) -> ParsedFile:
    undecodable = ParsedFile()
    text = decode_file(path, undecodable)
    return undecodable if text is None else parse_text(text, today=today)


def check_against_database(rows: Sequence[CaseRow]) -> list[Problem]:
    """Rules involving what is already stored: an invocation number belongs to one case only."""
    in_file = {row.case_id for row in rows}
    owners = rrm_selectors.case_ids_by_invocation()
    problems = []
    for row in rows:
        owner = (
            owners.get((row.annex, row.ustr_invocation_no)) if row.ustr_invocation_no is not None else None
        )
        if owner is not None and owner != row.case_id and owner not in in_file:
            problems.append(
                Problem(
                    row.line,
                    "ustr_invocation_no",
                    f"{row.annex} invocation {row.ustr_invocation_no} belongs to case {owner!r} "
                    "in the database",
                )
            )
    return problems
