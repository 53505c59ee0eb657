"""The statistics of the whole record kept up to date by PostgreSQL in the same transaction as each write.

Two levels of tables, written only by triggers (installed by a migration, so the public app writes
nothing and every write path is covered: services, the admin, the importer, bulk SQL):

- public_case_figure: one row per case with what the statistics read of it (its group keys, a 0/1 per
  counted condition, the summed columns, the days of each duration), computed by the SQL that the
  expressions of public.statistics and public.event_figures compile to; public_deadline_figure: one row
  per deadline that still applies, with what its verdict depends on and its case's group keys.
- public_group_*: for every grouping and key, the sums of those rows (public_group_figure), a histogram
  of each duration in whole days (public_group_days, which gives exact medians and percentiles), the
  cases per facility and per company (public_group_pair, for the repeat figures) and the deadlines per
  rule and status, open ones by due date (public_group_clock, whose verdict depends on the day).

Statement-level triggers on the record's tables refresh the first level for the cases a statement
touched; triggers on the first level add the new rows to the second and subtract the old. The
statistics of every case (no filter) then read a few hundred rows instead of grouping the record.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Q, TextField, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast

from public import event_figures as events
from public.statistics import (
    CASE_SUMS,
    GROUPINGS,
    ClockCount,
    assembled,
    case_conditions,
    group_key,
)
from rrm.choices import CaseRecordBasis, DeadlineStatus
from rrm.models import Case

ALL = "all"  # the grouping (and key) of the statistics without group_by
INTEGER_KEYS = ("year", "company")
COUNTS = tuple(case_conditions())
DURATIONS = tuple(duration.name for duration in events.DURATIONS)
PAIRS = {"facility": "facility_id", "company": "key_company"}  # repeat figure: the case's column

# --------------------------------------------------------------------------------------------------
# The first level: one row per case, compiled from the statistics' own expressions


def case_figures_sql() -> str:
    """SELECT of every case's figures (id, key_<grouping>..., counts, sums, durations, facility_id,
    staff), the SQL of the expressions that public.statistics groups."""
    annotations: dict[str, Any] = {
        **{f"key_{name}": Cast(group_key(name), TextField()) for name in GROUPINGS},
        **{
            name: CaseWhen(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            for name, condition in case_conditions().items()
        },
        **{name: F(column) for name, column in CASE_SUMS.items()},
        **{duration.name: duration.days() for duration in events.DURATIONS},
        "staff": ExpressionWrapper(Q(record_basis=CaseRecordBasis.STAFF), output_field=BooleanField()),
    }
    query = Case.objects.order_by().annotate(**annotations).values("id", "facility_id", *annotations)
    sql, params = query.query.sql_with_params()
    connection.ensure_connection()  # compose_sql quotes the parameters through the live connection
    return str(connection.ops.compose_sql(sql, params)) if params else sql  # type: ignore[attr-defined]


CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    *((f"key_{name}", "text") for name in GROUPINGS),
    *((name, "integer") for name in COUNTS),
    *((name, "numeric") for name in CASE_SUMS),
    *((name, "integer") for name in DURATIONS),
    ("facility_id", "bigint"),
    ("staff", "boolean"),
)
KEY_COLUMNS = tuple(f"key_{name}" for name in GROUPINGS)
DEADLINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "bigint"),
    ("rule_id", "bigint"),
    ("status", "text"),
    ("due_date", "date"),  # open deadlines only: their verdict depends on it
    ("staff", "boolean"),  # open deadlines only
    *((column, "text") for column in KEY_COLUMNS),
)


def _upsert(table: str, key: str, columns: Sequence[str], select: str) -> str:
    """INSERT the rows of `select`, replacing a row of the same key only where a column changed (so the
    triggers below see only real changes)."""
    names = ", ".join(columns)
    changed = ", ".join(f"excluded.{column}" for column in columns)
    return (
        f"INSERT INTO {table} AS t ({key}, {names}) {select} "
        f"ON CONFLICT ({key}) DO UPDATE SET ({names}) = ROW({changed}) "
        f"WHERE ({', '.join(f't.{column}' for column in columns)}) IS DISTINCT FROM ({changed})"
    )


def refresh_functions() -> str:
    case_names = [name for name, _type in CASE_COLUMNS]
    select_cases = (
        f"SELECT s.id, {', '.join(f's.{name}' for name in case_names)} FROM ({case_figures_sql()}) s"
    )
    deadline_names = [name for name, _type in DEADLINE_COLUMNS]
    open_ = f"d.status = '{DeadlineStatus.OPEN}'"
    select_deadlines = (
        f"SELECT d.id, d.case_id, d.rule_id, d.status, CASE WHEN {open_} THEN d.due_date END, "
        f"CASE WHEN {open_} THEN f.staff END, {', '.join(f'f.{column}' for column in KEY_COLUMNS)} "
        "FROM rrm_deadline d JOIN public_case_figure f ON f.case_id = d.case_id "
        f"WHERE d.status <> '{DeadlineStatus.CANCELLED}'"
    )
    cases_of_ids = select_cases + " WHERE s.id = ANY(ids) ORDER BY 1"
    deadlines_of_cases = select_deadlines + " AND d.case_id = ANY(ids) ORDER BY 1"
    return f"""
