"""Notices of a stage change: every step of the workflow, and the filing that opens a case, is told to
everyone who follows the case (rrm.notifications.recipients), through the same outbox as the deadline
warnings."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from rrm.models import Notification, TimelineEvent
from rrm.notifications.messages import STAGE_CHANGED
from rrm.notifications.outbox import enqueue_deliveries
from rrm.notifications.recipients import recipients_ctes


def stage_change_payload(event: TimelineEvent) -> dict[str, Any]:
    """What every recipient is told: public facts of the timeline, never its description."""
    return {
        "event": STAGE_CHANGED,
        "event_id": event.pk,
        "kind": event.kind,
        "case": event.case.case_id,
        "case_title": event.case.title,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "occurred_on": event.occurred_on.isoformat(),
    }


def notify_stage_change(*, event: TimelineEvent) -> list[int]:
    """Outbox rows for everyone following the event's case, delivered after the step commits."""
    recipients, params = recipients_ctes("SELECT case_id FROM changed")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH changed AS (SELECT %s::bigint AS case_id), {recipients} "
            f"INSERT INTO {quote(Notification._meta.db_table)} (event_id, channel, recipient_email, "
            "endpoint_id, language, payload, status, attempts, last_error, created_at) "
            "SELECT %s, channel, email, endpoint_id, language, %s::jsonb, %s, 0, '', %s FROM recipients "
            "ON CONFLICT DO NOTHING RETURNING id",
            [
                event.case_id,
                *params,
                event.pk,
                json.dumps(stage_change_payload(event)),
                Notification.Status.PENDING,
                timezone.now(),
            ],
        )
        notification_ids = sorted(row[0] for row in cursor.fetchall())
    transaction.on_commit(partial(enqueue_deliveries, notification_ids))
    return notification_ids


def notify_step(*, sender: object, action: str, result: Any, **kwargs: Any) -> None:
    """The receiver of rrm.workflow.step_taken."""
    notify_stage_change(event=result.event)
