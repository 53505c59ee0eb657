"""The embedded default end to end, as `make run` uses it: no DATABASE_URL, a private PostgreSQL server in
a folder of its own (here a temporary one in place of var/pg), in-process tasks, the real cases, a
running server; and the server's life: shared by the processes that use it, stopped with the last."""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, run_python
from tests.reliability.stack import clean_environment

pytestmark = pytest.mark.slow

CASES_CSV = PROJECT_ROOT / "data" / "cases.csv"
SERVER_START_SECONDS = 60
PUBLIC_ROUTES = (
    "/api/v1/public/",
    "/api/v1/public/cases/",
    "/api/v1/public/cases/us-mx-2023-vu-2/",
    "/api/v1/public/facilities/",
    "/api/v1/public/companies/",
    "/api/v1/public/events/",
    "/api/v1/public/deadlines/?format=csv",
    "/api/v1/public/remediation/",
    "/api/v1/public/corrections/",
    "/api/v1/public/stats/?group_by=sector",
    "/api/v1/public/export/",
    "/api/v1/public/export/cases.csv",
)
# What the connection of a process of the embedded default reaches (printed as JSON).
SHOW_CONNECTION = """
import json, os, django
django.setup()
from django.db import connection
from rrm.models import Case
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT inet_server_addr(), current_setting('listen_addresses'), pg_postmaster_start_time()"
    )
    address, listening, started = cursor.fetchone()
print(json.dumps({"address": address, "listening": listening, "started": started.isoformat(),
                  "cases": Case.objects.count(), "pid": os.getpid()}), flush=True)
"""
# The same, then wait until told (a line on standard input) before exiting.
SHOW_CONNECTION_AND_WAIT = SHOW_CONNECTION + "\nimport sys\nsys.stdin.readline()\n"


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


def server_is_running(folder: Path) -> bool:
    return (folder / "data" / "postmaster.pid").exists()


@pytest.fixture(scope="module")
def embedded_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embedded") / "pg"


@pytest.fixture(scope="module")
def embedded_env(embedded_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Settings of `make run` (no DATABASE_URL) with the server and the export in temporary folders; the
    database migrated and the real cases imported, each by a process of its own, as `make run` does."""
    export = tmp_path_factory.mktemp("embedded-export")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "RRM_EMBEDDED_POSTGRES_DIR": str(embedded_folder),
        "PUBLIC_EXPORT_ROOT": str(export),
    }
    for step in (["migrate", "--noinput"], ["import_cases", str(CASES_CSV)]):
        completed = run_python(["manage.py", *step], env=env, timeout=300)
        assert completed.returncode == 0, f"{' '.join(step)} failed:\n{completed.stdout}\n{completed.stderr}"
    return env


@pytest.fixture
def server(embedded_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "runserver.log"
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


def connection_of(env: dict[str, str]) -> dict[str, object]:
    completed = run_python(["-c", SHOW_CONNECTION], env=env)
    assert completed.returncode == 0, completed.stderr
    shown: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return shown


def test_it_imports_every_real_case_into_the_embedded_server(embedded_env: dict[str, str]) -> None:
    with CASES_CSV.open(encoding="utf-8", newline="") as source:
        expected = sum(1 for _ in csv.DictReader(source))

    assert connection_of(embedded_env)["cases"] == expected


def test_it_reaches_the_embedded_server_through_its_socket_only(embedded_env: dict[str, str]) -> None:
    shown = connection_of(embedded_env)

    # No TCP address: the connection is through the Unix socket, and the server listens on none.
    assert (shown["address"], shown["listening"]) == (None, "")


def test_it_serves_health_the_admin_the_api_and_every_public_route(server: str) -> None:
    paths = ("/healthz", "/accounts/sign-in/", "/", "/cases/", *PUBLIC_ROUTES)

    statuses = {path: status_of(f"{server}{path}") for path in paths}

    assert statuses == dict.fromkeys(paths, 200)


def test_it_shares_one_server_and_stops_it_when_the_last_process_using_it_exits(
    embedded_env: dict[str, str], embedded_folder: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", SHOW_CONNECTION_AND_WAIT],
        cwd=PROJECT_ROOT,
        env=clean_environment(embedded_env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        held = json.loads(holder.stdout.readline())
        joined = connection_of(embedded_env)
        running_while_held = server_is_running(embedded_folder)
        holder.stdin.write("exit\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    finally:
        holder.kill()

    assert joined["started"] == held["started"]
    assert (running_while_held, server_is_running(embedded_folder)) == (True, False)
