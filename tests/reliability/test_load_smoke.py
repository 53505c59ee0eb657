"""benchmarks/load.py runs end to end (private PostgreSQL and Redis, gunicorn, both cache settings) and
its short run meets the load target: no error. The 60-second figures are in RELIABILITY.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.stack import PROJECT_ROOT, clean_environment

pytestmark = pytest.mark.slow

SMOKE_SECONDS = 5


def test_it_serves_the_public_api_under_load_without_an_error_with_the_cache_on_and_off(
    tmp_path: Path, measured: dict[str, object]
) -> None:
    results = tmp_path / "load.json"
    finished = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--duration", str(SMOKE_SECONDS), "--json", str(results)],
        cwd=PROJECT_ROOT,
        env=clean_environment({}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    runs = {run["name"]: run for run in json.loads(results.read_text())["runs"]}
    measured.update(runs)

    assert set(runs) == {"statistics cache on", "statistics cache off"}
    assert all(run["errors"] == 0 and run["requests"] > 0 for run in runs.values())
    assert runs["statistics cache on"]["rps"] > runs["statistics cache off"]["rps"]
