import datetime as dt
import json
import smtplib
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from rrm import tasks, webhook_targets
from rrm.models import Notification
from rrm.notifications import delivery, outbox, signing, sweep
from tests.factories import CaseFactory, CaseWatchFactory, DeadlineFactory, WebhookEndpointFactory
from tests.rrm.webhook_receiver import WebhookReceiver

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


def swept_notification(*, channel: str, url: str = "https://hooks.example.org/unused", due_in: int = 3):
    """The outbox row a real sweep writes for one watcher or one endpoint."""
    case = CaseFactory(title="Tridonex: freedom of association")
    if channel == "email":
        CaseWatchFactory(case=case)
    else:
        WebhookEndpointFactory(url=url).cases.add(case)
    DeadlineFactory(case=case, due_date=TODAY + dt.timedelta(days=due_in))
    result = sweep.sweep_deadlines(today=TODAY)
    (notification_id,) = result.notification_ids
    return Notification.objects.select_related("endpoint", "alert__deadline__rule").get(pk=notification_id)


def reloaded(notification: Notification) -> Notification:
    notification.refresh_from_db()
    return notification


class FailingEmailBackend(BaseEmailBackend):
    """Raises the error the test sets on the class, as an SMTP server would."""

    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise self.error


# --- The claim: exactly one sender per row --------------------------------------------------------------


@pytest.mark.django_db
def test_it_sends_an_email_once_when_delivered_twice():
    notification = swept_notification(channel="email")

    first = delivery.deliver_notification(notification_id=notification.pk)
    second = delivery.deliver_notification(notification_id=notification.pk)

    assert (first, second) == (delivery.DeliveryOutcome.SENT, delivery.DeliveryOutcome.SKIPPED)
    assert len(mail.outbox) == 1
    assert reloaded(notification).status == "sent"
    assert notification.attempts == 1
    assert notification.sent_at is not None


@pytest.mark.django_db
def test_it_posts_a_webhook_once_when_delivered_twice(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)

    delivery.deliver_notification(notification_id=notification.pk)
    delivery.deliver_notification(notification_id=notification.pk)

    assert len(receiver.received) == 1
    assert reloaded(notification).status == "sent"
    assert notification.response_code == 200


@pytest.mark.django_db
def test_it_reclaims_a_row_whose_worker_died_while_sending():
    notification = swept_notification(channel="email")
    died_at = timezone.now() - outbox.CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(status="sending", claimed_at=died_at, attempts=1)

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.SENT
    assert len(mail.outbox) == 1
    assert reloaded(notification).attempts == 2


@pytest.mark.django_db
def test_it_leaves_a_row_alone_while_a_live_worker_holds_its_claim():
    notification = swept_notification(channel="email")
    Notification.objects.filter(pk=notification.pk).update(
        status="sending", claimed_at=timezone.now(), attempts=1
    )

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.SKIPPED
    assert mail.outbox == []
    assert reloaded(notification).status == "sending"


@pytest.mark.django_db
def test_it_does_nothing_for_a_notification_that_no_longer_exists():
    assert delivery.deliver_notification(notification_id=987654) == delivery.DeliveryOutcome.SKIPPED


# --- Transient and permanent errors ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", [503, 500, 429])
def test_it_releases_the_row_for_a_retry_on_a_transient_http_answer(receiver, code):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(code)

    with pytest.raises(delivery.TransientDeliveryError):
        delivery.deliver_notification(notification_id=notification.pk)
    retried = delivery.deliver_notification(notification_id=notification.pk)

    assert retried == delivery.DeliveryOutcome.SENT
    assert [request.answered for request in receiver.received] == [code, 200]
    assert reloaded(notification).attempts == 2
    assert notification.last_error == ""


