"""Bounded load test of the public API on loopback, with the statistics cache on and off.

    .venv/bin/python -m benchmarks.load                 # 60 s per run, 16 clients
    .venv/bin/python -m benchmarks.load --duration 10 --json results.json

Everything runs on this machine and is stopped at the end: a private PostgreSQL cluster and Redis
server (tests/reliability/services.py, free loopback ports), migrated, with the real cases of
data/cases.csv imported; gunicorn with --workers processes and the production settings; an API key of
an unlimited throttle tier (the anonymous budget would answer 429 within a second). The client is an
asyncio loop of --clients connections, each sending one request after another, round-robin over
PATHS, until --duration seconds have passed; no request is sent after that.

Run "cache on": CACHE_URL on the private Redis, answers and statistics cached (the production default).
Run "cache off": PUBLIC_API_RESPONSE_CACHE_SECONDS=0 and PUBLIC_API_STATS_CACHE_SECONDS=0, so every
request computes its answer from PostgreSQL. Reported per run: requests per second, p50 and p99
latency, and errors (any answer other than 200, or a failed connection). Target: no error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.reliability.services import PrivatePostgres, PrivateRedis
from tests.reliability.stack import (
    LiveServer,
    gunicorn,
    production_environment,
    run_manage,
    run_script,
)

PATHS = (
    "/api/v1/public/cases/",
    "/api/v1/public/cases/?year=2023&ordering=-petition_received_on",
    "/api/v1/public/cases/us-mx-2021-gm-silao/",
    "/api/v1/public/facilities/",
    "/api/v1/public/stats/",
    "/api/v1/public/stats/?group_by=sector",
    "/api/v1/public/stats/?group_by=year",
)
UNLIMITED_KEY = """
from public.models import ThrottleTier
from public.services import issue_api_key
tier = ThrottleTier.objects.create(code="load-test", name="Load test", requests=10**9, period_seconds=1)
_, key = issue_api_key(name="load test", tier=tier)
print(json.dumps(key))
"""
REQUEST_TIMEOUT_SECONDS = 30


@dataclass
class RunResult:
    name: str
    seconds: float
    requests: int
    errors: int
    statuses: dict[str, int]
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float


async def one_request(port: int, path: str, key: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            f"X-Api-Key: {key}\r\nAccept: application/json\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the body, to the end of the connection
        return int(status_line.split()[1])
    finally:
        writer.close()


async def client(port: int, key: str, offset: int, stop_at: float, samples: list[tuple[float, int]]) -> None:
    position = offset
    while time.monotonic() < stop_at:
        path = PATHS[position % len(PATHS)]
        position += 1
        started = time.monotonic()
        try:
            status = await asyncio.wait_for(one_request(port, path, key), REQUEST_TIMEOUT_SECONDS)
        except (TimeoutError, OSError, IndexError, ValueError):
            status = 0  # no answer, or not HTTP
        samples.append((time.monotonic() - started, status))


async def load(
    port: int, key: str, *, clients: int, duration: float
) -> tuple[float, list[tuple[float, int]]]:
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    stop_at = started + duration
    await asyncio.gather(*(client(port, key, offset, stop_at, samples) for offset in range(clients)))
    return time.monotonic() - started, samples


def summarise(name: str, elapsed: float, samples: list[tuple[float, int]]) -> RunResult:
    latencies = sorted(latency for latency, _ in samples)
    statuses = Counter(str(status) for _, status in samples)
    quantiles = (
        statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    )
    return RunResult(
        name=name,
        seconds=round(elapsed, 1),
        requests=len(samples),
        errors=sum(count for status, count in statuses.items() if status != "200"),
        statuses=dict(statuses),
        rps=round(len(samples) / elapsed, 1),
        p50_ms=round(1000 * quantiles[49], 1),
        p99_ms=round(1000 * quantiles[98], 1),
        max_ms=round(1000 * latencies[-1], 1),
    )


def warm_up(server: LiveServer, key: str) -> None:
    for path in PATHS:
        answer = server.request("GET", path, headers={"X-Api-Key": key, "X-Forwarded-Proto": "https"})
        if answer.status != 200:
            raise SystemExit(f"load: {path} answered {answer.status} before the run: {answer.body[:300]!r}")


def measure(
    *, name: str, env: dict[str, str], workdir: Path, key: str, workers: int, clients: int, duration: float
) -> RunResult:
    server = gunicorn(env=env, workdir=workdir, workers=workers).start()
    try:
        warm_up(server, key)
        elapsed, samples = asyncio.run(load(server.port, key, clients=clients, duration=duration))
    finally:
        server.stop()
    return summarise(name, elapsed, samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per run (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args(argv)
    if not 1 <= options.duration <= 600:
        parser.error(f"--duration must be between 1 and 600 seconds, got {options.duration}")

    workdir = Path(tempfile.mkdtemp(prefix="rrm-load-"))
    results: list[RunResult] = []
    with PrivatePostgres.initialised() as postgres, PrivateRedis() as redis:
        postgres.create_database("rrm")
        env = production_environment(postgres=postgres, workdir=workdir, redis=redis)
        env["PUBLIC_EXPORT_REBUILD_ON_CHANGE"] = "false"  # no worker here; the import would ask for a build
        run_manage("migrate", "--noinput", env=env)
        run_manage("collectstatic", "--noinput", env=env)
        run_manage("import_cases", "data/cases.csv", env=env)
        key = run_script(UNLIMITED_KEY, env=env)
        cache_off = {**env, "PUBLIC_API_RESPONSE_CACHE_SECONDS": "0", "PUBLIC_API_STATS_CACHE_SECONDS": "0"}
        for name, run_env in (("statistics cache on", env), ("statistics cache off", cache_off)):
            print(f"load: {name}: {options.clients} clients for {options.duration:.0f} s ...", flush=True)
            results.append(
                measure(
                    name=name,
                    env=run_env,
                    workdir=workdir,
                    key=key,
                    workers=options.workers,
                    clients=options.clients,
                    duration=options.duration,
                )
            )
    print_table(results, options)
    if options.json:
        options.json.write_text(json.dumps(report(results, options), indent=2) + "\n")
    return 1 if any(result.errors for result in results) else 0


def report(results: list[RunResult], options: argparse.Namespace) -> dict[str, Any]:
    return {
        "machine": {"cpus": _cpus(), "python": platform.python_version(), "system": platform.platform()},
        "clients": options.clients,
        "workers": options.workers,
        "duration_seconds": options.duration,
        "paths": PATHS,
        "runs": [asdict(result) for result in results],
    }


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def print_table(results: list[RunResult], options: argparse.Namespace) -> None:
    print()
    print(
        f"{options.clients} clients, gunicorn --workers {options.workers}, {options.duration:.0f} s per run, "
        f"{_cpus()} CPUs, paths round-robin: {len(PATHS)}"
    )
    print("| run | requests | rps | p50 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.name} | {r.requests} | {r.rps} | {r.p50_ms} | {r.p99_ms} | {r.max_ms} | {r.errors} |")


if __name__ == "__main__":
    sys.exit(main())
