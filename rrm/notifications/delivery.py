"""Delivery of one outbox row, by e-mail or signed webhook, and how its failures are classified."""

from __future__ import annotations

import enum
import http.client
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils import translation

from rrm.models import Notification
from rrm.notifications import outbox
from rrm.notifications.messages import email_body, email_subject, webhook_body
from rrm.notifications.signing import SIGNATURE_PREFIX, derive_webhook_secret, sign
from rrm.notifications.subscriptions import case_url, unsubscribe_url
from rrm.webhook_targets import RefusedTarget, UnresolvableHost, checked_target, post_to_checked_address

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 6
WEBHOOK_TIMEOUT_SECONDS = 10
RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 60


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class DeliveryError(Exception):
    def __init__(self, message: str, *, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


class TransientDeliveryError(DeliveryError):
    """Worth retrying: connection refused or reset, timeout, HTTP 429 or 5xx, SMTP 4xx."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help: HTTP 4xx or redirect, refused address, unusable endpoint."""


def deliver_notification(*, notification_id: int) -> DeliveryOutcome:
    """Send one outbox row if this caller wins its claim; a duplicate task or a second worker does nothing.

    Raises TransientDeliveryError, with the row back to pending, when a retry may succeed.
    """
    if not outbox.claim(notification_id=notification_id):
        return DeliveryOutcome.SKIPPED
    notification = Notification.objects.select_related("endpoint").get(pk=notification_id)
    try:
        response_code = _send(notification)
    except PermanentDeliveryError as error:
        return _fail(notification, error=error)
    except TransientDeliveryError as error:
        if notification.attempts >= MAX_DELIVERY_ATTEMPTS:
            return _fail(notification, error=error)
        outbox.release_for_retry(notification, response_code=error.response_code, last_error=str(error))
        raise
    outbox.finish(notification, status=Notification.Status.SENT, response_code=response_code, last_error="")
    return DeliveryOutcome.SENT


def _fail(notification: Notification, *, error: DeliveryError) -> DeliveryOutcome:
    outbox.finish(
        notification,
        status=Notification.Status.FAILED,
        response_code=error.response_code,
        last_error=str(error),
    )
    return DeliveryOutcome.FAILED


def _send(notification: Notification) -> int | None:
    if notification.channel == Notification.Channel.EMAIL:
        _send_email(notification)
        return None
    return _post_webhook(notification)


def _email(notification: Notification) -> EmailMessage:
    """The e-mail in the recipient's language, with its one-click unsubscribe (RFC 8058)."""
    payload = notification.payload
    unsubscribe = unsubscribe_url(notification.recipient_email)
    with translation.override(notification.language):
        subject = email_subject(payload)
        body = email_body(payload, case_url=case_url(payload["case"]), unsubscribe_url=unsubscribe)
    headers = {
        # A stable Message-ID lets mail clients fold a resend after a worker crash into one message.
        "Message-ID": f"<rrm-notification-{notification.pk}@{DNS_NAME}>",
        "X-RRM-Delivery": str(notification.pk),
        "X-RRM-Event": payload["event"],
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if "lead_days" in payload:
        headers["X-RRM-Alert"] = f"{payload['kind']} {payload['lead_days']}"
    return EmailMessage(subject=subject, body=body, to=[notification.recipient_email], headers=headers)


def _send_email(notification: Notification) -> None:
    message = _email(notification)
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        raise PermanentDeliveryError(f"Mail server refused the message: {error}") from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            raise PermanentDeliveryError(
                f"Mail server answered {error.smtp_code}: {error.smtp_error!r}"
            ) from error
        raise TransientDeliveryError(
            f"Mail server answered {error.smtp_code}: {error.smtp_error!r}"
        ) from error
    except OSError as error:
        raise TransientDeliveryError(f"Mail server unreachable: {error}") from error


# What the organisation reads in a delivery's last_error when no HTTP answer came: one message for a
# refused or reset connection, a timeout, a TLS failure or a name that stopped resolving, so that
# deliveries do not map other networks for it. The log keeps the detail.
UNREACHABLE = "Webhook unreachable: no HTTP answer from the address."


def _post_webhook(notification: Notification) -> int:
    endpoint = notification.endpoint
    if endpoint is None or not endpoint.active:
        raise PermanentDeliveryError("Webhook endpoint was deactivated or removed before delivery.")
    try:
        target = checked_target(endpoint.url, allow_private=settings.RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS)
    except RefusedTarget as refusal:
        raise PermanentDeliveryError(f"Webhook address refused: {refusal}") from refusal
    except UnresolvableHost as error:
        logger.warning("Webhook delivery %s: %s", notification.pk, error)
        raise TransientDeliveryError(UNREACHABLE) from error
    timestamp = int(time.time())
    body = webhook_body(notification, timestamp=timestamp)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "rrm-record-webhooks",
        "X-RRM-Signature": SIGNATURE_PREFIX + sign(body, derive_webhook_secret(endpoint)),
        "X-RRM-Delivery": str(notification.pk),
        "X-RRM-Timestamp": str(timestamp),
    }
    try:
        code = post_to_checked_address(target, body=body, headers=headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        logger.warning("Webhook delivery %s to %s failed: %r", notification.pk, target, error)
        raise TransientDeliveryError(UNREACHABLE) from error
    if not 200 <= code < 300:
        raise _http_error(code)
    return code


def _http_error(code: int) -> DeliveryError:
    """An answer other than 2xx; a redirect too: the endpoint must be registered at its final address."""
    message = f"Webhook answered HTTP {code}."
    if code == 429 or code >= 500:
        return TransientDeliveryError(message, response_code=code)
    return PermanentDeliveryError(message, response_code=code)