CREATE OR REPLACE FUNCTION public_refresh_case_figures(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM public_case_figure f WHERE f.case_id = ANY(ids)
        AND NOT EXISTS (SELECT 1 FROM rrm_case c WHERE c.id = f.case_id);
    {_upsert("public_case_figure", "case_id", case_names, cases_of_ids)};
    PERFORM public_refresh_deadline_figures(ids);
END;
$body$;

CREATE OR REPLACE FUNCTION public_refresh_deadline_figures(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM public_deadline_figure f WHERE f.case_id = ANY(ids) AND NOT EXISTS (
        SELECT 1 FROM rrm_deadline d WHERE d.id = f.deadline_id AND d.case_id = f.case_id
            AND d.status <> '{DeadlineStatus.CANCELLED}');
    {_upsert("public_deadline_figure", "deadline_id", deadline_names, deadlines_of_cases)};
END;
$body$;

CREATE OR REPLACE FUNCTION public_rebuild_figures() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    TRUNCATE {", ".join(FIGURE_TABLES)};
    INSERT INTO public_case_figure (case_id, {", ".join(case_names)}) {select_cases};
    INSERT INTO public_deadline_figure (deadline_id, {", ".join(deadline_names)}) {select_deadlines};
END;
$body$;
"""


# --------------------------------------------------------------------------------------------------
# The second level: sums by grouping and key, kept by adding each new first-level row, subtracting each
# old one

GROUP_TABLES = ("public_group_figure", "public_group_days", "public_group_pair", "public_group_clock")
FIGURE_TABLES = ("public_case_figure", "public_deadline_figure", *GROUP_TABLES)
UNPIVOT_GROUPS = (
    "CROSS JOIN LATERAL (VALUES ('all', 'all')"
    + "".join(f", ('{name}', d.key_{name})" for name in GROUPINGS)
    + ") AS g(grouping, key)"
)


def _add(table: str, keys: Sequence[str], sums: dict[str, str], source: str, where: str = "TRUE") -> str:
    """Add the signed sums of the delta `d` by `keys` (grouping and key first) to `table`, then drop
    the rows that count nothing any more."""
    first = next(iter(sums))
    key_list = ", ".join(keys)
    return (
        f"INSERT INTO {table} AS t ({key_list}, {', '.join(sums)}) "
        f"SELECT {key_list}, {', '.join(f'COALESCE(SUM({expression}), 0)' for expression in sums.values())} "
        f"FROM ({source}) d {UNPIVOT_GROUPS} {{extra}} WHERE {where} GROUP BY {key_list} ORDER BY {key_list} "
        f"ON CONFLICT ({key_list}) DO UPDATE SET "
        + ", ".join(f"{name} = t.{name} + excluded.{name}" for name in sums)
        + f";\n    DELETE FROM {table} WHERE {first} = 0;\n"
    )


def case_delta(source: str) -> str:
    figures = _add(
        "public_group_figure",
        ("grouping", "key"),
        {"n": "d.sign", **{name: f"d.sign * d.{name}" for name in (*COUNTS, *CASE_SUMS)}},
        source,
    ).replace("{extra}", "")
    days = _add(
        "public_group_days",
        ("grouping", "key", "duration", "days"),
        {"count": "d.sign"},
        source,
        "days IS NOT NULL",
    ).replace(
        "{extra}",
        "CROSS JOIN LATERAL (VALUES "
        + ", ".join(f"('{name}', d.{name})" for name in DURATIONS)
        + ") AS u(duration, days)",
    )
    pairs = _add(
        "public_group_pair", ("grouping", "key", "kind", "value"), {"count": "d.sign"}, source
    ).replace(
        "{extra}",
        "CROSS JOIN LATERAL (VALUES "
        + ", ".join(f"('{kind}', d.{column}::text)" for kind, column in PAIRS.items())
        + ") AS u(kind, value)",
    )
    return figures + "    " + days + "    " + pairs


def deadline_delta(source: str) -> str:
    return _add(
        "public_group_clock",
        ("grouping", "key", "rule_id", "status", "staff", "due_date"),
        {"count": "d.sign"},
        source,
    ).replace("{extra}", "")


def group_tables() -> str:
    keys = "grouping text NOT NULL, key text"
    counts = ", ".join(f"{name} bigint NOT NULL" for name in COUNTS)
    sums = ", ".join(f"{name} numeric NOT NULL" for name in CASE_SUMS)
    case_columns = ", ".join(f"{name} {type_}" for name, type_ in CASE_COLUMNS)
    deadline_columns = ", ".join(f"{name} {type_}" for name, type_ in DEADLINE_COLUMNS)
    return f"""
CREATE TABLE public_case_figure (case_id bigint PRIMARY KEY, {case_columns});
CREATE TABLE public_deadline_figure (deadline_id bigint PRIMARY KEY, {deadline_columns});
CREATE INDEX public_deadline_figure_case ON public_deadline_figure (case_id);
CREATE TABLE public_group_figure ({keys}, n bigint NOT NULL, {counts}, {sums},
    UNIQUE NULLS NOT DISTINCT (grouping, key));
CREATE TABLE public_group_days ({keys}, duration text NOT NULL, days integer NOT NULL, count bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (grouping, key, duration, days));
CREATE TABLE public_group_pair ({keys}, kind text NOT NULL, value text, count bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (grouping, key, kind, value));
CREATE TABLE public_group_clock ({keys}, rule_id bigint NOT NULL, status text NOT NULL, staff boolean,
    due_date date, count bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (grouping, key, rule_id, status, staff, due_date));
CREATE INDEX public_group_figure_empty ON public_group_figure (grouping) WHERE n = 0;
CREATE INDEX public_group_days_empty ON public_group_days (grouping) WHERE count = 0;
CREATE INDEX public_group_pair_empty ON public_group_pair (grouping) WHERE count = 0;
CREATE INDEX public_group_clock_empty ON public_group_clock (grouping) WHERE count = 0;
"""


# --------------------------------------------------------------------------------------------------
# Triggers

# For each table of the record: the ids of the cases whose figures a statement's rows (`rows`) change,
# and whether only their deadlines' figures change.
WATCHED: dict[str, tuple[str, bool]] = {
    "rrm_case": ("SELECT id FROM {rows}", False),
    "rrm_facility": ("SELECT c.id FROM rrm_case c JOIN {rows} r ON c.facility_id = r.id", False),
    "rrm_timelineevent": (
        "SELECT case_id FROM {rows} UNION SELECT e.case_id FROM rrm_timelineevent e JOIN {rows} r "
        "ON e.id = r.corrects_id",
        False,
    ),
    "petitions_petition": ("SELECT case_id FROM {rows} WHERE case_id IS NOT NULL", False),
    "petitions_petitioner": (
        "SELECT p.case_id FROM petitions_petition p JOIN {rows} r ON p.id = r.petition_id "
        "WHERE p.case_id IS NOT NULL",
        False,
    ),
    "rrm_organisation": (
        "SELECT p.case_id FROM petitions_petition p JOIN petitions_petitioner x ON x.petition_id = p.id "
        "JOIN {rows} r ON x.organisation_id = r.id WHERE p.case_id IS NOT NULL",
        False,
    ),
    "rrm_deadline": ("SELECT case_id FROM {rows}", True),
}
TRANSITIONS = {"INSERT": ("new_rows",), "UPDATE": ("old_rows", "new_rows"), "DELETE": ("old_rows",)}
REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}
SIGNS = {"new_rows": 1, "old_rows": -1}


def _trigger(table: str, event: str, name: str, body: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    {body}
    RETURN NULL;
END;
$body$;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {event} ON {table} {REFERENCING[event]}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def triggers() -> str:
    parts = []
    for table, (case_ids, deadlines_only) in WATCHED.items():
        refresh = "public_refresh_deadline_figures" if deadlines_only else "public_refresh_case_figures"
        for event, transitions in TRANSITIONS.items():
            ids = " UNION ".join(case_ids.format(rows=rows) for rows in transitions)
            body = f"PERFORM {refresh}(ARRAY({ids}));"
            parts.append(_trigger(table, event, f"{table}_figures_{event.lower()}", body))
        parts.append(
            f"DROP TRIGGER IF EXISTS {table}_figures_truncate ON {table};\n"
            f"CREATE TRIGGER {table}_figures_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public_figures_rebuilt();"
        )
    for table, delta in (("public_case_figure", case_delta), ("public_deadline_figure", deadline_delta)):
        for event, transitions in TRANSITIONS.items():
            source = " UNION ALL ".join(
                f"SELECT {SIGNS[rows]} AS sign, * FROM {rows}" for rows in transitions
            )
            parts.append(_trigger(table, event, f"{table}_{event.lower()}", delta(source)))
    return "\n".join(parts)


def switch_sql(*, enabled: bool) -> str:
    """Turn the record's triggers of the kept figures off (a bulk load, followed by
    public_rebuild_figures()) or on again."""
    action = "ENABLE" if enabled else "DISABLE"
    return "\n".join(
        f"ALTER TABLE {table} {action} TRIGGER {table}_figures_{event.lower()};"
        for table in WATCHED
        for event in TRANSITIONS
    )


def install_sql() -> str:
    """Every function and trigger, replacing earlier versions; the tables come first (group_tables)."""
    rebuilt = """
CREATE OR REPLACE FUNCTION public_figures_rebuilt() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM public_rebuild_figures();
    RETURN NULL;
END;
$body$;
"""
    body = refresh_functions() + rebuilt + triggers()
    return body + f"\nCOMMENT ON FUNCTION public_rebuild_figures() IS '{fingerprint(body)}';\n"


def fingerprint(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def install(cursor: CursorWrapper) -> None:
    """(Re)create the functions and triggers from the current definitions, and rebuild every figure."""
    cursor.execute(install_sql())
    cursor.execute("SELECT public_rebuild_figures()")


def uninstall_sql() -> str:
    drops = [
        f"DROP TRIGGER IF EXISTS {table}_figures_{event.lower()} ON {table};"
        for table in WATCHED
        for event in (*TRANSITIONS, "TRUNCATE")
    ]
    return "\n".join(
        [
            *drops,
            "DROP FUNCTION IF EXISTS public_figures_rebuilt, public_rebuild_figures, "
            "public_refresh_case_figures, public_refresh_deadline_figures CASCADE;",
            f"DROP TABLE IF EXISTS {', '.join(FIGURE_TABLES)} CASCADE;",
        ]
    )


def installed_fingerprint() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('public_rebuild_figures()'::regprocedure, 'pg_proc')")
        row = cursor.fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------------------------------
# Reading the statistics of every case


def _key(grouping: str, key: str | None) -> Any:
    if key is not None and grouping in INTEGER_KEYS:
        return int(key)
    return key


def percentile(days: Sequence[tuple[int, int]], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over a histogram of (value, count) sorted by value: the values at
    rows floor and ceil of fraction * (n - 1), interpolated as float8_lerp does."""
    total = sum(count for _value, count in days)
    if not total:
        return None
    position = fraction * (total - 1)
    first_row, second_row = math.floor(position), math.ceil(position)
    first = second = None
    seen = 0
    for value, count in days:
        if first is None and first_row < seen + count:
            first = float(value)
        if second_row < seen + count:
            second = float(value)
            break
        seen += count
    assert first is not None and second is not None
    return first + (second - first) * (position - first_row)


def _rows(cursor: CursorWrapper, grouping: str) -> dict[Any, dict[str, Any]]:
    names = ("n", *COUNTS, *CASE_SUMS)
    cursor.execute(f"SELECT key, {', '.join(names)} FROM public_group_figure WHERE grouping = %s", [grouping])
    rows: dict[Any, dict[str, Any]] = {}
    for key, *values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["backpay_total"] = row["backpay_total"] if row["backpay_cases"] else None
        row["workers_total"] = int(row["workers_total"])
        rows[_key(grouping, key)] = row
    histograms: dict[tuple[Any, str], list[tuple[int, int]]] = defaultdict(list)
    cursor.execute(
        "SELECT key, duration, days, count FROM public_group_days WHERE grouping = %s ORDER BY days",
        [grouping],
    )
    for key, duration, days, count in cursor.fetchall():
        histograms[_key(grouping, key), duration].append((days, count))
    for key, row in rows.items():
        for duration in DURATIONS:
            histogram = histograms.get((key, duration), [])
            row[f"{duration}_n"] = sum(count for _days, count in histogram)
            row[f"{duration}_median"] = percentile(histogram, 0.5)
            row[f"{duration}_p90"] = percentile(histogram, 0.9)
    return rows


def _empty_row() -> dict[str, Any]:
    row: dict[str, Any] = {"n": 0, **dict.fromkeys(COUNTS, 0), "backpay_total": None, "workers_total": 0}
    for duration in DURATIONS:
        row.update({f"{duration}_n": 0, f"{duration}_median": None, f"{duration}_p90": None})
    return row


def _repeats(cursor: CursorWrapper, grouping: str) -> dict[str, dict[Any, int]]:
    cursor.execute(
        "SELECT kind, key, COUNT(*) FROM public_group_pair WHERE grouping = %s AND count > 1 "
        "GROUP BY kind, key",
        [grouping],
    )
    repeats: dict[str, dict[Any, int]] = {kind: {} for kind in PAIRS}
    for kind, key, count in cursor.fetchall():
        repeats[kind][_key(grouping, key)] = count
    return repeats


def _clocks(cursor: CursorWrapper, grouping: str, today: Any) -> dict[Any, list[ClockCount]]:
    # The verdict of rrm.selectors.verdict_expression, from what it depends on.
    cursor.execute(
        "SELECT key, rule_id, CASE WHEN status <> %s THEN status WHEN due_date >= %s THEN 'pending' "
        "WHEN staff THEN 'overdue' ELSE 'not_in_record' END AS verdict, SUM(count) "
        "FROM public_group_clock WHERE grouping = %s GROUP BY 1, 2, 3",
        [DeadlineStatus.OPEN, today, grouping],
    )
    clocks: dict[Any, list[ClockCount]] = defaultdict(list)
    for key, rule_id, verdict, count in cursor.fetchall():
        clocks[_key(grouping, key)].append(ClockCount(rule_id, verdict, int(count)))
    return clocks


def stored_statistics(*, group_by: str | None, today: Any) -> list[dict[str, Any]]:
    """public.statistics.statistics of every case, read from the kept sums instead of the record."""
    grouping = group_by or ALL
    with connection.cursor() as cursor:
        rows = _rows(cursor, grouping)
        if group_by is None:
            # As the GROUP BY of a constant: one group, counting nothing when there is no case.
            rows = {ALL: rows.get(ALL) or _empty_row()}
        repeats = _repeats(cursor, grouping)
        clocks = _clocks(cursor, grouping, today)
    return assembled(
        group_by, rows=rows, clocks=clocks, facilities=repeats["facility"], companies=repeats["company"]
    )
