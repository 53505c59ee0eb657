"""The embedded default end to end: SQLite file, in-process tasks, the real cases, a running server."""

from __future__ import annotations

import csv
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, clean_environment, run_python

pytestmark = pytest.mark.slow

CASES_CSV = PROJECT_ROOT / "data" / "cases.csv"
SERVER_START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def embedded_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    database = tmp_path_factory.mktemp("embedded") / "db.sqlite3"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": f"sqlite:///{database}"}
    for step in (["migrate", "--noinput"], ["import_cases", str(CASES_CSV)]):
        completed = run_python(["manage.py", *step], env=env, timeout=300)
        assert completed.returncode == 0, f"{' '.join(step)} failed:\n{completed.stdout}\n{completed.stderr}"
    return env


@pytest.fixture(scope="module")
def server(embedded_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path_factory.mktemp("server") / "runserver.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", address],
            cwd=PROJECT_ROOT,
            env=clean_environment(embedded_env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(f"http://{address}/healthz", process, log)
        yield f"http://{address}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited with {process.returncode}:\n{log.read_text()}")
        try:
            if status_of(url) == 200:
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    pytest.fail(f"runserver did not answer {url} within {SERVER_START_SECONDS}s:\n{log.read_text()}")


def test_it_imports_every_real_case_into_the_sqlite_file(embedded_env: dict[str, str]) -> None:
    with CASES_CSV.open(encoding="utf-8", newline="") as source:
        expected = sum(1 for _ in csv.DictReader(source))
    script = "import django; django.setup(); from rrm.models import Case; print(Case.objects.count())"
    completed = run_python(["-c", script], env=embedded_env)
    assert completed.stdout.strip() == str(expected), completed.stderr


def test_it_serves_the_admin_login_page(server: str) -> None:
    assert status_of(f"{server}/admin/login/") == 200


def test_it_serves_the_api_root(server: str) -> None:
    assert status_of(f"{server}/api/v1/") == 200


def test_it_reports_healthy_on_sqlite(server: str) -> None:
    assert status_of(f"{server}/healthz") == 200
