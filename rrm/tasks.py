"""Celery tasks of the kernel: each loads by id (or nothing) and calls one service in rrm.notifications."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from rrm.notifications import delivery, outbox, subscriptions, sweep


@shared_task(
    name="rrm.tasks.sweep_deadlines",
    acks_late=True,
    soft_time_limit=4 * 60,
    time_limit=5 * 60,
)
def sweep_deadlines() -> dict[str, Any]:
    """Beat runs this; two at once are safe (the claim skips rows the other sweep holds)."""
    return sweep.run_scheduled_sweep().as_dict()


@shared_task(
    bind=True,
    name="rrm.tasks.deliver_notification",
    acks_late=True,
    max_retries=delivery.MAX_DELIVERY_ATTEMPTS,
    soft_time_limit=outbox.DELIVERY_TIME_LIMIT_SECONDS - 15,
    time_limit=outbox.DELIVERY_TIME_LIMIT_SECONDS,
)
def deliver_notification(self: Task, notification_id: int) -> str:
    try:
        return delivery.deliver_notification(notification_id=notification_id).value
    except delivery.TransientDeliveryError as error:
        if self.request.is_eager:
            # Without a broker a retry would run at once, with no back-off; the row stays pending and
            # the next sweep re-enqueues it.
            return "pending"
        countdown = get_exponential_backoff_interval(
            factor=delivery.RETRY_BACKOFF_SECONDS,
            retries=self.request.retries,
            maximum=delivery.RETRY_BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="rrm.tasks.send_follow_confirmation", acks_late=True)
def send_follow_confirmation(subscription_id: int) -> bool:
    return subscriptions.send_confirmation(subscription_id=subscription_id)