@pytest.mark.django_db
def test_it_keeps_the_error_on_the_pending_row_between_attempts(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(503)

    with pytest.raises(delivery.TransientDeliveryError):
        delivery.deliver_notification(notification_id=notification.pk)

    assert reloaded(notification).status == "pending"
    assert notification.response_code == 503
    assert notification.last_error == "Webhook answered HTTP 503."


@pytest.mark.django_db
@pytest.mark.parametrize("code", [400, 404, 410, 302])
def test_it_marks_failed_without_retry_on_a_client_error_or_redirect(receiver, code):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(code)

    outcome = delivery.deliver_notification(notification_id=notification.pk)
    again = delivery.deliver_notification(notification_id=notification.pk)

    assert (outcome, again) == (delivery.DeliveryOutcome.FAILED, delivery.DeliveryOutcome.SKIPPED)
    assert len(receiver.received) == 1
    assert reloaded(notification).status == "failed"
    assert notification.response_code == code
    assert str(code) in notification.last_error


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_it_treats_a_refused_connection_as_transient():
    notification = swept_notification(channel="webhook", url=f"http://127.0.0.1:{closed_port()}/hook")

    with pytest.raises(delivery.TransientDeliveryError, match="unreachable"):
        delivery.deliver_notification(notification_id=notification.pk)

    assert reloaded(notification).status == "pending"


@contextmanager
def resetting_listener() -> Iterator[int]:
    """A port that accepts each connection and resets it at once, as a crashed service might."""
    listener = socket.create_server(("127.0.0.1", 0))

    def reset_each_connection() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

    thread = threading.Thread(target=reset_each_connection, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(timeout=5)


@pytest.mark.django_db
def test_it_tells_the_organisation_the_same_for_a_refused_and_a_reset_connection(caplog):
    refused = swept_notification(channel="webhook", url=f"http://127.0.0.1:{closed_port()}/hook")
    with resetting_listener() as port:
        reset = swept_notification(channel="webhook", url=f"http://127.0.0.1:{port}/hook")
        for notification in (refused, reset):
            with pytest.raises(delivery.TransientDeliveryError):
                delivery.deliver_notification(notification_id=notification.pk)

    assert reloaded(refused).last_error == reloaded(reset).last_error == delivery.UNREACHABLE
    failures = [record for record in caplog.records if record.name == "rrm.notifications.delivery"]
    assert len(failures) == 2 and "Connection refused" in failures[0].getMessage()  # the detail is logged


@pytest.mark.django_db
@override_settings(RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=False)
def test_it_connects_to_the_address_it_checked_when_the_name_rebinds(monkeypatch):
    notification = swept_notification(channel="webhook", url="https://rebinding.example/hook")
    answers = iter(["93.184.215.14", "127.0.0.1"])  # public when checked, loopback when asked again
    lookups, connections = [], []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (next(answers), port))]

    def create_connection(address, *args, **kwargs):
        connections.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)

    with pytest.raises(delivery.TransientDeliveryError):
        delivery.deliver_notification(notification_id=notification.pk)

    assert lookups == ["rebinding.example"]
    assert connections == [("93.184.215.14", 443)]


@pytest.mark.django_db
def test_it_treats_a_timeout_as_transient(receiver, monkeypatch):
    monkeypatch.setattr(delivery, "WEBHOOK_TIMEOUT_SECONDS", 0.3)
    receiver.delay = 1.0
    notification = swept_notification(channel="webhook", url=receiver.url)

    with pytest.raises(delivery.TransientDeliveryError, match="unreachable"):
        delivery.deliver_notification(notification_id=notification.pk)

    assert reloaded(notification).status == "pending"


@pytest.mark.django_db
def test_it_gives_up_after_the_last_allowed_attempt(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)
    Notification.objects.filter(pk=notification.pk).update(attempts=delivery.MAX_DELIVERY_ATTEMPTS - 1)
    receiver.answer_next(503)

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.FAILED
    assert reloaded(notification).status == "failed"
    assert notification.attempts == delivery.MAX_DELIVERY_ATTEMPTS


@pytest.mark.django_db
def test_it_fails_a_webhook_whose_endpoint_was_deactivated(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)
    type(notification.endpoint).objects.filter(pk=notification.endpoint_id).update(active=False)

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.FAILED
    assert receiver.received == []
    assert "deactivated" in reloaded(notification).last_error


@pytest.mark.django_db
def test_it_refuses_an_endpoint_that_is_not_http():
    notification = swept_notification(channel="webhook", url="ftp://hooks.example.org/rrm")

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.FAILED
    assert "Use an https:// address" in reloaded(notification).last_error


@pytest.mark.django_db
@override_settings(RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=False)
def test_it_refuses_to_deliver_to_a_private_address_without_connecting(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url.replace("http://", "https://"))

    outcome = delivery.deliver_notification(notification_id=notification.pk)

    assert outcome == delivery.DeliveryOutcome.FAILED
    assert receiver.received == []
    assert reloaded(notification).last_error == f"Webhook address refused: {webhook_targets.NOT_ALLOWED}"
    assert "127.0.0.1" not in notification.last_error


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.rrm.test_notifications.FailingEmailBackend")
@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("closed"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}), False),
    ],
)
def test_it_classifies_mail_server_errors(monkeypatch, error, transient):
    monkeypatch.setattr(FailingEmailBackend, "error", error)
    notification = swept_notification(channel="email")

    if transient:
        with pytest.raises(delivery.TransientDeliveryError):
            delivery.deliver_notification(notification_id=notification.pk)
    else:
        assert delivery.deliver_notification(notification_id=notification.pk) == "failed"

    assert reloaded(notification).status == ("pending" if transient else "failed")


# --- What is sent ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_mails_the_case_rule_due_date_and_explanation():
    notification = swept_notification(channel="email", due_in=3)
    deadline = notification.alert.deadline

    delivery.deliver_notification(notification_id=notification.pk)

    (message,) = mail.outbox
    assert message.to == [notification.recipient_email]
    assert deadline.case.case_id in message.subject
    assert deadline.rule.name in message.subject
    assert f"due {deadline.due_date} (in 3 days)" in message.subject
    assert deadline.rule.citation in message.body
    assert deadline.explanation["text"] in message.body
    assert f"Started: {deadline.start_date}" in message.body
    assert message.extra_headers["X-RRM-Delivery"] == str(notification.pk)
    assert message.extra_headers["Message-ID"].startswith(f"<rrm-notification-{notification.pk}@")


