"""`manage.py import_cases PATH`: load a file in the cases.csv format (docs/import_cases.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from importer.format import ImportRejected, Problem
from importer.writing import import_cases_file


class Command(BaseCommand):
    help = (
        "Import cases from a UTF-8, comma-separated file with the columns of cases.csv. The file is "
        "checked in full first: any error is listed by line and column and nothing is written. "
        "Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="File to import, e.g. data/cases.csv.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        label = str(path)
        if not path.is_file():
            raise CommandError(f"{label}: no such file.")
        try:
            report = import_cases_file(
                path, on_progress=lambda done, total: self._progress(label, done, total)
            )
        except ImportRejected as rejected:
            self._warn(label, rejected.warnings)
            for problem in rejected.errors:
                self.stderr.write(problem.render(label))
            raise CommandError(f"{label}: {len(rejected.errors)} error(s); nothing was imported.") from None
        self._warn(label, report.warnings)
        self.stdout.write(f"cases: {report.cases}")
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
