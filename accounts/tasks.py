"""Celery tasks of accounts: each loads a row by id and calls one service."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.send_invitation", acks_late=True)
def send_invitation(invitation_id: int, origin: str) -> None:
    services.send_invitation(invitation_id=invitation_id, origin=origin)
