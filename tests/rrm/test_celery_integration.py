"""A real Celery worker and beat, on Redis and on the test database, delivering each alert exactly once.

The broker is database 4 of the session's private Redis server (tests/conftest.py).
"""

import datetime as dt
import email
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from rrm.models import Deadline, DeadlineAlert, Notification
from rrm.notifications.signing import derive_webhook_secret, verify_webhook
from tests.factories import CaseFactory, CaseWatchFactory, DeadlineFactory, WebhookEndpointFactory
from tests.reliability.services import PrivateRedis
from tests.rrm.webhook_receiver import WebhookReceiver
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BROKER_DATABASE = 4
CELERY = str(Path(sys.executable).with_name("celery"))
WAIT_SECONDS = 90
BEAT_INTERVAL_SECONDS = 2


def database_url_of_this_test() -> str:
    """The test database as a URL: its host may be a socket folder (the embedded server), so it goes in
    the query string."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST'] or '127.0.0.1'}&port={db['PORT'] or 5432}"


@pytest.fixture
def broker(session_redis: PrivateRedis) -> str:
    url = session_redis.url(BROKER_DATABASE)
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


class CeleryProcesses:
    """Worker and beat as child processes, each in its own process group, logging to files."""

    def __init__(self, *, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *arguments: str) -> Path:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as output:
            self.processes.append(
                subprocess.Popen(
                    [CELERY, "-A", "config", *arguments],
                    cwd=settings.BASE_DIR,
                    env=self.env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        return log

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def mailed_alerts(mail_dir: Path) -> list[str]:
    """The X-RRM-Alert header of every message the file backend wrote (one file per connection)."""
    alerts = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                alerts.append(email.message_from_string(chunk.strip())["X-RRM-Alert"])
    return alerts


def sent_count(lead_days: int) -> int:
    return Notification.objects.filter(alert__lead_days=lead_days, status="sent").count()


def test_it_delivers_each_threshold_exactly_once_with_beat_concurrent_sweeps_and_a_retry(
    broker, receiver, tmp_path
):
    today = timezone.localdate()
    case = CaseFactory()
    CaseWatchFactory(case=case)
    endpoint = WebhookEndpointFactory(url=receiver.url)
    endpoint.cases.add(case)
    deadline = DeadlineFactory(case=case, due_date=today + dt.timedelta(days=7))
    receiver.answer_next(503)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_ENV_FILE": "/dev/null",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url_of_this_test(),
        "CELERY_BROKER_URL": broker,
        # django-environ drops the first slash of the path: four slashes for an absolute one.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "RRM_SWEEP_INTERVAL_SECONDS": str(BEAT_INTERVAL_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    celery = CeleryProcesses(workdir=tmp_path, env=env)
    # Not the current app: shared tasks of later tests must keep running eagerly on the project app.
    client = Celery("h4-integration-client", broker=broker, set_as_current=False)
    try:
        worker_log = celery.start(
            "worker",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            "--concurrency=3",
            "--without-mingle",
            "--without-gossip",
            f"--hostname=rrm-test-{uuid.uuid4().hex[:8]}@%h",
        )
        wait_until(
            lambda: " ready." in worker_log.read_text(), what="the worker to be ready", timeout=WAIT_SECONDS
        )
        beat_log = celery.start(
            "beat",
            "beat",
            "--loglevel=INFO",
            f"--schedule={tmp_path / 'beat-schedule'}",
            f"--pidfile={tmp_path / 'beat.pid'}",
        )

        for due_in, lead_days in [(7, 7), (3, 3), (1, 1), (-1, 0)]:
            Deadline.objects.filter(pk=deadline.pk).update(due_date=today + dt.timedelta(days=due_in))
            for _ in range(2):
                client.send_task("rrm.tasks.sweep_deadlines")
            wait_until(
                lambda lead=lead_days: sent_count(lead) == 2,
                what=f"both deliveries at {lead_days} days",
                timeout=WAIT_SECONDS,
            )

        wait_until(
            lambda: "Sending due task sweep-deadlines" in beat_log.read_text(),
            what="a beat sweep",
            timeout=WAIT_SECONDS,
        )
        # Let beat sweep a few more times: nothing may be sent again.
        time.sleep(3 * BEAT_INTERVAL_SECONDS)
    finally:
        celery.stop()
        client.close()

    assert list(deadline.alerts.order_by("id").values_list("kind", "lead_days")) == [
        ("due_soon", 7),
        ("due_soon", 3),
        ("due_soon", 1),
        ("overdue", 0),
    ]
    assert DeadlineAlert.objects.count() == 4
    assert sorted(mailed_alerts(mail_dir)) == sorted(["due_soon 7", "due_soon 3", "due_soon 1", "overdue 0"])

    delivered = receiver.successful()
    documents = [json.loads(request.body) for request in delivered]
    assert sorted((d["kind"], d["lead_days"]) for d in documents) == sorted(
        [("due_soon", 7), ("due_soon", 3), ("due_soon", 1), ("overdue", 0)]
    )
    assert len({request.headers["X-RRM-Delivery"] for request in delivered}) == 4
    secret = derive_webhook_secret(endpoint)
    assert all(
        verify_webhook(body=r.body, signature_header=r.headers["X-RRM-Signature"], secret=secret)
        for r in delivered
    )

    first, *_ = receiver.received
    assert first.answered == 503
    assert len(receiver.received) == 5
    retried = Notification.objects.get(pk=int(first.headers["X-RRM-Delivery"]))
    assert (retried.status, retried.attempts) == ("sent", 2)
    assert Notification.objects.exclude(status="sent").count() == 0
    assert worker_log.read_text().count("Retry in") == 1
