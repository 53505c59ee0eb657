"""The bulk export: every public table as a CSV file and as a table of one SQLite database.

Each table is the one public.columns declares, read once (its columns' sources only) and written to
both files in the same pass. The SQLite file has typed columns, foreign keys, indexes on the columns people
filter and facet by, and metadata.json beside it describes every table and column for Datasette.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from public import columns, selectors
from public.columns import Column, Table
from public.spreadsheet import SafeCsvWriter
from public.statistics import requested
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm import selectors as rrm_selectors
from rrm.models import Case as CaseRecord
from rrm.models import Deadline, Document, TimelineEvent

SQLITE_NAME = "rrm-public.sqlite3"
METADATA_NAME = "metadata.json"
CHUNK = 5000


@dataclass(frozen=True)
class ExportedTable:
    """A table of the registry and the rows it is read from: its columns' sources, in order."""

    table: Table
    queryset: Callable[[], QuerySet]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.table.exported

    def rows(self) -> Iterator[tuple[Any, ...]]:
        sources = (column.path for column in self.columns)
        return self.queryset().values_list(*sources).iterator(chunk_size=CHUNK)


# --------------------------------------------------------------------------------------------------
# What each table is read from; the annotations are the sources the registry names.


def cases() -> QuerySet:
    return CaseRecord.objects.annotate(
        year=selectors.case_year(),
        petitioner_type=selectors.petitioner_type(),
        requested=Case(
            When(requested(), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by("case_id")


def deadlines() -> QuerySet:
    today = timezone.localdate()
    return Deadline.objects.order_by().annotate(
        verdict=rrm_selectors.verdict_expression(today=today),
        unconfirmed=Case(
            When(Q(rule__confidence="U") | Q(explanation__unconfirmed=True), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        explanation_text=KeyTextTransform("text", "explanation"),
    )


def unordered(queryset: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    return lambda: queryset().order_by()


def tables() -> tuple[ExportedTable, ...]:
    """The tables of the export, as the registry declares them when the export is written."""
    return (
        ExportedTable(columns.CASES, cases),
        ExportedTable(columns.FACILITIES, unordered(selectors.public_facilities)),
        ExportedTable(columns.CASE_FACILITIES, unordered(selectors.case_facilities)),
        ExportedTable(columns.COMPANIES, unordered(selectors.public_companies)),
        ExportedTable(
            columns.PETITIONERS,
            lambda: selectors.shown_petitioners().filter(petition__case__isnull=False).order_by(),
        ),
        ExportedTable(
            columns.EVENTS,
            lambda: TimelineEvent.objects.order_by().annotate(
                is_corrected=Exists(TimelineEvent.objects.filter(corrects=OuterRef("pk")))
            ),
        ),
        ExportedTable(columns.DEADLINES, deadlines),
        ExportedTable(columns.MEXICO_REVIEWS, MexicoReview.objects.order_by),
        ExportedTable(columns.REMEDIATION_PLANS, RemediationPlan.objects.order_by),
        ExportedTable(columns.REMEDIATION_ACTIONS, RemediationAction.objects.order_by),
        ExportedTable(columns.PANELS, Panel.objects.order_by),
        ExportedTable(columns.REMEDIES, Remedy.objects.order_by),
        *(
            ExportedTable(table, model._default_manager.order_by)
            for model, table, _ in selectors.OUTCOME_TABLES
        ),
        ExportedTable(columns.DOCUMENTS, lambda: Document.objects.filter(confidential=False).order_by()),
        ExportedTable(columns.CORRECTIONS, selectors.corrections_changelog),
    )


# --------------------------------------------------------------------------------------------------
# Writing


def plain(value: Any) -> Any:
    """A value as CSV and SQLite store it: ISO dates, numbers, 1/0 for booleans."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _create_table(database: sqlite3.Connection, table: ExportedTable) -> None:
    columns = []
    for column in table.columns:
        definition = f'"{column.name}" {column.kind.sqlite_type}'
        if column.key:
            definition += " PRIMARY KEY"
        if column.references:
            target_table, target_column = column.references.split(".")
            definition += f' REFERENCES "{target_table}"("{target_column}")'
        columns.append(definition)
    database.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns)})')


def _write_table(database: sqlite3.Connection, directory: Path, table: ExportedTable) -> dict[str, Any]:
    _create_table(database, table)
    placeholders = ", ".join("?" for _ in table.columns)
    insert = f'INSERT INTO "{table.name}" VALUES ({placeholders})'
    path = directory / f"{table.name}.csv"
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(column.name for column in table.columns)
        batch: list[tuple[Any, ...]] = []
        for row in table.rows():
            values = tuple(plain(value) for value in row)
            # The CSV cell is escaped against formulas; the SQLite column keeps the value as it is.
            writer.writerow(values)
            batch.append(values)
            if len(batch) >= CHUNK:
                database.executemany(insert, batch)
                count += len(batch)
                batch.clear()
        database.executemany(insert, batch)
        count += len(batch)
    for column in table.table.indexes:
        database.execute(f'CREATE INDEX "{table.name}_{column}" ON "{table.name}"("{column}")')
    return _describe(path, "text/csv", count)


def _describe(path: Path, media_type: str, rows: int) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "name": path.name,
        "media_type": media_type,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


def datasette_metadata() -> dict[str, Any]:
    return {
        "title": "USMCA Rapid Response Labor Mechanism: public case record",
        "description": "Bulk export of the public API. Corrections are listed in the corrections table.",
        "databases": {
            Path(SQLITE_NAME).stem: {
                "tables": {
                    table.name: {
                        "description": table.table.description,
                        "columns": {column.name: column.description for column in table.columns},
                    }
                    for table in tables()
                }
            }
        },
    }


def write_export(directory: Path) -> list[dict[str, Any]]:
    """Write every table to `directory`; returns the description of each file."""
    directory.mkdir(parents=True)
    database = sqlite3.connect(directory / SQLITE_NAME)
    try:
        database.execute("PRAGMA journal_mode = OFF")
        database.execute("PRAGMA synchronous = OFF")
        files = [_write_table(database, directory, table) for table in tables()]
        database.commit()
        database.execute("ANALYZE")
        database.commit()
    finally:
        database.close()
    metadata = directory / METADATA_NAME
    metadata.write_text(json.dumps(datasette_metadata(), indent=2, ensure_ascii=False), encoding="utf-8")
    total_rows = sum(entry["rows"] for entry in files)
    return [
        *files,
        _describe(directory / SQLITE_NAME, "application/vnd.sqlite3", total_rows),
        _describe(metadata, "application/json", 0),
    ]