@pytest.mark.django_db
def test_it_mails_overdue_deadlines_as_overdue():
    notification = swept_notification(channel="email", due_in=-2)

    delivery.deliver_notification(notification_id=notification.pk)

    assert f"overdue since {TODAY - dt.timedelta(days=2)}" in mail.outbox[0].subject
    assert "2 days overdue" in mail.outbox[0].body


@pytest.mark.django_db
def test_it_signs_the_webhook_so_the_receiver_can_verify_it(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)

    delivery.deliver_notification(notification_id=notification.pk)

    (request,) = receiver.received
    secret = signing.derive_webhook_secret(notification.endpoint)
    assert signing.verify_webhook(
        body=request.body, signature_header=request.headers["X-RRM-Signature"], secret=secret
    )
    document = json.loads(request.body)
    assert request.headers["X-RRM-Delivery"] == str(notification.pk) == str(document["delivery_id"])
    assert request.headers["X-RRM-Timestamp"] == str(document["timestamp"])
    assert request.headers["Content-Type"] == "application/json"
    assert document["event"] == "deadline.due_soon"
    assert document["case"] == notification.alert.deadline.case.case_id
    assert not signing.verify_webhook(
        body=request.body.replace(b"due_soon", b"overdue"),
        signature_header=request.headers["X-RRM-Signature"],
        secret=secret,
    )


# --- The Celery task ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_retries_a_transient_error_through_celery_with_back_off(receiver, monkeypatch):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(503)
    scheduled: list[dict] = []

    def record_retry(**options):
        scheduled.append(options)
        return Retry(when=options["countdown"])

    monkeypatch.setattr(tasks.deliver_notification, "retry", record_retry)
    tasks.deliver_notification.push_request(is_eager=False, retries=0)
    try:
        with pytest.raises(Retry):
            tasks.deliver_notification.run(notification.pk)
    finally:
        tasks.deliver_notification.pop_request()

    (retry,) = scheduled
    assert isinstance(retry["exc"], delivery.TransientDeliveryError)
    assert 0 <= retry["countdown"] <= delivery.RETRY_BACKOFF_SECONDS
    assert reloaded(notification).status == "pending"


@pytest.mark.django_db
def test_it_does_not_retry_a_client_error_through_celery(receiver, monkeypatch):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(404)
    monkeypatch.setattr(tasks.deliver_notification, "retry", pytest.fail)

    assert tasks.deliver_notification.apply(args=(notification.pk,)).get() == "failed"
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_it_leaves_a_transient_failure_pending_for_the_next_sweep_without_a_broker(receiver):
    notification = swept_notification(channel="webhook", url=receiver.url)
    receiver.answer_next(503)

    result = tasks.deliver_notification.delay(notification.pk).get()

    assert result == "pending"
    assert len(receiver.received) == 1
    assert reloaded(notification).status == "pending"


# --- The outbox safety net ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_requeues_only_rows_whose_task_was_lost():
    now = timezone.now()
    minute_ago = now - outbox.REQUEUE_AFTER - dt.timedelta(seconds=1)
    fresh = swept_notification(channel="email")
    lost = swept_notification(channel="email")
    retried_recently = swept_notification(channel="email")
    dead_worker = swept_notification(channel="email")
    live_worker = swept_notification(channel="email")
    sent = swept_notification(channel="email")
    rows = Notification.objects
    rows.filter(pk__in=[lost.pk, retried_recently.pk, dead_worker.pk, live_worker.pk, sent.pk]).update(
        created_at=minute_ago
    )
    rows.filter(pk=retried_recently.pk).update(claimed_at=now, attempts=1)
    rows.filter(pk=dead_worker.pk).update(
        status="sending", claimed_at=now - outbox.CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    )
    rows.filter(pk=live_worker.pk).update(status="sending", claimed_at=now)
    rows.filter(pk=sent.pk).update(status="sent", sent_at=now)

    requeued = outbox.requeue_stranded_notifications(now=now)

    assert requeued == [lost.pk, dead_worker.pk]
    assert sorted(message.extra_headers["X-RRM-Delivery"] for message in mail.outbox) == sorted(
        [str(lost.pk), str(dead_worker.pk)]
    )
    assert rows.get(pk=fresh.pk).status == "pending"


@pytest.mark.django_db
def test_it_stops_enqueueing_when_the_broker_is_down_and_leaves_rows_pending(monkeypatch, caplog):
    notification_ids = [swept_notification(channel="email").pk for _ in range(3)]
    attempts: list[int] = []

    def broker_down(notification_id):
        attempts.append(notification_id)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_notification, "delay", broker_down)

    outbox.enqueue_deliveries(notification_ids)

    assert attempts == notification_ids[:1]
    assert "3 notification(s) stay pending" in caplog.text
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
