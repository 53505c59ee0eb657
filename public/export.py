"""The bulk export: every public table as a CSV file and as a table of one SQLite database.

Each table is read once, from the public allowlists of public.selectors only, and written to both
files in the same pass. The SQLite file has typed columns, foreign keys, indexes on the columns people
filter and facet by, and metadata.json beside it describes every table and column for Datasette.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from public import selectors
from public.spreadsheet import SafeCsvWriter
from public.statistics import requested
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm.models import Case as CaseRecord
from rrm.models import Deadline, DeadlineStatus, Document, TimelineEvent

SQLITE_NAME = "rrm-public.sqlite3"
METADATA_NAME = "metadata.json"
CHUNK = 5000


@dataclass(frozen=True)
class Column:
    name: str
    sqlite_type: str
    description: str
    references: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple[Any, ...]]]
    primary_key: str = ""
    indexes: tuple[str, ...] = field(default=())


def _values(queryset: QuerySet, *names: str) -> Iterator[tuple[Any, ...]]:
    return queryset.order_by().values_list(*names).iterator(chunk_size=CHUNK)


# --------------------------------------------------------------------------------------------------
# Rows of each table


def case_rows() -> Iterator[tuple[Any, ...]]:
    cases = CaseRecord.objects.annotate(
        export_year=selectors.case_year(),
        export_petitioner_type=selectors.petitioner_type(),
        export_requested=Case(
            When(requested(), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by("case_id")
    return cases.values_list(
        "case_id",
        "title",
        "annex",
        "initiation",
        "stage",
        "outcome",
        "outcome_date",
        "export_year",
        "ustr_invocation_no",
        "facility_id",
        "facility__operator_id",
        "facility__name",
        "facility__operator__name",
        "facility__state",
        "facility__sector",
        "facility__subsector",
        "export_petitioner_type",
        "export_requested",
        "petition_received_on",
        "request_for_review_on",
        "mexico_response",
        "mexico_response_on",
        "remediation_agreed_on",
        "panel_requested_on",
        "liquidation_suspended_on",
        "liquidation_resumed_on",
        "backpay_usd",
        "backpay_is_floor",
        "workers_covered",
        "summary_en",
        "summary_es",
        "notes",
        "source_url",
        "updated_at",
    ).iterator(chunk_size=CHUNK)


def facility_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        selectors.public_facilities(),
        "id",
        "name",
        "operator_id",
        "city",
        "state",
        "sector",
        "subsector",
        "sector_reported",
        "headcount",
        "case_count",
        "updated_at",
    )


def company_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        selectors.public_companies(), "id", "name", "country", "parent_id", "case_count", "facility_count"
    )


def petitioner_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        selectors.shown_petitioners().filter(petition__case__isnull=False),
        "petition__case__case_id",
        "organisation__name",
        "organisation__kind",
        "role",
    )


def event_rows() -> Iterator[tuple[Any, ...]]:
    events = TimelineEvent.objects.annotate(
        export_corrected=Exists(TimelineEvent.objects.filter(corrects=OuterRef("pk")))
    )
    return _values(
        events,
        "id",
        "case__case_id",
        "kind",
        "occurred_on",
        "from_stage",
        "to_stage",
        "description",
        "source_url",
        "source_note",
        "corrects_id",
        "export_corrected",
        "recorded_at",
    )


def deadline_rows() -> Iterator[tuple[Any, ...]]:
    today = timezone.localdate()
    deadlines = Deadline.objects.annotate(
        export_verdict=Case(
            When(status=DeadlineStatus.OPEN, due_date__lt=today, then=Value("overdue")),
            When(status=DeadlineStatus.OPEN, then=Value("pending")),
            default=F("status"),
            output_field=CharField(),
        ),
        export_unconfirmed=Case(
            When(Q(rule__confidence="U") | Q(explanation__unconfirmed=True), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        export_explanation=KeyTextTransform("text", "explanation"),
    )
    return _values(
        deadlines,
        "id",
        "case__case_id",
        "rule__code",
        "rule__name",
        "rule__citation",
        "rule__confidence",
        "export_unconfirmed",
        "start_date",
        "due_date",
        "status",
        "export_verdict",
        "satisfied_on",
        "days_late",
        "export_explanation",
    )


def review_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        MexicoReview.objects.all(),
        "case__case_id",
        "requested_on",
        "response",
        "response_on",
        "response_reported",
        "finding",
        "finding_on",
        "findings",
    )


def plan_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        RemediationPlan.objects.all(),
        "id",
        "case__case_id",
        "kind",
        "agreed_on",
        "ends_on",
        "status",
        "summary",
        "source_url",
    )


def action_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        RemediationAction.objects.all(),
        "id",
        "plan_id",
        "kind",
        "due_on",
        "status",
        "completed_on",
        "verified_on",
        "verified_by",
        "workers_covered",
        "amount_usd",
    )


def panel_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        Panel.objects.all(),
        "id",
        "case__case_id",
        "secretariat_no",
        "requested_on",
        "constituted_on",
        "basics_confirmed_on",
        "determination",
        "determined_on",
        "report_published_on",
        "report_url",
    )


def remedy_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        Remedy.objects.all(),
        "id",
        "case__case_id",
        "panel_id",
        "kind",
        "description",
        "imposed_on",
        "lifted_on",
    )


def document_rows() -> Iterator[tuple[Any, ...]]:
    return _values(
        Document.objects.filter(confidential=False),
        "id",
        "case__case_id",
        "title",
        "url",
        "language",
        "issued_on",
    )


def correction_rows() -> Iterator[tuple[Any, ...]]:
    return (
        selectors.corrections_changelog().values_list(*selectors.CHANGELOG_COLUMNS).iterator(chunk_size=CHUNK)
    )


# --------------------------------------------------------------------------------------------------
# Tables

CASE_REF = "cases.case_id"


def _c(name: str, sqlite_type: str, description: str, references: str = "") -> Column:
    return Column(name, sqlite_type, description, references)


TABLES: tuple[Table, ...] = (
    Table(
        "cases",
        "Every case of the record, with its facility's location and sector for faceting.",
        (
            _c("case_id", "TEXT", "Stable public identifier."),
            _c("title", "TEXT", "Short public title."),
            _c("annex", "TEXT", "31-A (United States–Mexico) or 31-B (Canada–Mexico)."),
            _c("initiation", "TEXT", "petition or self_initiated."),
            _c("stage", "TEXT", "Current stage of the workflow."),
            _c("outcome", "TEXT", "Outcome code (process.md §7); open = none found."),
            _c("outcome_date", "TEXT", "Date the outcome was announced."),
            _c("year", "INTEGER", "Year of the petition's receipt, or of the request for review."),
            _c("ustr_invocation_no", "INTEGER", "USTR's running number for the invocation."),
            _c("facility_id", "INTEGER", "Facility.", "facilities.id"),
            _c("company_id", "INTEGER", "Company operating the facility.", "companies.id"),
            _c("facility_name", "TEXT", "Facility name as reported."),
            _c("company_name", "TEXT", "Company name as reported."),
            _c("state", "TEXT", "Mexican state, ISO 3166-2:MX code."),
            _c("sector", "TEXT", "Priority Sector."),
            _c("subsector", "TEXT", "Priority subsector (19 U.S.C. §4643)."),
            _c(
                "petitioner_type",
                "TEXT",
                "Type of the lead petitioner; undisclosed if anonymous or confidential.",
            ),
            _c("requested", "INTEGER", "1 if a request for review was sent to Mexico."),
            _c("petition_received_on", "TEXT", "Receipt of the petition."),
            _c("request_for_review_on", "TEXT", "Request for review sent to Mexico."),
            _c("mexico_response", "TEXT", "Mexico's response as reported."),
            _c("mexico_response_on", "TEXT", "Date Mexico accepted or refused to review."),
            _c("remediation_agreed_on", "TEXT", "Course of remediation agreed."),
            _c("panel_requested_on", "TEXT", "Panel requested."),
            _c("liquidation_suspended_on", "TEXT", "Liquidation suspended."),
            _c("liquidation_resumed_on", "TEXT", "Liquidation resumed."),
            _c("backpay_usd", "REAL", "Published back pay in U.S. dollars."),
            _c("backpay_is_floor", "INTEGER", "1 if the source says 'more than' this amount."),
            _c("workers_covered", "INTEGER", "Workers covered, as reported."),
            _c("summary_en", "TEXT", "Public summary in English."),
            _c("summary_es", "TEXT", "Public summary in Spanish."),
            _c("notes", "TEXT", "Provenance and caveats."),
            _c("source_url", "TEXT", "Primary public source."),
            _c("updated_at", "TEXT", "When the case row last changed."),
        ),
        case_rows,
        primary_key="case_id",
        indexes=(
            "state",
            "sector",
            "year",
            "outcome",
            "stage",
            "annex",
            "company_id",
            "facility_id",
            "updated_at",
        ),
    ),
    Table(
        "facilities",
        "Facilities named in at least one case.",
        (
            _c("id", "INTEGER", "Facility id."),
            _c("name", "TEXT", "Facility name as reported."),
            _c("company_id", "INTEGER", "Company operating it.", "companies.id"),
            _c("city", "TEXT", "Municipality or city."),
            _c("state", "TEXT", "Mexican state code."),
            _c("sector", "TEXT", "Priority Sector."),
            _c("subsector", "TEXT", "Priority subsector."),
            _c("sector_reported", "TEXT", "Sector as the source reports it."),
            _c("headcount", "INTEGER", "Approximate number of workers."),
            _c("case_count", "INTEGER", "Cases about the facility."),
            _c("updated_at", "TEXT", "When the row last changed."),
        ),
        facility_rows,
        primary_key="id",
        indexes=("state", "sector", "company_id"),
    ),
    Table(
        "companies",
        "Companies operating a facility named in a case.",
        (
            _c("id", "INTEGER", "Company id."),
            _c("name", "TEXT", "Company name."),
            _c("country", "TEXT", "Country of the headquarters, if known."),
            _c("parent_id", "INTEGER", "Parent company id."),
            _c("case_count", "INTEGER", "Cases about its facilities."),
            _c("facility_count", "INTEGER", "Its facilities named in a case."),
        ),
        company_rows,
        primary_key="id",
    ),
    Table(
        "petitioners",
        "Petitioners who may be named (never those of anonymous petitions or who asked not to be).",
        (
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("name", "TEXT", "Organisation's name."),
            _c("kind", "TEXT", "Type of organisation."),
            _c("role", "TEXT", "lead or co."),
        ),
        petitioner_rows,
        indexes=("case_id",),
    ),
    Table(
        "events",
        "Every dated event of every case; corrected = a later event corrects this one.",
        (
            _c("id", "INTEGER", "Event id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("kind", "TEXT", "Event kind."),
            _c("occurred_on", "TEXT", "Date the event took place."),
            _c("from_stage", "TEXT", "Stage before."),
            _c("to_stage", "TEXT", "Stage after."),
            _c("description", "TEXT", "What the source says happened."),
            _c("source_url", "TEXT", "Public source."),
            _c("source_note", "TEXT", "Source when it has no address."),
            _c("corrects_id", "INTEGER", "Event this one corrects.", "events.id"),
            _c("corrected", "INTEGER", "1 if a later event corrects this one."),
            _c("recorded_at", "TEXT", "When it was recorded."),
        ),
        event_rows,
        primary_key="id",
        indexes=("case_id", "kind", "occurred_on"),
    ),
    Table(
        "deadlines",
        "Every statutory or treaty clock with its verdict and explanation; unconfirmed = rule tagged U.",
        (
            _c("id", "INTEGER", "Deadline id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("rule", "TEXT", "Rule code."),
            _c("rule_name", "TEXT", "Rule name."),
            _c("citation", "TEXT", "Legal source of the rule."),
            _c("confidence", "TEXT", "C confirmed, S secondary, U unconfirmed."),
            _c("unconfirmed", "INTEGER", "1 if the rule is unconfirmed."),
            _c("start_date", "TEXT", "Date the clock started."),
            _c("due_date", "TEXT", "Due date."),
            _c("status", "TEXT", "open, met, late, missed or cancelled."),
            _c("verdict", "TEXT", "met, late, missed, cancelled, pending or overdue."),
            _c("satisfied_on", "TEXT", "Date the clock stopped."),
            _c("days_late", "INTEGER", "Calendar days after the due date."),
            _c("explanation", "TEXT", "How the due date was computed."),
        ),
        deadline_rows,
        primary_key="id",
        indexes=("case_id", "rule", "verdict"),
    ),
    Table(
        "mexico_reviews",
        "Mexico's answer to each request for review and its findings.",
        (
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("requested_on", "TEXT", "Request for review."),
            _c("response", "TEXT", "pending, accepted, declined or no_answer."),
            _c("response_on", "TEXT", "Date of the answer."),
            _c("response_reported", "TEXT", "The answer as reported."),
            _c("finding", "TEXT", "pending, denial, no_denial or remedied."),
            _c("finding_on", "TEXT", "Date of the finding."),
            _c("findings", "TEXT", "Summary of the findings."),
        ),
        review_rows,
        indexes=("case_id",),
    ),
    Table(
        "remediation_plans",
        "Courses of remediation and USTR–company agreements.",
        (
            _c("id", "INTEGER", "Plan id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("kind", "TEXT", "government or company."),
            _c("agreed_on", "TEXT", "Date agreed."),
            _c("ends_on", "TEXT", "End of the remediation period."),
            _c("status", "TEXT", "State of the plan."),
            _c("summary", "TEXT", "Commitments."),
            _c("source_url", "TEXT", "Published plan."),
        ),
        plan_rows,
        primary_key="id",
        indexes=("case_id",),
    ),
    Table(
        "remediation_actions",
        "Actions of the plans and their verification.",
        (
            _c("id", "INTEGER", "Action id."),
            _c("plan_id", "INTEGER", "Plan.", "remediation_plans.id"),
            _c("kind", "TEXT", "What must be done."),
            _c("due_on", "TEXT", "Due date."),
            _c("status", "TEXT", "Progress."),
            _c("completed_on", "TEXT", "When done."),
            _c("verified_on", "TEXT", "When verified."),
            _c("verified_by", "TEXT", "Who verified it."),
            _c("workers_covered", "INTEGER", "Workers covered."),
            _c("amount_usd", "REAL", "Money paid, USD."),
        ),
        action_rows,
        primary_key="id",
        indexes=("plan_id",),
    ),
    Table(
        "panels",
        "Rapid Response Labor Panels.",
        (
            _c("id", "INTEGER", "Panel id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("secretariat_no", "TEXT", "Secretariat number."),
            _c("requested_on", "TEXT", "Requested."),
            _c("constituted_on", "TEXT", "Constituted."),
            _c("basics_confirmed_on", "TEXT", "Request confirmed."),
            _c("determination", "TEXT", "pending, denial or no_denial."),
            _c("determined_on", "TEXT", "Determination date."),
            _c("report_published_on", "TEXT", "Report published."),
            _c("report_url", "TEXT", "Report."),
        ),
        panel_rows,
        primary_key="id",
        indexes=("case_id",),
    ),
    Table(
        "remedies",
        "Remedies after a panel's determination.",
        (
            _c("id", "INTEGER", "Remedy id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("panel_id", "INTEGER", "Panel.", "panels.id"),
            _c("kind", "TEXT", "Measure."),
            _c("description", "TEXT", "Scope and rate."),
            _c("imposed_on", "TEXT", "Took effect."),
            _c("lifted_on", "TEXT", "Lifted."),
        ),
        remedy_rows,
        primary_key="id",
        indexes=("case_id",),
    ),
    Table(
        "documents",
        "Public documents of the cases.",
        (
            _c("id", "INTEGER", "Document id."),
            _c("case_id", "TEXT", "Case.", CASE_REF),
            _c("title", "TEXT", "Title."),
            _c("url", "TEXT", "Public address."),
            _c("language", "TEXT", "en or es."),
            _c("issued_on", "TEXT", "Date printed on it."),
        ),
        document_rows,
        primary_key="id",
        indexes=("case_id",),
    ),
    Table(
        "corrections",
        "Changelog of corrections to the public record, newest first.",
        (
            _c("kind", "TEXT", "record (written by staff) or timeline (an event corrected)."),
            _c("case_id", "TEXT", "Case corrected; blank for the whole dataset.", CASE_REF),
            _c("corrected_on", "TEXT", "Date of the correction."),
            _c("field", "TEXT", "What was corrected."),
            _c("previous_value", "TEXT", "What was published before."),
            _c("corrected_value", "TEXT", "What is published now."),
            _c("reason", "TEXT", "Why."),
            _c("source_url", "TEXT", "Source of the corrected value."),
            _c("recorded_at", "TEXT", "When it was recorded."),
        ),
        correction_rows,
        indexes=("case_id",),
    ),
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


def _create_table(database: sqlite3.Connection, table: Table) -> None:
    columns = []
    for column in table.columns:
        definition = f'"{column.name}" {column.sqlite_type}'
        if column.name == table.primary_key:
            definition += " PRIMARY KEY"
        if column.references:
            target_table, target_column = column.references.split(".")
            definition += f' REFERENCES "{target_table}"("{target_column}")'
        columns.append(definition)
    database.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns)})')


def _write_table(database: sqlite3.Connection, directory: Path, table: Table) -> dict[str, Any]:
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
    for column in table.indexes:
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
                        "description": table.description,
                        "columns": {column.name: column.description for column in table.columns},
                    }
                    for table in TABLES
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
        files = [_write_table(database, directory, table) for table in TABLES]
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
