"""Celery tasks of the public surface: each loads what it needs (a build by id) and calls one service."""

from __future__ import annotations

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import OperationalError

from public import services

EXPORT_RETRIES = 5
RETRY_BACKOFF_SECONDS = 30
EXPORT_TIME_LIMIT_SECONDS = services.EXPORT_TIME_LIMIT_SECONDS


@shared_task(
    bind=True,
    name="public.tasks.build_public_export",
    acks_late=True,
    max_retries=EXPORT_RETRIES,
    time_limit=EXPORT_TIME_LIMIT_SECONDS,
    soft_time_limit=EXPORT_TIME_LIMIT_SECONDS - 60,
)
def build_public_export(self: Task, build_id: int) -> str:
    """Enqueued on commit after a change to the record; only a lost database connection is retried."""
    try:
        return str(services.build_export(build_id=build_id).status)
    except OperationalError as error:
        if self.request.is_eager:
            raise
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF_SECONDS, retries=self.request.retries, maximum=600, full_jitter=True
        )
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="public.tasks.resume_export_builds", acks_late=True)
def resume_export_builds() -> list[int]:
    """Beat runs this: builds whose task or worker was lost are enqueued again."""
    return services.resume_stalled_builds()


@shared_task(name="public.tasks.send_api_key_confirmation", acks_late=True)
def send_api_key_confirmation(key_request_id: int, origin: str) -> None:
    services.send_api_key_confirmation(key_request_id=key_request_id, origin=origin)
