"""Throughput of the public API's lists under gunicorn, with and without its response cache, against
Datasette serving the bulk export's SQLite file: wrk on loopback, each server alone (see public_api.py)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Nothing is flushed: cached answers belong to a random data version, counters to the run's own key.
BENCH_CACHE_URL = "redis://127.0.0.1:6379/5"
EXPORT_ROOT = PROJECT_ROOT / "var" / "bench-public-export"
KEY_HEADER = "X-Api-Key"


def server_environment(**extra: str) -> dict[str, str]:
    """Production settings, plain HTTP on loopback, the benchmark's cache and export folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CACHE_URL": BENCH_CACHE_URL,
        "CELERY_BROKER_URL": "",
        "PUBLIC_EXPORT_ROOT": str(EXPORT_ROOT),
        "PUBLIC_EXPORT_REBUILD_ON_CHANGE": "false",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, *, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def running(command: list[str], *, env: dict[str, str], ready_url: str, log: Path) -> Iterator[None]:
    """Start a server in its own process group, wait for it, and stop exactly that group afterwards."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(ready_url)
            yield
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass(frozen=True)
class Load:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk(url: str, *, label: str, seconds: int, connections: int, headers: dict[str, str]) -> Load:
    # One request first: an answer not yet cached is computed once, not by fifty clients at the start.
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=600) as first:
        first.read()
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    base = ["wrk", "-t2", f"-c{connections}", "--latency", "--timeout", "30s", *header_args]
    subprocess.run([*base, "-d3s", url], capture_output=True, text=True, check=True)  # warm-up
    output = subprocess.run([*base, f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)\s*$", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(value) for value in socket_errors.groups()) if socket_errors else 0
    print(f"  {label}: {rps:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, errors {errors}", flush=True)
    return Load(label, rps, p50, p99, errors)


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: str
    datasette: str


def scenarios(sqlite_path: Path) -> list[Scenario]:
    """The same table pages and facet counts from both servers."""
    database = sqlite_path.stem
    deep_offset = 10_000
    import sqlite3

    with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as reader:
        (after,) = reader.execute(
            "SELECT case_id FROM cases ORDER BY case_id LIMIT 1 OFFSET ?", [deep_offset - 1]
        ).fetchone()
    table = f"/{database}/cases.json?_size=50&_sort=case_id&_nosuggest=1"
    return [
        Scenario("first page of cases (50 rows)", "/api/v1/public/cases/?page_size=50", table),
        Scenario(
            f"page at row {deep_offset:,} (50 rows)",
            f"/api/v1/public/cases/?page_size=50&page={deep_offset // 50 + 1}",
            f"{table}&_next={after}",
        ),
        Scenario(
            "cases of one state (50 rows + count)",
            "/api/v1/public/cases/?page_size=50&state=GUA",
            f"{table}&state=GUA",
        ),
        Scenario(
            "facet counts by state",
            "/api/v1/public/stats/?group_by=state",
            f"/{database}/cases.json?_size=0&_facet=state&_nosuggest=1",
        ),
    ]


def measure_throughput(
    export_directory: Path, *, key: str, seconds: int, connections: int, workers: int
) -> dict[str, dict[str, Load]]:
    from public.export import SQLITE_NAME

    sqlite_path = export_directory / SQLITE_NAME
    results: dict[str, dict[str, Load]] = {}
    plan = scenarios(sqlite_path)
    logs = PROJECT_ROOT / "var"
    for label, cache_seconds in (("ours", "300"), ("ours, response cache off", "0")):
        port = free_port()
        command = [
            str(PROJECT_ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
        ]
        env = server_environment(PUBLIC_API_RESPONSE_CACHE_SECONDS=cache_seconds)
        with running(
            command, env=env, ready_url=f"http://127.0.0.1:{port}/healthz", log=logs / "bench-gunicorn.log"
        ):
            results[label] = {
                scenario.name: wrk(
                    f"http://127.0.0.1:{port}{scenario.ours}",
                    label=f"{label} / {scenario.name}",
                    seconds=seconds,
                    connections=connections,
                    headers={KEY_HEADER: key},
                )
                for scenario in plan
            }
    inspect_file = export_directory / "counts.json"
    datasette = str(PROJECT_ROOT / ".venv" / "bin" / "datasette")
    subprocess.run([datasette, "inspect", str(sqlite_path), "--inspect-file", str(inspect_file)], check=True)
    port = free_port()
    command = [
        datasette,
        "serve",
        "-i",
        str(sqlite_path),
        "--inspect-file",
        str(inspect_file),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
        # Long enough to answer the facet and count queries of a million rows instead of giving up.
        "--setting",
        "facet_time_limit_ms",
        "60000",
        "--setting",
        "sql_time_limit_ms",
        "60000",
    ]
    with running(
        command,
        env=dict(os.environ),
        ready_url=f"http://127.0.0.1:{port}/-/versions.json",
        log=logs / "bench-datasette.log",
    ):
        results["Datasette"] = {
            scenario.name: wrk(
                f"http://127.0.0.1:{port}{scenario.datasette}",
                label=f"Datasette / {scenario.name}",
                seconds=seconds,
                connections=connections,
                headers={},
            )
            for scenario in plan
        }
    return results
