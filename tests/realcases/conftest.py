"""Fixtures of the recount: a pair of files, imported through the service and recounted apart. Every
test runs on each pair of PAIRS: the real cases (data/cases.csv and data/events.csv) and further cases
written by hand in the same format, never seen by the service's code or its other tests
(further_cases.csv and further_events.csv here). A test about one pair's cases takes `on_pair(name)`."""

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

from importer.format import FilePair
from tests.conftest import PROJECT_ROOT
from tests.public.conftest import (  # noqa: F401 (fixtures used here)
    committed,
    generous_budget,
    public_settings,
    seeded_tiers,
)
from tests.realcases import recount
from tests.realcases.figures import all_figures

# The paths of a pair of files.
RealFiles = FilePair[Path]


@dataclass(frozen=True)
class Recount:
    cases: list[recount.RealCase]
    clocks: list[recount.Clock]
    figures: dict[str, Any]
    today: dt.date

    def clock(self, case_id: str, rule: str) -> recount.Clock:
        """The one clock of `rule` the recount derives for the case (a test names only such clocks)."""
        found = [clock for clock in self.clocks if clock.case_id == case_id and clock.rule == rule]
        assert len(found) == 1, f"{case_id} has {len(found)} {rule} clocks in the recount"
        return found[0]


HERE = Path(__file__).parent
PAIRS = {
    "data": RealFiles(PROJECT_ROOT / "data" / "cases.csv", PROJECT_ROOT / "data" / "events.csv"),
    "further": RealFiles(HERE / "further_cases.csv", HERE / "further_events.csv"),
}


@pytest.fixture(params=list(PAIRS.values()), ids=list(PAIRS))
def real_files(request: pytest.FixtureRequest) -> RealFiles:
    files: RealFiles = request.param
    return files


def on_pair(name: str) -> pytest.MarkDecorator:
    """Runs a test on one pair of PAIRS only (its named cases are in no other)."""
    return pytest.mark.parametrize("real_files", [PAIRS[name]], ids=[name], indirect=True)


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
