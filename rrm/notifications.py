"""Deadline alerts and their delivery.

The sweep claims, in set-based SQL, the open deadlines that crossed a warning threshold and writes one
DeadlineAlert per crossing plus its outbox rows (Notification) in the same transaction; after commit it
enqueues one delivery task per outbox row. Delivery claims a row with a conditional UPDATE, so a
duplicate task or a second worker does nothing. Webhooks are signed with a secret derived from
SECRET_KEY and the endpoint's salt, never stored.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import http.client
import json
import logging
import smtplib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from kombu.exceptions import OperationalError as BrokerUnavailable

from rrm.choices import Confidence
from rrm.models import (
    Case,
    CaseWatch,
    Deadline,
    DeadlineAlert,
    DeadlineRule,
    Notification,
    WebhookEndpoint,
)
from rrm.webhook_targets import RefusedTarget, UnresolvableHost, checked_target, post_to_checked_address

logger = logging.getLogger(__name__)

# A claim older than this is presumed dead (worker killed, machine lost) and may be taken again. It must
# exceed the delivery task's hard time limit so that a live worker's claim is never taken from it.
DELIVERY_TIME_LIMIT_SECONDS = 60
CLAIM_TIMEOUT = dt.timedelta(seconds=2 * DELIVERY_TIME_LIMIT_SECONDS)
MAX_DELIVERY_ATTEMPTS = 6
WEBHOOK_TIMEOUT_SECONDS = 10
# Pending rows untouched for this long lost their task (broker down at commit, task dropped). Retry
# back-off stays below it, so the safety net does not pre-empt a retry that Celery has scheduled.
REQUEUE_AFTER = dt.timedelta(minutes=1)
RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 60
REQUEUE_BATCH = 5000

SIGNATURE_PREFIX = "sha256="
SECRET_DERIVATION_SALT = "rrm.notifications.webhook-secret"


# --- Signing -------------------------------------------------------------------------------------------


def derive_webhook_secret(endpoint: WebhookEndpoint) -> str:
    """The endpoint's signing secret: an HMAC of its salt under SECRET_KEY, recomputed at each use.

    Rotating SECRET_KEY therefore changes every endpoint's secret; receivers must be given the new one.
    """
    if not endpoint.secret_salt:
        raise ImproperlyConfigured(
            f"Webhook endpoint {endpoint.pk} has no secret_salt to derive its secret from."
        )
    return salted_hmac(
        SECRET_DERIVATION_SALT, endpoint.secret_salt, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def sign(body: bytes, secret: str) -> str:
    """Hex HMAC-SHA256 of the raw body; sent as `X-RRM-Signature: sha256=<hex>`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_webhook(*, body: bytes, signature_header: str, secret: str) -> bool:
    """What a receiver runs on the raw request body before parsing it.

    Example (any framework): `verify_webhook(body=request.body,
    signature_header=request.headers["X-RRM-Signature"], secret=MY_SECRET)`. Deduplicate on the
    `X-RRM-Delivery` header: a delivery can arrive twice if a worker died after sending it.
    """
    if not signature_header.startswith(SIGNATURE_PREFIX):
        return False
    received = signature_header[len(SIGNATURE_PREFIX) :]
    return hmac.compare_digest(received, sign(body, secret))


# --- Sweep ---------------------------------------------------------------------------------------------


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


def _level_sql(*, today: dt.date, leads: Sequence[int]) -> tuple[str, list[dt.date]]:
    """SQL for the smallest threshold a deadline has crossed today: 0 once overdue, else its lead."""
    branches = ["WHEN due_date < %s THEN 0"]
    params = [today]
    for lead in leads:
        branches.append(f"WHEN due_date <= %s THEN {int(lead)}")
        params.append(today + dt.timedelta(days=lead))
    return f"CASE {' '.join(branches)} END", params


def _claim_sql(*, today: dt.date, leads: Sequence[int]) -> tuple[str, list[Any]]:
    """UPDATE that moves last_alert_days down to the threshold crossed, for rows not yet alerted there.

    The rows are locked with SKIP LOCKED, so two sweeps at once split the rows between them instead of
    waiting on (or deadlocking over) each other. updated_at stays: alert bookkeeping is not an edit of the
    deadline.
    """
    level, level_params = _level_sql(today=today, leads=leads)
    horizon = today + dt.timedelta(days=leads[-1]) if leads else today - dt.timedelta(days=1)
    table = connection.ops.quote_name(Deadline._meta.db_table)
    due = (
        f"SELECT id FROM {table} WHERE status = %s AND due_date <= %s "
        f"AND (last_alert_days IS NULL OR last_alert_days > {level})"
    )
    # ARRAY() runs the locking query once and the UPDATE then reaches rows by primary key; as a join, the
    # planner switches to a scan of the whole table once a few thousand rows are due.
    rows = f"{table}.id = ANY(ARRAY({due} FOR UPDATE SKIP LOCKED))"
    sql = (
        f"UPDATE {table} SET last_alert_days = {level} WHERE {rows} "
        f"RETURNING {table}.id, {table}.case_id, {table}.last_alert_days"
    )
    return sql, [*level_params, Deadline.Status.OPEN, horizon, *level_params]


