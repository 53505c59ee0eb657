"""The deadline sweep: alert every open deadline that crossed a warning threshold, exactly once.

The claim, the alerts and their outbox rows are one set-based statement in one transaction; after
commit the outbox enqueues one delivery task per row. Dates that other apps keep (a remediation plan's
end, an action's due date) are watched the same way, one statement per source registered with
watch_dates(): same thresholds, same cases (kept by staff), same recipients and payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from rrm.choices import CaseRecordBasis, Confidence
from rrm.models import Case, Deadline, DeadlineAlert, DeadlineRule, Notification, WatchedDateAlert
from rrm.notifications.outbox import enqueue_deliveries, requeue_stranded_notifications
from rrm.notifications.recipients import recipients_ctes


@dataclass(frozen=True)
class SweepResult:
    today: dt.date
    alerts_created: int
    notification_ids: tuple[int, ...]
    requeued_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "alerts_created": self.alerts_created,
            "notifications_queued": len(self.notification_ids),
            "notifications_requeued": len(self.requeued_ids),
        }


@dataclass(frozen=True)
class WatchedDates:
    """Dates of another app's rows that the sweep alerts on like the clocks.

    `open_rows` gives the SQL of the rows still open (whatever that means for the source: a plan in
    progress, an action not done), with the columns row_id, case_id, start_date, due_date, name,
    citation, explanation (jsonb) and ids (jsonb merged into the payload, e.g. {"plan_id": 3}).
    """

    source: str
    open_rows: Callable[[], tuple[str, list[Any]]]


WATCHED_DATES: dict[str, WatchedDates] = {}


def watch_dates(watched: WatchedDates) -> None:
    """Have the sweep watch a source of dates (an app calls this from its AppConfig.ready())."""
    WATCHED_DATES[watched.source] = watched


def lead_days_setting() -> list[int]:
    """RRM_DEADLINE_LEAD_DAYS, validated and sorted from the smallest lead."""
    configured = settings.RRM_DEADLINE_LEAD_DAYS
    if not isinstance(configured, list | tuple) or not all(
        isinstance(lead, int) and not isinstance(lead, bool) and lead >= 1 for lead in configured
    ):
        raise ImproperlyConfigured(
            "RRM_DEADLINE_LEAD_DAYS must be a list of whole numbers of days, each at least 1; "
            f"got {configured!r}."
        )
    return sorted(set(configured))


def sweep_deadlines(*, today: dt.date | None = None) -> SweepResult:
    """Alert every open deadline that crossed a threshold since the last sweep, exactly once.

    A deadline that crossed several thresholds since the last sweep (created two days before its due
    date, or the sweep was down for a week) gets one alert, at the smallest threshold crossed: the
    larger ones would announce more time than is left, and the smaller ones still follow in their turn.
    Cost follows the number of open deadlines due within the largest lead, through the partial index
    on due_date.
    """
    today = today or timezone.localdate()
    leads = lead_days_setting()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        alerts_created, notification_ids = _sweep_in_one_statement(cursor, today=today, leads=leads, now=now)
        for watched in WATCHED_DATES.values():
            created, notified = _sweep_watched_dates(
                cursor, watched=watched, today=today, leads=leads, now=now
            )
            alerts_created += created
            notification_ids += notified
        transaction.on_commit(partial(enqueue_deliveries, notification_ids))
    return SweepResult(today=today, alerts_created=alerts_created, notification_ids=tuple(notification_ids))


def run_scheduled_sweep(*, today: dt.date | None = None) -> SweepResult:
    """What the beat schedule and the management command run: the sweep, then the outbox safety net."""
    result = sweep_deadlines(today=today)
    requeued = requeue_stranded_notifications()
    return SweepResult(
        today=result.today,
        alerts_created=result.alerts_created,
        notification_ids=result.notification_ids,
        requeued_ids=tuple(requeued),
    )


def _level_sql(*, today: dt.date, leads: Sequence[int], due: str = "due_date") -> tuple[str, list[dt.date]]:
    """SQL for the smallest threshold the date `due` has crossed today: 0 once overdue, else its lead."""
    branches = [f"WHEN {due} < %s THEN 0"]
    params = [today]
    for lead in leads:
        branches.append(f"WHEN {due} <= %s THEN {int(lead)}")
        params.append(today + dt.timedelta(days=lead))
    return f"CASE {' '.join(branches)} END", params


def _claim_sql(*, today: dt.date, leads: Sequence[int]) -> tuple[str, list[Any]]:
    """UPDATE that moves last_alert_days down to the threshold crossed, for rows not yet alerted there.

    The rows are locked with SKIP LOCKED, so two sweeps at once split the rows between them instead of
    waiting on (or deadlocking over) each other. updated_at stays: alert bookkeeping is not an edit of the
    deadline.
    """
    level, level_params = _level_sql(today=today, leads=leads)
    table = connection.ops.quote_name(Deadline._meta.db_table)
    due = (
        f"SELECT id FROM {table} WHERE status = %s AND due_date <= %s "
        f"AND (last_alert_days IS NULL OR last_alert_days > {level}) "
        f"AND case_id IN ({_staff_cases_sql()})"
    )
    # ARRAY() runs the locking query once and the UPDATE then reaches rows by primary key; as a join, the
    # planner switches to a scan of the whole table once a few thousand rows are due.
    rows = f"{table}.id = ANY(ARRAY({due} FOR UPDATE SKIP LOCKED))"
    sql = (
        f"UPDATE {table} SET last_alert_days = {level} WHERE {rows} "
        f"RETURNING {table}.id, {table}.case_id, {table}.last_alert_days"
    )
    params = [*level_params, Deadline.Status.OPEN, _horizon(today=today, leads=leads), *level_params]
    return sql, [*params, CaseRecordBasis.STAFF]


def _horizon(*, today: dt.date, leads: Sequence[int]) -> dt.date:
    """The latest due date that has crossed a threshold today."""
    return today + dt.timedelta(days=leads[-1]) if leads else today - dt.timedelta(days=1)


def _staff_cases_sql() -> str:
    # Only a case kept here by staff proves by its silence that a date is due or overdue; on a case
    # imported from public sources the act may simply not be public (docs/mechanism.md).
    return f"SELECT id FROM {connection.ops.quote_name(Case._meta.db_table)} WHERE record_basis = %s"


def _alert_kind_sql(level: str) -> str:
    return (
        f"CASE WHEN {level} = 0 THEN '{DeadlineAlert.Kind.OVERDUE}' ELSE '{DeadlineAlert.Kind.DUE_SOON}' END"
    )


def _sweep_in_one_statement(
    cursor: CursorWrapper, *, today: dt.date, leads: Sequence[int], now: dt.datetime
) -> tuple[int, list[int]]:
    """Claim, alerts and outbox rows as chained data-modifying CTEs: no row travels to Python and back."""
    claim, claim_params = _claim_sql(today=today, leads=leads)
    quote = connection.ops.quote_name
    alerted = (
        "SELECT alert.id AS alert_id, alert.kind, alert.lead_days, deadline.case_id, rule.code, rule.name, "
        "rule.citation, rule.confidence, deadline.start_date, deadline.due_date, deadline.explanation, "
        "jsonb_build_object('deadline_id', deadline.id) AS ids, alert.id AS deadline_alert_id "
        f"FROM inserted AS alert JOIN {quote(Deadline._meta.db_table)} AS deadline "
        "ON deadline.id = alert.deadline_id "
        f"JOIN {quote(DeadlineRule._meta.db_table)} AS rule ON rule.id = deadline.rule_id"
    )
    return _execute_with_notifications(
        cursor,
        alerts=f"claimed (id, case_id, level) AS ({claim}), "
        f"inserted AS (INSERT INTO {quote(DeadlineAlert._meta.db_table)} (deadline_id, kind, lead_days, "
        f"created_at) SELECT id, {_alert_kind_sql('level')}, level, %s FROM claimed ON CONFLICT DO NOTHING "
        f"RETURNING id, deadline_id, kind, lead_days), alerted AS ({alerted})",
        params=[*claim_params, now],
        today=today,
        now=now,
    )


def _sweep_watched_dates(
    cursor: CursorWrapper, *, watched: WatchedDates, today: dt.date, leads: Sequence[int], now: dt.datetime
) -> tuple[int, list[int]]:
    """The statement of the clocks for one source of watched dates. Its alert key stands in for
    last_alert_days: a threshold is alerted unless this date already had it or a smaller one, and the
    unique key keeps each threshold of a row to one alert even when its date moves, as for a clock."""
    rows, row_params = watched.open_rows()
    level, level_params = _level_sql(today=today, leads=leads, due="watched.due_date")
    table = connection.ops.quote_name(WatchedDateAlert._meta.db_table)
    due = (
        f"SELECT watched.*, {level} AS level FROM ({rows}) AS watched "
        f"WHERE watched.due_date <= %s AND watched.case_id IN ({_staff_cases_sql()})"
    )
    inserted = (
        f"INSERT INTO {table} (source, row_id, case_id, due_on, kind, lead_days, created_at) "
        f"SELECT %s::text, row_id, case_id, due_date, {_alert_kind_sql('level')}, level, %s FROM due "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS earlier WHERE earlier.source = %s::text "
        "AND earlier.row_id = due.row_id AND earlier.due_on = due.due_date "
        "AND earlier.lead_days <= due.level) "
        "ORDER BY row_id ON CONFLICT DO NOTHING RETURNING id, row_id, kind, lead_days"
    )
    alerted = (
        "SELECT alert.id AS alert_id, alert.kind, alert.lead_days, due.case_id, %s::text AS code, due.name, "
        "due.citation, NULL::text AS confidence, due.start_date, due.due_date, due.explanation, due.ids, "
        "NULL::bigint AS deadline_alert_id FROM inserted AS alert JOIN due ON due.row_id = alert.row_id"
    )
    source = watched.source
    return _execute_with_notifications(
        cursor,
        alerts=f"due AS ({due}), inserted AS ({inserted}), alerted AS ({alerted})",
        params=[
            *level_params,
            *row_params,
            _horizon(today=today, leads=leads),
            CaseRecordBasis.STAFF,
            source,
            now,
            source,
            source,
        ],
        today=today,
        now=now,
    )


def _execute_with_notifications(
    cursor: CursorWrapper, *, alerts: str, params: list[Any], today: dt.date, now: dt.datetime
) -> tuple[int, list[int]]:
    """Run `alerts` (CTEs ending in `alerted`, one row per new alert in the columns _payload_sql reads)
    with the outbox rows of everyone told about each; returns the alerts and notification ids created."""
    recipients, recipient_params = recipients_ctes("SELECT case_id FROM alerted")
    payload, payload_params = _payload_sql(today=today)
    quote = connection.ops.quote_name
    cursor.execute(
        f"WITH {alerts}, {recipients}, "
        f"notified AS (INSERT INTO {quote(Notification._meta.db_table)} (alert_id, channel, "
        "recipient_email, endpoint_id, language, payload, status, attempts, last_error, created_at) "
        "SELECT alert.deadline_alert_id, recipient.channel, recipient.email, recipient.endpoint_id, "
        "recipient.language, "
        f"{payload}, %s, 0, '', %s "
        f"FROM alerted AS alert JOIN {quote(Case._meta.db_table)} AS c ON c.id = alert.case_id "
        "JOIN recipients AS recipient ON recipient.case_id = alert.case_id "
        "ON CONFLICT DO NOTHING RETURNING id) "
        "SELECT (SELECT count(*) FROM inserted), ARRAY(SELECT id FROM notified ORDER BY id)",
        [*params, *recipient_params, *payload_params, Notification.Status.PENDING, now],
    )
    alerts_created, notification_ids = cursor.fetchone()
    return alerts_created, list(notification_ids)


def _payload_sql(*, today: dt.date) -> tuple[str, list[Any]]:
    """What every recipient of an alert is told, frozen at the sweep so that retries say the same."""
    sql = (
        "jsonb_build_object("
        "'event', 'deadline.' || alert.kind, 'alert_id', alert.alert_id, 'kind', alert.kind, "
        "'lead_days', alert.lead_days, 'case', c.case_id, 'case_title', c.title, "
        "'rule', jsonb_build_object('code', alert.code, 'name', alert.name, 'citation', alert.citation, "
        "'confidence', alert.confidence, 'unconfirmed', coalesce(alert.confidence = %s, false)), "
        "'start_date', to_char(alert.start_date, 'YYYY-MM-DD'), "
        "'due_date', to_char(alert.due_date, 'YYYY-MM-DD'), "
        "'days_left', alert.due_date - %s::date, 'swept_on', %s::text, "
        "'explanation', alert.explanation) || alert.ids"
    )
    return sql, [Confidence.UNCONFIRMED, today, today.isoformat()]
