"""The outbox: one delivery task per Notification row, the claim that lets one worker send it, and the
safety net that re-enqueues rows whose task was lost."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from rrm.models import Notification

logger = logging.getLogger(__name__)

# A claim older than this is presumed dead (worker killed, machine lost) and may be taken again. It must
# exceed the delivery task's hard time limit so that a live worker's claim is never taken from it.
DELIVERY_TIME_LIMIT_SECONDS = 60
CLAIM_TIMEOUT = dt.timedelta(seconds=2 * DELIVERY_TIME_LIMIT_SECONDS)
# Pending rows untouched for this long lost their task (broker down at commit, task dropped). Retry
# back-off stays below it, so the safety net does not pre-empt a retry that Celery has scheduled.
REQUEUE_AFTER = dt.timedelta(minutes=1)
REQUEUE_BATCH = 5000


def enqueue_deliveries(notification_ids: Iterable[int]) -> None:
    """One delivery task per outbox row. A broker that is down leaves the rest for the safety net."""
    # Imported here because rrm.tasks imports the sweep, which imports this module.
    from rrm.tasks import deliver_notification as delivery_task

    remaining = list(notification_ids)
    for position, notification_id in enumerate(remaining):
        try:
            delivery_task.delay(notification_id)
        except BrokerUnavailable:
            logger.exception(
                "Broker unavailable: %d notification(s) stay pending for the next sweep to re-enqueue.",
                len(remaining) - position,
            )
            return


def stranded_notification_ids(*, now: dt.datetime | None = None) -> list[int]:
    """Outbox rows whose task was lost: pending and untouched for a while, or claimed by a dead worker."""
    now = now or timezone.now()
    quiet_since = now - REQUEUE_AFTER
    pending_and_quiet = Q(status=Notification.Status.PENDING, created_at__lt=quiet_since) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=quiet_since)
    )
    claim_expired = Q(status=Notification.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    stranded = Notification.objects.filter(pending_and_quiet | claim_expired).order_by("id")
    return list(stranded.values_list("id", flat=True)[:REQUEUE_BATCH])


def requeue_stranded_notifications(*, now: dt.datetime | None = None) -> list[int]:
    stranded = stranded_notification_ids(now=now)
    enqueue_deliveries(stranded)
    return stranded


def claim(*, notification_id: int) -> bool:
    """Take the row for sending: True for the one caller whose conditional UPDATE moved it."""
    now = timezone.now()
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _still_claimed(notification: Notification) -> Q:
    return Q(pk=notification.pk, status=Notification.Status.SENDING)


def finish(notification: Notification, *, status: str, response_code: int | None, last_error: str) -> None:
    Notification.objects.filter(_still_claimed(notification)).update(
        status=status,
        sent_at=timezone.now() if status == Notification.Status.SENT else None,
        response_code=response_code,
        last_error=last_error,
    )


def release_for_retry(notification: Notification, *, response_code: int | None, last_error: str) -> None:
    Notification.objects.filter(_still_claimed(notification)).update(
        status=Notification.Status.PENDING, response_code=response_code, last_error=last_error
    )