def _alert_kind_sql(level: str) -> str:
    return (
        f"CASE WHEN {level} = 0 THEN '{DeadlineAlert.Kind.OVERDUE}' ELSE '{DeadlineAlert.Kind.DUE_SOON}' END"
    )


def _sweep_in_one_statement(
    cursor: CursorWrapper, *, today: dt.date, leads: Sequence[int], now: dt.datetime
) -> tuple[int, list[int]]:
    """Claim, alerts and outbox rows as chained data-modifying CTEs: no row travels to Python and back."""
    claim, claim_params = _claim_sql(today=today, leads=leads)
    recipients, recipient_params = _recipients_sql()
    payload, payload_params = _payload_sql(today=today)
    quote = connection.ops.quote_name
    alert_table, notification_table = (
        quote(DeadlineAlert._meta.db_table),
        quote(Notification._meta.db_table),
    )
    cursor.execute(
        f"WITH claimed (id, case_id, level) AS ({claim}), "
        f"inserted AS (INSERT INTO {alert_table} (deadline_id, kind, lead_days, created_at) "
        f"SELECT id, {_alert_kind_sql('level')}, level, %s FROM claimed ON CONFLICT DO NOTHING "
        "RETURNING id, deadline_id, kind, lead_days), "
        f"recipients AS ({recipients}), "
        f"notified AS (INSERT INTO {notification_table} (alert_id, channel, recipient_email, endpoint_id, "
        "payload, status, attempts, last_error, created_at) "
        "SELECT alert.id, recipient.channel, recipient.email, recipient.endpoint_id, "
        f"{payload}, %s, 0, '', %s "
        f"FROM inserted AS alert JOIN {quote(Deadline._meta.db_table)} AS deadline "
        "ON deadline.id = alert.deadline_id "
        f"JOIN {quote(Case._meta.db_table)} AS c ON c.id = deadline.case_id "
        f"JOIN {quote(DeadlineRule._meta.db_table)} AS rule ON rule.id = deadline.rule_id "
        "JOIN recipients AS recipient ON recipient.case_id = deadline.case_id "
        "ON CONFLICT DO NOTHING RETURNING id) "
        "SELECT (SELECT count(*) FROM inserted), ARRAY(SELECT id FROM notified ORDER BY id)",
        [*claim_params, now, *recipient_params, *payload_params, Notification.Status.PENDING, now],
    )
    alerts_created, notification_ids = cursor.fetchone()
    return alerts_created, list(notification_ids)


def _recipients_sql() -> tuple[str, list[Any]]:
    """(case_id, channel, email, endpoint_id) of everyone told about the claimed deadlines' cases.

    One e-mail per address, compared without case (accounts may share one), keeping the smallest spelling
    byte-wise.
    """
    quote = connection.ops.quote_name
    user = get_user_model()
    email_field = user._meta.get_field(user.get_email_field_name())
    assert isinstance(email_field, models.Field)
    email = quote(str(email_field.column))
    subscriptions = WebhookEndpoint.cases.through
    sql = (
        f'SELECT watch.case_id, %s AS channel, min(u.{email} COLLATE "C") AS email, '
        "NULL::bigint AS endpoint_id "
        f"FROM {quote(CaseWatch._meta.db_table)} AS watch JOIN {quote(user._meta.db_table)} AS u "
        f"ON u.id = watch.user_id WHERE u.is_active AND u.{email} <> '' "
        "AND watch.case_id IN (SELECT case_id FROM claimed) "
        f"GROUP BY watch.case_id, lower(u.{email}) "
        "UNION ALL "
        "SELECT subscription.case_id, %s, '', subscription.webhookendpoint_id "
        f"FROM {quote(subscriptions._meta.db_table)} AS subscription "
        f"JOIN {quote(WebhookEndpoint._meta.db_table)} AS endpoint "
        "ON endpoint.id = subscription.webhookendpoint_id "
        "WHERE endpoint.active AND subscription.case_id IN (SELECT case_id FROM claimed)"
    )
    return sql, [Notification.Channel.EMAIL, Notification.Channel.WEBHOOK]


def _payload_sql(*, today: dt.date) -> tuple[str, list[Any]]:
    """What every recipient of an alert is told, frozen at the sweep so that retries say the same."""
    sql = (
        "jsonb_build_object("
        "'event', 'deadline.' || alert.kind, 'alert_id', alert.id, 'kind', alert.kind, "
        "'lead_days', alert.lead_days, 'deadline_id', deadline.id, 'case', c.case_id, "
        "'case_title', c.title, "
        "'rule', jsonb_build_object('code', rule.code, 'name', rule.name, 'citation', rule.citation, "
        "'confidence', rule.confidence, 'unconfirmed', rule.confidence = %s), "
        "'start_date', to_char(deadline.start_date, 'YYYY-MM-DD'), "
        "'due_date', to_char(deadline.due_date, 'YYYY-MM-DD'), "
        "'days_left', deadline.due_date - %s::date, 'swept_on', %s::text, "
        "'explanation', deadline.explanation)"
    )
    return sql, [Confidence.UNCONFIRMED, today, today.isoformat()]


