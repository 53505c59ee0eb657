"""Reads of the remediation record that the case core asks for: the dates its sweep watches."""

from __future__ import annotations

from typing import Any

from django.db import connection

from remediation.models import RemediationAction, RemediationPlan
from rrm.notifications.sweep import WatchedDates, watch_dates

PLAN_END = "remediation_plan_end"
ACTION_DUE = "remediation_action_due"
# An action still to be done; one marked not done by its due date has ended, and done or verified ones met it.
ACTION_OPEN = (RemediationAction.Status.PENDING, RemediationAction.Status.IN_PROGRESS)


def _plan_citation(plan: str) -> str:
    return (
        f"coalesce(nullif({plan}.source_url, ''), "
        f"'Remediation plan agreed on ' || to_char({plan}.agreed_on, 'YYYY-MM-DD'))"
    )


def open_plan_ends() -> tuple[str, list[Any]]:
    """The end of every plan in progress (the columns of rrm.notifications.sweep.WatchedDates)."""
    sql = (
        "SELECT plan.id AS row_id, plan.case_id, plan.agreed_on AS start_date, plan.ends_on AS due_date, "
        f"%s::text AS name, {_plan_citation('plan')} AS citation, "
        "jsonb_build_object('text', 'The remediation period set in the plan agreed on ' "
        "|| to_char(plan.agreed_on, 'YYYY-MM-DD') || ' ends on ' || to_char(plan.ends_on, 'YYYY-MM-DD') "
        "|| '.') AS explanation, jsonb_build_object('plan_id', plan.id) AS ids "
        f"FROM {connection.ops.quote_name(RemediationPlan._meta.db_table)} AS plan "
        "WHERE plan.status = %s AND plan.ends_on IS NOT NULL"
    )
    return sql, ["End of the remediation plan", RemediationPlan.Status.IN_PROGRESS]


def open_action_dues() -> tuple[str, list[Any]]:
    """The due date of every action not yet done of a plan in progress."""
    quote = connection.ops.quote_name
    labels = ", ".join(["(%s, %s)"] * len(RemediationAction.Kind.choices))
    sql = (
        "SELECT action.id AS row_id, plan.case_id, plan.agreed_on AS start_date, action.due_on AS due_date, "
        "'Remediation action due: ' || label.name AS name, "
        f"{_plan_citation('plan')} AS citation, "
        "jsonb_build_object('text', 'Due date of the action in the plan agreed on ' "
        "|| to_char(plan.agreed_on, 'YYYY-MM-DD') || ': ' || to_char(action.due_on, 'YYYY-MM-DD') "
        "|| '.') AS explanation, jsonb_build_object('action_id', action.id, 'plan_id', plan.id) AS ids "
        f"FROM {quote(RemediationAction._meta.db_table)} AS action "
        f"JOIN {quote(RemediationPlan._meta.db_table)} AS plan ON plan.id = action.plan_id "
        f"JOIN (VALUES {labels}) AS label (kind, name) ON label.kind = action.kind "
        "WHERE action.status = ANY(%s) AND action.due_on IS NOT NULL AND plan.status = %s"
    )
    kinds = [str(part) for choice in RemediationAction.Kind.choices for part in choice]
    return sql, [*kinds, list(ACTION_OPEN), RemediationPlan.Status.IN_PROGRESS]


def register_watched_dates() -> None:
    watch_dates(WatchedDates(source=PLAN_END, open_rows=open_plan_ends))
    watch_dates(WatchedDates(source=ACTION_DUE, open_rows=open_action_dues))
