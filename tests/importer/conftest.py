"""Fixtures of the importer's tests: the shipped file imported; a check that a bad file changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.importer.files import SHIPPED_CASES, Row, run_import, run_rejected_import, shipped_rows, snapshot


@pytest.fixture
def imported(db: None) -> list[Row]:
    """The shipped files (cases.csv and the events.csv beside it), imported once; returns the case rows."""
    run_import(SHIPPED_CASES)
    return shipped_rows()


@pytest.fixture
def rejects_without_change(imported: list[Row]) -> Callable[..., str]:
    """Import a bad file (and events file) on top of the good data; assert it fails and leaves every row
    as it was."""

    def check(path: Path, events: Path | None = None) -> str:
        before = snapshot()
        counts = {name: len(rows) for name, rows in before.items()}
        err = run_rejected_import(path, events)
        after = snapshot()
        assert {name: len(rows) for name, rows in after.items()} == counts
        assert after == before
        return err

    return check
