"""Fixtures of the recount: the pair of files (data/cases.csv and data/events.csv; override `real_files`
to recount another pair in the same format), imported through the service and recounted apart."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import PROJECT_ROOT
from tests.public.conftest import (  # noqa: F401 (fixtures used here)
    committed,
    generous_budget,
    public_settings,
    seeded_tiers,
)
from tests.realcases import recount
from tests.realcases.figures import all_figures


@dataclass(frozen=True)
class RealFiles:
    cases: Path
    events: Path


@dataclass(frozen=True)
class Recount:
    cases: list[recount.RealCase]
    clocks: list[recount.Clock]
    figures: dict[str, Any]
    today: dt.date


@pytest.fixture
def real_files() -> RealFiles:
    return RealFiles(PROJECT_ROOT / "data" / "cases.csv", PROJECT_ROOT / "data" / "events.csv")


@pytest.fixture
def imported(db: None, real_files: RealFiles, request: pytest.FixtureRequest) -> None:
    """The pair of files through the importer, committed (so the export is rebuilt); anonymous callers
    get room to read every page."""
    request.getfixturevalue("generous_budget")
    with committed():
        call_command(
            "import_cases",
            str(real_files.cases),
            events=real_files.events,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


@pytest.fixture
def recounted(real_files: RealFiles) -> Recount:
    today = timezone.localdate()
    cases = recount.load(real_files.cases, real_files.events)
    clocks = recount.clocks(cases, today)
    return Recount(cases, clocks, all_figures(cases, clocks), today)


@pytest.fixture
def api() -> APIClient:
    return APIClient()
