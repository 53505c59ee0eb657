"""`manage.py import_cases PATH [--events EVENTS]`: load a file in the cases.csv format and its events
(docs/import_cases.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from importer.format import ImportRejected, Problem
from importer.writing import import_cases_file

# The events file read beside the cases file when --events does not name one.
EVENTS_FILE_NAME = "events.csv"


class Command(BaseCommand):
    help = (
        "Import cases from a UTF-8, comma-separated file with the columns of cases.csv, and their dated "
        "facts from an events file (events.csv beside it unless --events names one). Both files are "
        "checked in full first: any error is listed by file, line and column and nothing is written. "
        "Importing the same files again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="File to import, e.g. data/cases.csv.")
        parser.add_argument(
            "--events",
            type=Path,
            default=None,
            help=f"Events file to import with it (default: {EVENTS_FILE_NAME} beside PATH, if there is one).",
        )

    def handle(self, *args: Any, path: Path, events: Path | None, **options: Any) -> None:
        label = str(path)
        if not path.is_file():
            raise CommandError(f"{label}: no such file.")
        if events is not None and not events.is_file():
            raise CommandError(f"{events}: no such file.")
        beside = path.parent / EVENTS_FILE_NAME
        events_path = events if events is not None else (beside if beside.is_file() else None)
        try:
            report = import_cases_file(
                path,
                events_path=events_path,
                on_progress=lambda done, total: self._progress(label, done, total),
            )
        except ImportRejected as rejected:
            self._warn(label, rejected.warnings)
            for problem in rejected.errors:
                self.stderr.write(problem.render(label))
            raise CommandError(f"{label}: {len(rejected.errors)} error(s); nothing was imported.") from None
        self._warn(label, report.warnings)
        for notice in report.notices:
            self.stderr.write(notice.render(label))
        self.stdout.write(f"cases: {report.cases}")
        events_read = f"{report.events} ({events_path})" if events_path else f"none (no {EVENTS_FILE_NAME})"
        self.stdout.write(f"events: {events_read}")
        self.stdout.write(
            f"facilities: {report.facilities}; companies: {report.companies_created} created; "
            f"organisations: {report.organisations_created} created; timeline events: "
            f"{report.events_written} written"
        )

    def _progress(self, label: str, done: int, total: int) -> None:
        self.stderr.write(f"{label}: {done}/{total} rows ({done * 100 // total}%)")

    def _warn(self, label: str, warnings: list[Problem]) -> None:
        for problem in warnings:
            self.stderr.write(f"warning: {problem.render(label)}")
