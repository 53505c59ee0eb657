"""The deadline sweep against one hand-written UPDATE that marks the same rows, on a million open deadlines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rrm_bench .venv/bin/python -m benchmarks.sweep

The database named in DATABASE_URL is created, migrated and seeded (INSERT ... SELECT generate_series),
and dropped at the end unless --keep; an existing database is refused, never overwritten. Each timed
run starts from the same state: alerts and notifications deleted, last_alert_days cleared, tables
vacuumed, a checkpoint taken. Deliveries are published to an in-memory broker, so the "with
notifications" run counts the outbox writes and the enqueueing, not the sending.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.database import create_database, database_settings, drop_database, print_table, run_sql

SPAN_DAYS = 1000  # due dates spread evenly over this many days
BASE_DUE = dt.date(2030, 1, 1)
LEAD_DAYS = [7, 3, 1]
FRACTIONS = (0.01, 0.001)


@dataclass(frozen=True)
class Timing:
    label: str
    due_rows: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="Open deadlines to create.")
    parser.add_argument("--repeats", type=int, default=5, help="Timed runs of each measurement.")
    parser.add_argument("--keep", action="store_true", help="Do not drop the database at the end.")
    arguments = parser.parse_args()
    if arguments.rows < SPAN_DAYS or arguments.rows % SPAN_DAYS:
        parser.error(f"--rows must be a positive multiple of {SPAN_DAYS}, got {arguments.rows}.")
    if arguments.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {arguments.repeats}.")
    return arguments


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # An in-process broker: tasks are published, not run, so the timing is the sweep's own.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()


def seed(rows: int) -> None:
    """One facility, rows/1000 cases, 1000 rules, one open deadline per (case, rule)."""
    cases = rows // SPAN_DAYS
    started = time.monotonic()
    run_sql(
        "INSERT INTO rrm_company (created_at, updated_at, name, slug, country) "
        "VALUES (now(), now(), 'Bench', 'bench', 'MX')"
    )
    run_sql(
        "INSERT INTO rrm_facility (created_at, updated_at, name, operator_id, city, state, sector, "
        "subsector, sector_reported, country) "
        "SELECT now(), now(), 'Bench plant', id, '', 'GUA', '', '', '', 'MX' FROM rrm_company"
    )
    run_sql(
        "INSERT INTO rrm_case (created_at, updated_at, case_id, facility_id, annex, initiation, stage, "
        "outcome, title, summary_en, summary_es, mexico_response, backpay_is_floor, source_url, notes, "
        "record_basis, complainant, respondent) SELECT now(), now(), 'bench-' || g, f.id, '31-A', "
        "'petition', 'mexico_review', 'open', '', '', '', '', false, '', '', 'staff', 'US', 'MX' "
        "FROM generate_series(1, %s) AS g, rrm_facility AS f",
        [cases],
    )
    run_sql(
        "INSERT INTO rrm_deadlinerule (created_at, updated_at, code, name, effective_from, citation, length, "
        "unit, calendar, start_event, satisfied_by, ended_by, roll_forward, confidence, annex, notes) "
        "SELECT now(), now(), 'bench-' || g, 'Bench clock ' || g, DATE '2020-07-01', 'bench', 45, "
        "'calendar', 'US', 'request_for_review', '[]', '[]', 'none', 'C', '', '' "
        "FROM generate_series(1, %s) AS g",
        [SPAN_DAYS],
    )
    # Due dates spread evenly over SPAN_DAYS, scattered over the heap rather than in due-date order.
    run_sql(
        "INSERT INTO rrm_deadline (created_at, updated_at, case_id, rule_id, start_date, due_date, status, "
        "days_late_is_minimum, explanation) "
        "SELECT now(), now(), c.id, r.id, d.due - 45, d.due, 'open', false, "
        '\'{"text": "45 calendar days from request_for_review."}\' '
        "FROM rrm_case c CROSS JOIN rrm_deadlinerule r "
        "CROSS JOIN LATERAL (SELECT %s::date + ((c.id * 7919 + r.id * 104729) %% %s)::int AS due) d "
        "WHERE c.case_id LIKE 'bench-%%' AND r.code LIKE 'bench-%%'",
        [BASE_DUE, SPAN_DAYS],
    )
    vacuum()
    print(f"Seeded {rows:,} open deadlines on {cases:,} cases in {time.monotonic() - started:.0f} s.")


def add_recipients() -> None:
    """Two watchers and one webhook endpoint per case: three notifications per alert."""
    run_sql(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined) SELECT '!', false, 'bench-' || g, '', '', 'bench-' || g || '@example.org', "
        "false, true, now() FROM generate_series(1, (SELECT 2 * count(*) FROM rrm_case)) AS g"
    )
    run_sql(
        "INSERT INTO rrm_casewatch (case_id, user_id, created_at) "
        "SELECT c.id, u.id, now() FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM rrm_case) c "
        "JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM auth_user) u "
        "ON u.n IN (2 * c.n - 1, 2 * c.n)"
    )
    run_sql(
        "INSERT INTO rrm_organisation (created_at, updated_at, name, kind, country) "
        "VALUES (now(), now(), 'Bench union', 'union', 'MX')"
    )
    run_sql(
        "INSERT INTO rrm_webhookendpoint (created_at, updated_at, organisation_id, url, secret_salt, active) "
        "SELECT now(), now(), o.id, 'https://hooks.example.org/' || c.id, md5(c.id::text), true "
        "FROM rrm_case c, rrm_organisation o"
    )
    run_sql(
        "INSERT INTO rrm_webhookendpoint_cases (webhookendpoint_id, case_id) "
        "SELECT id, substring(url FROM '[0-9]+$')::bigint FROM rrm_webhookendpoint"
    )
    vacuum()


def vacuum() -> None:
    for table in ("rrm_deadline", "rrm_deadlinealert", "rrm_notification", "rrm_casewatch", "auth_user"):
        run_sql(f"VACUUM ANALYZE {table}")


def reset() -> None:
    """Back to the seeded state: nothing alerted yet."""
    run_sql("DELETE FROM rrm_notification")
    run_sql("DELETE FROM rrm_deadlinealert")
    run_sql("UPDATE rrm_deadline SET last_alert_days = NULL WHERE last_alert_days IS NOT NULL")
    vacuum()
    run_sql("CHECKPOINT")


def today_for(fraction: float) -> dt.date:
    """The day on which `fraction` of the deadlines are within the largest lead or overdue."""
    due_days = round(fraction * SPAN_DAYS)
    return BASE_DUE + dt.timedelta(days=due_days - 1 - max(LEAD_DAYS))


def due_rows(today: dt.date) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM rrm_deadline WHERE status = 'open' AND due_date <= %s",
            [today + dt.timedelta(days=max(LEAD_DAYS))],
        )
        return int(cursor.fetchone()[0])


def hand_written_update(today: dt.date) -> int:
    """The marking the sweep does, written as one UPDATE with nothing around it."""
    from django.db import transaction

    day = dt.timedelta(days=1)
    level = (
        "CASE WHEN due_date < %s THEN 0 WHEN due_date <= %s THEN 1 WHEN due_date <= %s THEN 3 "
        "WHEN due_date <= %s THEN 7 END"
    )
    level_params = [today, today + day, today + 3 * day, today + 7 * day]
    with transaction.atomic():
        return run_sql(
            f"UPDATE rrm_deadline SET last_alert_days = {level} "
            "WHERE status = 'open' AND due_date <= %s "
            f"AND (last_alert_days IS NULL OR last_alert_days > {level})",
            [*level_params, today + 7 * day, *level_params],
        )


def timed(action: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    marked = action()
    return time.perf_counter() - started, marked


def measure_marking(today: dt.date, *, repeats: int) -> tuple[Timing, Timing]:
    from rrm.notifications.sweep import sweep_deadlines

    rows = due_rows(today)
    sweep_times, sql_times = [], []
    for _ in range(repeats):
        reset()
        seconds, marked = timed(lambda: sweep_deadlines(today=today).alerts_created)
        check_marked("sweep", marked, rows)
        sweep_times.append(seconds)
        reset()
        seconds, marked = timed(lambda: hand_written_update(today))
        check_marked("hand-written UPDATE", marked, rows)
        sql_times.append(seconds)
    return Timing("sweep service", rows, sweep_times), Timing("hand-written UPDATE", rows, sql_times)


def measure_with_notifications(today: dt.date, *, repeats: int) -> tuple[Timing, Timing, int]:
    from rrm.notifications import sweep

    enqueue_seconds: list[float] = []
    original_enqueue = sweep.enqueue_deliveries

    def timed_enqueue(ids: Any) -> None:
        started = time.perf_counter()
        original_enqueue(ids)
        enqueue_seconds.append(time.perf_counter() - started)

    sweep.enqueue_deliveries = timed_enqueue  # type: ignore[assignment]
    rows = due_rows(today)
    sweep_times, queued = [], 0
    for _ in range(repeats):
        reset()
        started = time.perf_counter()
        result = sweep.sweep_deadlines(today=today)
        sweep_times.append(time.perf_counter() - started)
        check_marked("sweep with notifications", result.alerts_created, rows)
        queued = len(result.notification_ids)
    sweep.enqueue_deliveries = original_enqueue  # type: ignore[assignment]
    return (
        Timing("sweep + outbox + enqueue", rows, sweep_times),
        Timing("of which enqueue", rows, enqueue_seconds),
        queued,
    )


def measure_nothing_due(*, repeats: int) -> tuple[Timing, Timing]:
    """A sweep with nothing due, next to one sequential read of the table it does not make."""
    from rrm.notifications.sweep import sweep_deadlines

    today = BASE_DUE - dt.timedelta(days=max(LEAD_DAYS) + 1)
    sweep_times = [timed(lambda: sweep_deadlines(today=today).alerts_created)[0] for _ in range(repeats)]
    scan_times = [
        timed(lambda: run_sql("SELECT count(*) FROM rrm_deadline WHERE last_alert_days IS NULL"))[0]
        for _ in range(repeats)
    ]
    return Timing("sweep, nothing due", 0, sweep_times), Timing("one scan of the table", 0, scan_times)


def check_marked(label: str, marked: int, expected: int) -> None:
    if marked != expected:
        sys.exit(f"{label} marked {marked} rows, expected {expected}: the comparison would be meaningless.")


def milliseconds(timing: Timing) -> str:
    return f"{timing.median * 1000:.1f} (min {min(timing.seconds) * 1000:.1f})"


def main() -> None:
    arguments = parse_arguments()
    db = database_settings()
    create_database(db, if_it_exists="the benchmark creates its own: drop it or name another")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        seed(arguments.rows)
        marking_rows = [("due", "due rows", "sweep ms, median", "UPDATE ms, median", "ratio")]
        marking: dict[float, Timing] = {}
        for fraction in FRACTIONS:
            sweep, update = measure_marking(today_for(fraction), repeats=arguments.repeats)
            marking[fraction] = sweep
            marking_rows.append(
                (
                    f"{fraction:.1%}",
                    f"{sweep.due_rows:,}",
                    milliseconds(sweep),
                    milliseconds(update),
                    f"{sweep.median / update.median:.2f}x",
                )
            )
        reset()
        idle_sweep, table_scan = measure_nothing_due(repeats=arguments.repeats)
        add_recipients()
        notification_rows = [("due", "due rows", "notifications", "sweep ms, median", "of which enqueue ms")]
        for fraction in FRACTIONS:
            total, enqueue, queued = measure_with_notifications(
                today_for(fraction), repeats=arguments.repeats
            )
            notification_rows.append(
                (
                    f"{fraction:.1%}",
                    f"{total.due_rows:,}",
                    f"{queued:,}",
                    milliseconds(total),
                    milliseconds(enqueue),
                )
            )
        larger, smaller = marking[FRACTIONS[0]], marking[FRACTIONS[1]]
        print(f"\n{arguments.rows:,} open deadlines, {arguments.repeats} runs each, {os.cpu_count()} CPUs")
        print_table(
            "Marking only (no watchers, no endpoints): sweep vs hand-written UPDATE",
            marking_rows[0],
            marking_rows[1:],
        )
        print_table(
            "With notifications (2 watchers + 1 endpoint per case)",
            notification_rows[0],
            notification_rows[1:],
        )
        print(
            f"\nCost follows due rows: {larger.due_rows / smaller.due_rows:.0f}x the due rows took "
            f"{larger.median / smaller.median:.1f}x the time; with nothing due the sweep took "
            f"{milliseconds(idle_sweep)} ms, one sequential scan of the table {milliseconds(table_scan)} ms."
        )
        connections.close_all()
    finally:
        if not arguments.keep:
            drop_database(db)


if __name__ == "__main__":
    main()