def explanation_text(explanation: dict[str, Any]) -> str:
    """The sentence rrm.clock wrote; older rows without one are spelled out key by key."""
    text = explanation.get("text")
    if isinstance(text, str) and text:
        return text
    return "; ".join(f"{key}: {value}" for key, value in sorted(explanation.items()))


# --- Outbox: enqueue and safety net ----------------------------------------------------------------------


def enqueue_deliveries(notification_ids: Iterable[int]) -> None:
    """One delivery task per outbox row. A broker that is down leaves the rest for the safety net."""
    # Imported here because rrm.tasks imports this module.
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


# --- Delivery ----------------------------------------------------------------------------------------------


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
    if not _claim(notification_id=notification_id):
        return DeliveryOutcome.SKIPPED
    notification = Notification.objects.select_related("endpoint").get(pk=notification_id)
    try:
        response_code = _send(notification)
    except PermanentDeliveryError as error:
        _finish(
            notification, status=Notification.Status.FAILED, response_code=error.response_code, error=error
        )
        return DeliveryOutcome.FAILED
    except TransientDeliveryError as error:
        if notification.attempts >= MAX_DELIVERY_ATTEMPTS:
            _finish(
                notification,
                status=Notification.Status.FAILED,
                response_code=error.response_code,
                error=error,
            )
            return DeliveryOutcome.FAILED
        _release_for_retry(notification, error=error)
        raise
    _finish(notification, status=Notification.Status.SENT, response_code=response_code, error=None)
    return DeliveryOutcome.SENT


def _claim(*, notification_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _finish(
    notification: Notification, *, status: str, response_code: int | None, error: DeliveryError | None
) -> None:
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=status,
        sent_at=timezone.now() if status == Notification.Status.SENT else None,
        response_code=response_code,
        last_error=str(error) if error else "",
    )


def _release_for_retry(notification: Notification, *, error: DeliveryError) -> None:
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=Notification.Status.PENDING, response_code=error.response_code, last_error=str(error)
    )


def _send(notification: Notification) -> int | None:
    if notification.channel == Notification.Channel.EMAIL:
        _send_email(notification)
        return None
    return _post_webhook(notification)


def _send_email(notification: Notification) -> None:
    payload = notification.payload
    message = EmailMessage(
        subject=email_subject(payload),
        body=email_body(payload),
        to=[notification.recipient_email],
        headers={
            # A stable Message-ID lets mail clients fold a resend after a worker crash into one message.
            "Message-ID": f"<rrm-notification-{notification.pk}@{DNS_NAME}>",
            "X-RRM-Delivery": str(notification.pk),
            "X-RRM-Alert": f"{payload['kind']} {payload['lead_days']}",
        },
    )
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


def email_subject(payload: dict[str, Any]) -> str:
    return f"[RRM] {payload['case']}: {payload['rule']['name']} {_due_phrase(payload)}"


def _due_phrase(payload: dict[str, Any]) -> str:
    if payload["days_left"] < 0:
        return f"overdue since {payload['due_date']}"
    return f"due {payload['due_date']} ({_relative(payload['days_left'])})"


def _relative(days_left: int) -> str:
    if days_left == 0:
        return "today"
    count = f"{abs(days_left)} day{'' if abs(days_left) == 1 else 's'}"
    return f"in {count}" if days_left > 0 else f"{count} overdue"


def email_body(payload: dict[str, Any]) -> str:
    rule = payload["rule"]
    unconfirmed = " [UNCONFIRMED rule: check before relying on it]" if rule["unconfirmed"] else ""
    title = f" - {payload['case_title']}" if payload["case_title"] else ""
    return "\n".join(
        [
            f"Case: {payload['case']}{title}",
            f"Clock: {rule['name']} ({rule['code']}){unconfirmed}",
            f"Legal source: {rule['citation']}",
            f"Started: {payload['start_date']}",
            f"Due: {payload['due_date']} ({_relative(payload['days_left'])} as of {payload['swept_on']})",
            "",
            "How the due date was computed:",
            explanation_text(payload["explanation"]),
            "",
            "You receive this because you watch this case.",
        ]
    )


def webhook_body(notification: Notification, *, timestamp: int) -> bytes:
    # Delivery id and timestamp sit inside the signed body as well as in headers, so they cannot be
    # altered in transit without breaking the signature.
    document = {**notification.payload, "delivery_id": notification.pk, "timestamp": timestamp}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


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
