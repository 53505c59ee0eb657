"""The public API on a synthetic record of a million cases: statistics against hand-written SQL, and
list throughput against Datasette serving the bulk export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rrm_bench_public .venv/bin/python -m benchmarks.public_api

Needs the `bench` extra (`pip install -e '.[bench]'`: Datasette), wrk (`apt-get install wrk`) and Redis 7
on 127.0.0.1:6379 (db 5). The database named in DATABASE_URL is created (an existing one is
refused unless --reuse names it as seeded by an earlier --keep run), migrated and seeded with
INSERT ... SELECT over generate_series (benchmarks/public_seed.py), and dropped at the end unless --keep.

1. Statistics grouped by sector and by year, with every cache off, through the whole Django stack
   (in-process client), against the hand-written GROUP BY statements that compute the same figures
   from the same tables (HAND_WRITTEN below), both timed as the median of --repeats runs.
2. The bulk export is built from the database (CSV files and the SQLite file).
3. Throughput: wrk with --connections clients on loopback for --seconds per run, against this service
   under gunicorn (--workers processes, production settings, an API key of an unlimited tier), with
   and without its response cache, then against Datasette serving the exported SQLite file in its
   fastest configuration: immutable (-i) with precomputed counts (--inspect-file), facet suggestions
   off and _nosuggest=1. Each server runs alone; wrk shares the machine with it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from benchmarks import public_csv, public_seed
from benchmarks.database import (
    create_database,
    database_exists,
    database_settings,
    drop_database,
    print_table,
    run_sql,
)
from benchmarks.public_throughput import KEY_HEADER, Load, measure_throughput, server_environment

STAGES_WITHOUT_REQUEST = "('submitted', 'ilc_review', 'ilc_declined', 'closed_without_request', 'withdrawn')"
OUTCOMES = (
    "ilc_declined resolved_without_request withdrawn mexico_declined_review mexico_found_no_denial_closed "
    "remedied_during_review resolved_company_agreement resolved_facility_actions "
    "course_of_remediation_completed facility_closed panel_no_denial panel_denial_found panel_pending open"
).split()


# --------------------------------------------------------------------------------------------------
# Set-up


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="Cases to create.")
    parser.add_argument("--repeats", type=int, default=5, help="Timed runs of each statistics measurement.")
    parser.add_argument("--seconds", type=int, default=20, help="Length of each throughput run.")
    parser.add_argument("--connections", type=int, default=50, help="Concurrent clients of each run.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--keep", action="store_true", help="Do not drop the database at the end.")
    parser.add_argument("--reuse", action="store_true", help="Use the database as seeded by a --keep run.")
    parser.add_argument("--skip-load", action="store_true", help="Only the statistics and the export.")
    parser.add_argument("--reuse-export", action="store_true", help="Serve the newest export already built.")
    parser.add_argument("--skip-stats", action="store_true", help="Only the export and the throughput.")
    parser.add_argument("--skip-csv", action="store_true", help="Not the CSV stream of every case.")
    arguments = parser.parse_args()
    if arguments.cases < 1000:
        parser.error(f"--cases must be at least 1000, got {arguments.cases}.")
    if arguments.repeats < 1 or arguments.seconds < 1 or arguments.connections < 1 or arguments.workers < 1:
        parser.error("--repeats, --seconds, --connections and --workers must be at least 1.")
    return arguments


def setup_django() -> None:
    os.environ.update(server_environment())
    os.environ["BENCH_SECRET_KEY"] = os.environ["DJANGO_SECRET_KEY"]
    import django

    django.setup()


def seed(cases: int) -> list[tuple[str, int, float]]:
    """Each statement of public_seed, timed: (label, rows, seconds)."""
    from django.db import connection

    steps = []
    from public import figure_store

    # The kept statistics' triggers off while seeding (they would refresh every case after each
    # statement), then the statistics built once.
    run_sql(figure_store.switch_sql(enabled=False))
    for label, statement in public_seed.statements(cases_count=cases):
        started = time.monotonic()
        rows = run_sql(statement)
        steps.append((label, rows, time.monotonic() - started))
        print(f"  seeded {label}: {rows:,} rows in {steps[-1][2]:.1f} s", flush=True)
    run_sql(figure_store.switch_sql(enabled=True))
    started = time.monotonic()
    run_sql("ANALYZE")  # without statistics of the new rows, the per-case figures' subqueries scan tables
    run_sql("SELECT public_rebuild_figures()")
    steps.append(("statistics kept on write", 0, time.monotonic() - started))
    print(f"  built the statistics kept on write in {steps[-1][2]:.1f} s", flush=True)
    connection.close()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as direct:
        started = time.monotonic()
        direct.execute("VACUUM ANALYZE")
        steps.append(("VACUUM ANALYZE", 0, time.monotonic() - started))
    return steps


def table_rows() -> dict[str, int]:
    tables = (
        "rrm_case",
        "rrm_facility",
        "rrm_company",
        "rrm_timelineevent",
        "rrm_deadline",
        "remediation_mexicoreview",
        "petitions_petition",
        "petitions_petitioner",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            counts[table] = int(cursor.fetchone()[0])
    return counts


# --------------------------------------------------------------------------------------------------
# Statistics: the endpoint against hand-written SQL


def key_expression(group_by: str) -> str:
    return {
        "sector": "f.sector",
        "year": "extract(year FROM coalesce(c.petition_received_on, c.request_for_review_on))",
    }[group_by]


def hand_written(group_by: str) -> list[str]:
    """The statements an analyst would write for the figures of /stats/, over the base tables."""
    key = key_expression(group_by)
    requested = f"c.stage NOT IN {STAGES_WITHOUT_REQUEST}"
    durations = {
        "receipt_to_determination": (
            f"CASE WHEN c.initiation = 'petition' AND {requested} "
            "THEN c.request_for_review_on - c.petition_received_on "
            "WHEN c.outcome = 'ilc_declined' THEN c.outcome_date - c.petition_received_on END"
        ),
        "request_to_mexico_response": "c.mexico_response_on - c.request_for_review_on",
        "request_to_finding": "r.finding_on - r.requested_on",
        "request_to_remediation_plan": "c.remediation_agreed_on - c.request_for_review_on",
        "panel_request_to_determination": (
            "CASE WHEN c.outcome IN ('panel_no_denial', 'panel_denial_found') "
            "THEN c.outcome_date - c.panel_requested_on END"
        ),
    }
    figures = [
        "count(*)",
        "count(*) FILTER (WHERE c.initiation = 'petition')",
        f"count(*) FILTER (WHERE c.initiation = 'petition' AND {requested})",
        f"count(*) FILTER (WHERE c.initiation = 'self_initiated' AND {requested})",
        "count(*) FILTER (WHERE c.initiation = 'petition' AND c.outcome = 'ilc_declined')",
        "sum(c.backpay_usd)",
        "count(c.backpay_usd)",
        "count(*) FILTER (WHERE c.backpay_is_floor AND c.backpay_usd IS NOT NULL)",
        "sum(c.workers_covered)",
        "count(c.workers_covered)",
        *(
            f"count(*) FILTER (WHERE r.response = '{answer}')"
            for answer in ("accepted", "declined", "no_answer")
        ),
        *(
            f"count(*) FILTER (WHERE r.finding = '{finding}')"
            for finding in ("denial", "no_denial", "remedied")
        ),
        *(f"count(*) FILTER (WHERE c.outcome = '{outcome}')" for outcome in OUTCOMES),
        *(
            f"count({days}), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {days})"
            for days in durations.values()
        ),
    ]

    def joined(*expressions: str) -> str:
        # The facility is joined only when the statement reads one of its columns, as the ORM does.
        return "JOIN rrm_facility f ON f.id = c.facility_id" if any("f." in e for e in expressions) else ""

    cases = (
        f"SELECT {key} AS k, {', '.join(figures)} FROM rrm_case c {joined(key)} "
        "LEFT JOIN remediation_mexicoreview r ON r.case_id = c.id GROUP BY 1"
    )
    clocks = (
        f"SELECT {key} AS k, d.rule_id, d.status, count(*), "
        "count(*) FILTER (WHERE d.status = 'open' AND d.due_date < current_date) "
        f"FROM rrm_deadline d JOIN rrm_case c ON c.id = d.case_id {joined(key)} "
        "WHERE d.status <> 'cancelled' GROUP BY 1, 2, 3"
    )
    repeats = [
        f"SELECT k, count(*) FROM (SELECT {key} AS k, {column} FROM rrm_case c {joined(key, column)} "
        "GROUP BY 1, 2 HAVING count(*) > 1) AS repeated GROUP BY k"
        for column in ("c.facility_id", "f.operator_id")
    ]
    return [cases, clocks, *repeats]


def time_hand_written(group_by: str) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in hand_written(group_by):
            cursor.execute(statement)
            cursor.fetchall()
    return time.perf_counter() - started


def time_endpoint(client: Any, group_by: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get("/api/v1/public/stats/", {"group_by": group_by}, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"/stats/?group_by={group_by} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed


@dataclass(frozen=True)
class StatsTiming:
    group_by: str
    endpoint: list[float]
    hand_written: list[float]
    cached: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.endpoint) / statistics.median(self.hand_written)


def measure_statistics(*, repeats: int, key: str) -> list[StatsTiming]:
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {KEY_HEADER: key}
    timings = []
    for group_by in ("sector", "year"):
        time_hand_written(group_by)  # both start from a warm buffer cache
        with override_settings(PUBLIC_API_STATS_CACHE_SECONDS=0, PUBLIC_API_RESPONSE_CACHE_SECONDS=0):
            time_endpoint(client, group_by, headers)
            endpoint, baseline = [], []
            for _ in range(repeats):
                endpoint.append(time_endpoint(client, group_by, headers))
                baseline.append(time_hand_written(group_by))
        time_endpoint(client, group_by, headers)
        cached = statistics.median(time_endpoint(client, group_by, headers) for _ in range(repeats))
        timings.append(StatsTiming(group_by, endpoint, baseline, cached))
        print(
            f"  stats by {group_by}: endpoint {ms(statistics.median(endpoint))}, "
            f"hand-written {ms(statistics.median(baseline))}",
            flush=True,
        )
    return timings


def check_same_figures(group_by: str, key: str) -> None:
    """The endpoint's n per group equals the hand-written query's, so both computed the same groups."""
    from django.db import connection
    from django.test import Client, override_settings

    def shown_key(value: Any) -> str:
        if value is None or value == "":
            return ""
        return str(int(value)) if group_by == "year" else str(value)

    with override_settings(PUBLIC_API_STATS_CACHE_SECONDS=0, PUBLIC_API_RESPONSE_CACHE_SECONDS=0):
        response = Client(HTTP_HOST="127.0.0.1").get(
            "/api/v1/public/stats/", {"group_by": group_by}, headers={KEY_HEADER: key}
        )
    endpoint = {shown_key(group["key"]): group["n"] for group in response.json()["groups"]}
    with connection.cursor() as cursor:
        cursor.execute(hand_written(group_by)[0])
        expected = {shown_key(row[0]): row[1] for row in cursor.fetchall()}
    if endpoint != expected:
        sys.exit(
            f"The endpoint and the hand-written SQL disagree on n by {group_by}: {endpoint} vs {expected}"
        )


# --------------------------------------------------------------------------------------------------
# Export and throughput


def bench_key() -> str:
    """An API key of a tier without a practical limit: the runs measure serving, not refusing."""
    from public import services
    from public.models import ThrottleTier

    tier, _ = ThrottleTier.objects.update_or_create(
        code="benchmark",
        defaults={
            "name": "Benchmark",
            "requests": 1_000_000_000,
            "period_seconds": 60,
            "for_anonymous": False,
        },
    )
    return services.issue_api_key(name="benchmark", tier=tier)[1]


def build_export(*, reuse: bool) -> tuple[Path, float, int]:
    from public import services
    from public.models import ExportBuild

    existing = services.latest_ready_build() if reuse else None
    if existing is not None and (services.export_root() / existing.directory).is_dir():
        entry = next(entry for entry in existing.files if entry["name"].endswith(".sqlite3"))
        return services.export_root() / existing.directory, 0.0, int(entry["bytes"])
    started = time.monotonic()
    ExportBuild.objects.filter(status=ExportBuild.Status.PENDING).delete()
    build = services.request_export_build()
    assert build is not None
    build = services.build_export(build_id=build.pk)
    elapsed = time.monotonic() - started
    sqlite_entry = next(entry for entry in build.files if entry["name"].endswith(".sqlite3"))
    return services.export_root() / build.directory, elapsed, int(sqlite_entry["bytes"])


# --------------------------------------------------------------------------------------------------
# Report


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def report(
    stats: list[StatsTiming], streams: list[public_csv.Stream], loads: dict[str, dict[str, Load]] | None
) -> None:
    if stats:
        print_statistics(stats)
    if streams:
        print_streams(streams)
    if loads:
        print_throughput(loads)


def print_streams(streams: list[public_csv.Stream]) -> None:
    copy = next(stream for stream in streams if stream.side == "copy")
    print_table(
        "CSV of every case (?format=csv) against COPY ... TO STDOUT of the rows' SELECT",
        ["side", "rows", "MB", "seconds", "rows/s", "peak RSS MB", "time vs COPY"],
        [
            [
                stream.side,
                f"{stream.rows:,}",
                f"{stream.bytes / 1e6:,.0f}",
                f"{stream.seconds:,.1f}",
                f"{stream.rows_per_second:,.0f}",
                f"{stream.peak_mb:,.0f}",
                f"{stream.seconds / copy.seconds:.2f}x",
            ]
            for stream in streams
        ],
    )


def print_statistics(stats: list[StatsTiming]) -> None:
    print_table(
        "Statistics, every cache off (median of runs; min in brackets)",
        ["group_by", "endpoint", "hand-written SQL", "ratio", "cached endpoint"],
        [
            [
                timing.group_by,
                f"{ms(statistics.median(timing.endpoint))} ({ms(min(timing.endpoint))})",
                f"{ms(statistics.median(timing.hand_written))} ({ms(min(timing.hand_written))})",
                f"{timing.ratio:.2f}x",
                ms(timing.cached),
            ]
            for timing in stats
        ],
    )


def print_throughput(loads: dict[str, dict[str, Load]]) -> None:
    rows = []
    for scenario in loads["Datasette"]:
        theirs = loads["Datasette"][scenario]
        for label in ("ours", "ours, response cache off"):
            ours = loads[label][scenario]
            rows.append(
                [
                    scenario,
                    label,
                    f"{ours.requests_per_second:,.0f}",
                    f"{ours.p50_ms:.1f} / {ours.p99_ms:.1f}",
                    f"{theirs.requests_per_second:,.0f}",
                    f"{theirs.p50_ms:.1f} / {theirs.p99_ms:.1f}",
                    f"{ours.requests_per_second / theirs.requests_per_second:.2f}x",
                    "yes" if ours.p99_ms < theirs.p50_ms else "no",
                    f"{ours.errors}/{theirs.errors}",
                ]
            )
    print_table(
        "Throughput, wrk on loopback (ours: gunicorn; Datasette: the exported SQLite file)",
        [
            "request",
            "ours",
            "req/s",
            "p50 / p99 ms",
            "Datasette req/s",
            "p50 / p99 ms",
            "ratio",
            "our p99 < its p50",
            "errors",
        ],
        rows,
    )


def main() -> None:
    arguments = parse_arguments()
    db = database_settings()
    if arguments.reuse:
        if not database_exists(db):
            sys.exit(f"--reuse: database {db['NAME']} does not exist.")
    else:
        create_database(db, if_it_exists="drop it, name another, or pass --reuse")
    try:
        setup_django()
        from django.core.management import call_command

        if not arguments.reuse:
            started = time.monotonic()
            call_command("migrate", verbosity=0)
            print(f"migrated in {time.monotonic() - started:.1f} s", flush=True)
            steps = seed(arguments.cases)
            print(f"seeded in {sum(step[2] for step in steps):.1f} s", flush=True)
        print(json.dumps(table_rows(), indent=1), flush=True)
        from public import freshness

        # The benchmark's Redis database outlives runs: a new data version leaves another database's
        # cached answers and page totals behind.
        freshness.bump_version()
        key = bench_key()
        stats = []
        if not arguments.skip_stats:
            for group_by in ("sector", "year"):
                check_same_figures(group_by, key)
            stats = measure_statistics(repeats=arguments.repeats, key=key)
            report(stats, [], None)
        streams = []
        if not arguments.skip_csv:
            streams = [public_csv.measure(side) for side in ("copy", "api")]
            report([], streams, None)
        loads = None
        if not arguments.skip_load:
            directory, seconds, size = build_export(reuse=arguments.reuse_export)
            built = f"built in {seconds:.1f} s" if seconds else "reused"
            print(f"\nexport {built}; SQLite file {size / 1e6:,.0f} MB", flush=True)
            loads = measure_throughput(
                directory,
                key=key,
                seconds=arguments.seconds,
                connections=arguments.connections,
                workers=arguments.workers,
            )
        report(stats, streams, loads)
    finally:
        if not arguments.keep:
            from django.db import connections

            connections.close_all()
            drop_database(db)


if __name__ == "__main__":
    main()
