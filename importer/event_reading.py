"""Reading and checking events.csv: one dated fact per row, every problem with its file, line and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

from importer.format import (
    DATE_BASES,
    DATE_PATTERN,
    EVENT_COLUMNS,
    EVENT_KINDS,
    MONTH_PATTERN,
    EventRow,
    ParsedEvents,
    Problem,
)
from importer.reading import RowReader, check_url, decode_file, read_records
from rrm.models import DatePrecision

A_DAY_OR_MONTH = "a date (YYYY-MM-DD, or YYYY-MM when only the month is known)"


def _read_day_or_month(reader: RowReader) -> tuple[dt.date, DatePrecision] | None:
    """The cell `date` as (day, precision); a month is held as its first day. None when not a date."""
    value = reader.text("date", required=True)
    if not value:
        return None
    precision = DatePrecision.MONTH if MONTH_PATTERN.fullmatch(value) else DatePrecision.DAY
    written = f"{value}-01" if precision == DatePrecision.MONTH else value
    try:
        if not DATE_PATTERN.fullmatch(written):
            raise ValueError(value)
        day = dt.date.fromisoformat(written)
    except ValueError:
        reader.error("date", f"{value!r} is not {A_DAY_OR_MONTH}")
        return None
    if day > reader.today:
        reader.error("date", f"{value} is in the future (today is {reader.today})")
    return day, precision


def read_event_row(*, reader: RowReader) -> EventRow | None:
    """The row as read; None when a cell that the fact needs is not in the format (an error)."""
    case_id = reader.text("case_id", required=True)
    kind = reader.code("kind", allowed=EVENT_KINDS, what="an event kind")
    dated = _read_day_or_month(reader)
    basis = reader.code("date_basis", allowed=DATE_BASES, what="a date basis")
    source_url = reader.text("source_url", required=True)
    check_url(reader)
    note = reader.text("note")
    if not case_id or kind not in EVENT_KINDS or dated is None or basis not in DATE_BASES:
        return None
    day, precision = dated
    return EventRow(
        line=reader.line,
        case_id=case_id,
        kind=kind,
        occurred_on=day,
        date_precision=precision,
        date_basis=basis,
        source_url=source_url,
        note=note,
    )


def parse_events_file(path: Path, *, today: dt.date, label: str) -> ParsedEvents:
    """Read and check an events file; its problems carry `label` as their file."""
    parsed = ParsedEvents()
    text = decode_file(path, parsed, file=label)
    if text is None:
        return parsed
    for line, cells in read_records(text, columns=EVENT_COLUMNS, findings=parsed, file=label):
        reader = RowReader(line=line, cells=cells, parsed=parsed, today=today, file=label)
        row = read_event_row(reader=reader)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def check_event_cases(
    events: ParsedEvents, *, in_cases_file: Collection[str], in_database: Collection[str], label: str
) -> list[Problem]:
    """An event must belong to a case of the cases file or one already stored."""
    return [
        Problem(
            event.line,
            "case_id",
            f"{event.case_id!r} is not a case of the cases file nor of the database",
            label,
        )
        for event in events.rows
        if event.case_id not in in_cases_file and event.case_id not in in_database
    ]
