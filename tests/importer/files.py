"""Case files for the importer's tests: the shipped file, edited copies of it, and running the command."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from importer.format import COLUMNS, EVENT_COLUMNS
from petitions.models import Petition, Petitioner
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm.models import Case, CaseFacility, Company, Facility, Organisation, TimelineEvent

SHIPPED_CASES = Path(__file__).resolve().parents[2] / "data" / "cases.csv"
SHIPPED_EVENTS = SHIPPED_CASES.with_name("events.csv")
SNAPSHOT_MODELS: tuple[type[Model], ...] = (
    Company,
    Facility,
    Organisation,
    Case,
    CaseFacility,
    TimelineEvent,
    Petition,
    Petitioner,
    MexicoReview,
    RemediationPlan,
    Panel,
    Case.history.model,  # type: ignore[attr-defined]
    Facility.history.model,  # type: ignore[attr-defined]
)

Row = dict[str, str]


def shipped_rows() -> list[Row]:
    with SHIPPED_CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_with_valid_changes() -> list[Row]:
    """The shipped rows with one case edited and one case added, both valid: any partial write shows."""
    rows = edited(shipped_rows(), "us-mx-2021-tridonex", notes="A valid change that must not be written.")
    new_case = {column: "" for column in COLUMNS} | {
        "case_id": "us-mx-2026-new-plant",
        "facility_name": "New plant",
        "company": "New company S.A. de C.V.",
        "state": "Puebla",
        "outcome": "open",
        "annex": "31-A",
    }
    return [*rows, new_case]


def shipped_events() -> list[Row]:
    with SHIPPED_EVENTS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def beside_shipped_events(cases: Path) -> Path:
    """The cases file, with a copy of the shipped events.csv put beside it (the import reads both)."""
    shutil.copyfile(SHIPPED_EVENTS, cases.with_name("events.csv"))
    return cases


def write_rows(path: Path, rows: list[Row], columns: tuple[str, ...] = COLUMNS) -> Path:
    """Rows as a CSV file of those columns (those of cases.csv unless given)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_events(path: Path, rows: list[Row]) -> Path:
    return write_rows(path, rows, EVENT_COLUMNS)


def edited(rows: list[Row], target: str, **cells: str) -> list[Row]:
    """A copy of the rows in which the row of case `target` has the given cells."""
    return [{**row, **cells} if row["case_id"] == target else dict(row) for row in rows]


def line_of(rows: list[Row], case_id: str) -> int:
    """File line of a case in a file written by write_rows (no cell spans two lines): header is line 1."""
    return next(index for index, row in enumerate(rows, start=2) if row["case_id"] == case_id)


def _events_option(events: Path | None) -> list[str]:
    return [] if events is None else ["--events", str(events)]


def run_import(path: Path, events: Path | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(path), *_events_option(events), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_rejected_import(path: Path, events: Path | None = None) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cases", str(path), *_events_option(events), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in SNAPSHOT_MODELS}
