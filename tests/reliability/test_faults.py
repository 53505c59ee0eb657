"""Faults of the real services, each on this test's own PostgreSQL and Redis (tests/reliability/services.py):
Redis stopped while cases change, a worker killed in the middle of a task, PostgreSQL restarted under a
live server, and two staff members moving one case at the same moment.

The service runs as in production: gunicorn with config.settings.production, a Celery worker, Redis as
broker and cache. The test talks to it over HTTP and reads its database directly.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from celery import Celery

from rrm.notifications.outbox import REQUEUE_AFTER
from tests.reliability.services import PrivatePostgres, PrivateRedis
from tests.reliability.stack import (
    ChildProcess,
    LiveServer,
    celery_worker,
    gunicorn,
    production_environment,
    run_manage,
    run_script,
)
from tests.rrm.webhook_receiver import WebhookReceiver
from tests.waiting import wait_until

pytestmark = pytest.mark.slow

WAIT_SECONDS = 60
# A request that takes longer than this during an outage counts as hanging.
OUTAGE_REQUEST_BUDGET_SECONDS = 5


def mailed_messages(mail_dir: Path) -> list[email.message.Message]:
    """Every message the file e-mail backend wrote (one file per connection, messages separated)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


@dataclass
class Service:
    """gunicorn and a Celery worker on the private servers, with what a test needs to drive them."""

    env: dict[str, str]
    workdir: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    server: LiveServer
    worker: ChildProcess
    token: str

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, float, Any]:
        started = time.monotonic()
        answer = self.server.request(method, path, token=self.token, body=body)
        elapsed = time.monotonic() - started
        try:
            document = answer.json()
        except ValueError:
            document = answer.body[:200]
        return answer.status, elapsed, document

    def send_task(self, name: str) -> None:
        client = Celery("reliability-test-client", broker=self.redis.url(0))
        try:
            client.send_task(name)
        finally:
            client.close()

    def rows(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        return self.postgres.execute(sql, parameters)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


@pytest.fixture
def service(
    private_postgres: PrivatePostgres, private_redis: PrivateRedis, tmp_path: Path
) -> Iterator[Service]:
    env = production_environment(postgres=private_postgres, workdir=tmp_path, redis=private_redis)
    officer = run_script(
        "from tests.reliability import seeding\nprint(json.dumps(seeding.case_officer()))", env=env
    )
    server = gunicorn(env=env, workdir=tmp_path).start()
    worker = celery_worker(env=env, workdir=tmp_path, concurrency=1)
    try:
        yield Service(env, tmp_path, private_postgres, private_redis, server, worker, officer["token"])
    finally:
        worker.stop()
        server.stop()


def seed_cases(service: Service, *, webhook_url: str, cases: int = 1) -> dict[str, Any]:
    code = (
        "from tests.reliability import seeding\n"
        f"print(json.dumps(seeding.case_with_webhook(webhook_url={webhook_url!r}, cases={cases})))"
    )
    seeded: dict[str, Any] = run_script(code, env=service.env)
    return seeded


def receipt_date_with_clocks_due_soon() -> str:
    # The ILC's 30-day clock from 27 days ago falls due within the 7-day warning lead.
    return (dt.date.today() - dt.timedelta(days=27)).isoformat()


def delivered_once_each(service: Service, receiver: WebhookReceiver) -> dict[str, Any]:
    """What went out: alerts, outbox rows by status and attempts, e-mails and webhook receipts."""
    return {
        "alerts": service.rows("SELECT deadline_id, lead_days FROM rrm_deadlinealert ORDER BY id"),
        "outbox": Counter(service.rows("SELECT channel, status, attempts FROM rrm_notification")),
        "emails": Counter(message["X-RRM-Delivery"] for message in mailed_messages(service.workdir / "mail")),
        "webhooks": Counter(request.headers["X-RRM-Delivery"] for request in receiver.successful()),
    }


# --- Redis stopped while cases change ---------------------------------------------------------------------


def test_it_keeps_answering_through_a_redis_outage_and_then_delivers_each_notification_once(
    service: Service, receiver: WebhookReceiver, measured: dict[str, object]
) -> None:
    case_id = seed_cases(service, webhook_url=receiver.url)["case_ids"][0]
    assert service.call("GET", f"/api/v1/cases/{case_id}/")[0] == 200

    service.redis.stop()
    during_outage = {
        "read a case": service.call("GET", f"/api/v1/cases/{case_id}/"),
        "watch it": service.call("POST", f"/api/v1/cases/{case_id}/watch/"),
        "record receipt": service.call(
            "POST", f"/api/v1/cases/{case_id}/receipt/", {"on": receipt_date_with_clocks_due_soon()}
        ),
        "edit the title": service.call(
            "PATCH", f"/api/v1/cases/{case_id}/", {"title": "Edited in the outage"}
        ),
        "read its deadlines": service.call("GET", f"/api/v1/cases/{case_id}/deadlines/"),
        "public list": service.call("GET", "/api/v1/public/cases/"),
        "public statistics": service.call("GET", "/api/v1/public/stats/"),
    }
    # The sweep (here as the management command a cron job would run) commits its alerts and outbox rows;
    # publishing their delivery tasks fails while the broker is down.
    swept = run_manage("sweep_deadlines", env=service.env)
    stranded = service.rows("SELECT count(*) FROM rrm_notification WHERE status = 'pending'")[0][0]
    due = service.rows("SELECT count(*) FROM rrm_deadline WHERE status = 'open'")[0][0]

    service.redis.start()
    redis_back = time.monotonic()
    # The outage here lasts seconds; the safety net re-enqueues rows left pending for REQUEUE_AFTER (a
    # minute). Rather than sleep a minute, the stranded rows are aged by that much.
    service.rows("UPDATE rrm_notification SET created_at = created_at - %s", (REQUEUE_AFTER,))
    service.send_task("rrm.tasks.sweep_deadlines")
    service.send_task("rrm.tasks.sweep_deadlines")
    wait_until(
        lambda: service.rows("SELECT count(*) FROM rrm_notification WHERE status <> 'sent'")[0][0] == 0,
        what="every notification to be sent after Redis returned",
        timeout=WAIT_SECONDS,
    )
    delivered_after = time.monotonic() - redis_back
    time.sleep(3)  # a duplicate delivery would arrive now
    outcome = delivered_once_each(service, receiver)
    measured.update(
        requests_during_outage={
            label: [status, round(1000 * elapsed)] for label, (status, elapsed, _) in during_outage.items()
        },
        stranded_notifications=stranded,
        seconds_from_redis_back_to_all_sent=round(delivered_after, 2),
        emails=sum(outcome["emails"].values()),
        webhooks=sum(outcome["webhooks"].values()),
    )

    statuses = {label: status for label, (status, _, _) in during_outage.items()}
    assert statuses == {
        "read a case": 200,
        "watch it": 201,
        "record receipt": 201,
        "edit the title": 200,
        "read its deadlines": 200,
        "public list": 200,
        "public statistics": 200,
    }, during_outage
    assert max(elapsed for _, elapsed, _ in during_outage.values()) < OUTAGE_REQUEST_BUDGET_SECONDS
    alerts = len(outcome["alerts"])
    assert alerts == due >= 1, swept  # one alert per open clock (the ILC's screening)
    # One e-mail and one webhook per alert and for the one stage change (the receipt), all stuck while
    # Redis was down.
    notices = alerts + 1
    assert stranded == 2 * notices
    assert outcome["outbox"] == Counter({("email", "sent", 1): notices, ("webhook", "sent", 1): notices})
    assert list(outcome["emails"].values()) == [1] * notices
    assert list(outcome["webhooks"].values()) == [1] * notices


# --- A worker killed in the middle of a task ------------------------------------------------------------

SWEEP_STATEMENT_WAITING = (
    "SELECT pid FROM pg_stat_activity WHERE datname = 'rrm' AND wait_event_type = 'Lock' "
    "AND query LIKE '%%rrm_deadlinealert%%' ORDER BY backend_start"
)


def test_it_runs_a_task_again_after_its_worker_is_killed_and_its_effect_happens_once(
    service: Service, receiver: WebhookReceiver, measured: dict[str, object]
) -> None:
    case_id = seed_cases(service, webhook_url=receiver.url)["case_ids"][0]
    assert service.call("POST", f"/api/v1/cases/{case_id}/watch/")[0] == 201
    assert (
        service.call(
            "POST", f"/api/v1/cases/{case_id}/receipt/", {"on": receipt_date_with_clocks_due_soon()}
        )[0]
        == 201
    )

    # Holding this lock stops the sweep in the middle of its statement, after the task has started.
    with psycopg.connect(service.postgres.conninfo("rrm")) as blocker:
        blocker.execute("LOCK TABLE rrm_deadlinealert IN EXCLUSIVE MODE")
        service.send_task("rrm.tasks.sweep_deadlines")
        wait_until(
            lambda: len(service.rows(SWEEP_STATEMENT_WAITING)) == 1,
            what="the sweep to reach the lock",
            timeout=WAIT_SECONDS,
        )
        [first_backend] = service.rows(SWEEP_STATEMENT_WAITING)
        [pool_process] = service.worker.children()
        os.kill(pool_process, signal.SIGKILL)
        killed = time.monotonic()
        # PostgreSQL notices the dead client (client_connection_check_interval) and ends its backend; the
        # task, rejected back to the queue (acks_late, reject_on_worker_lost), starts in a new pool process.
        wait_until(
            lambda: (
                [row for row in service.rows(SWEEP_STATEMENT_WAITING) if row != first_backend] != []
                and first_backend not in service.rows(SWEEP_STATEMENT_WAITING)
            ),
            what="the killed sweep's backend to end and the task to run again",
            timeout=WAIT_SECONDS,
        )
        rerun_after = time.monotonic() - killed
        blocker.commit()

    wait_until(
        lambda: service.rows("SELECT count(*) FROM rrm_notification WHERE status = 'sent'")[0][0] == 2,
        what="the re-run sweep's e-mail and webhook to be sent",
        timeout=WAIT_SECONDS,
    )
    time.sleep(3)  # a duplicate would arrive now
    outcome = delivered_once_each(service, receiver)
    log = service.worker.output()
    sweeps = re.findall(r"Task rrm\.tasks\.sweep_deadlines\[([0-9a-f-]+)\] (received|succeeded)", log)
    measured.update(
        seconds_from_kill_to_rerun_waiting=round(rerun_after, 2),
        sweep_task_log=sweeps,
        alerts=len(outcome["alerts"]),
        emails=sum(outcome["emails"].values()),
        webhooks=sum(outcome["webhooks"].values()),
    )

    assert "WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL)" in log, log[-3000:]
    [task_id] = {task_id for task_id, _ in sweeps}  # one task, delivered to the worker twice
    assert [event for _, event in sweeps] == ["received", "received", "succeeded"]
    assert len(outcome["alerts"]) == 1  # the ILC's screening clock, alerted once
    # The alert and the notice of the receipt: each delivered once, on its first attempt.
    assert outcome["outbox"] == Counter({("email", "sent", 1): 2, ("webhook", "sent", 1): 2})
    assert list(outcome["emails"].values()) == [1, 1]
    assert list(outcome["webhooks"].values()) == [1, 1]


# --- PostgreSQL restarted under a live server -------------------------------------------------------------


def test_it_recovers_from_a_postgresql_restart_without_restarting_itself(
    service: Service, measured: dict[str, object]
) -> None:
    paths = ["/healthz", "/api/v1/cases/", "/api/v1/public/cases/"]
    before = [service.call("GET", path)[0] for path in paths for _ in range(2)]  # both gunicorn workers

    answers: list[tuple[float, int]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            status, _, _ = service.call("GET", "/api/v1/cases/")
            answers.append((time.monotonic(), status))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(0.5)
        restart_started = time.monotonic()
        service.postgres.restart(mode="fast")
        restarted = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        asker.join(timeout=30)
    after = [service.call("GET", path)[0] for path in paths for _ in range(4)]
    failed_after_restart = [status for moment, status in answers if moment > restarted and status != 200]
    during = Counter(status for moment, status in answers if restart_started <= moment <= restarted)
    service.send_task("rrm.tasks.sweep_deadlines")
    wait_until(
        lambda: (
            "rrm.tasks.sweep_deadlines" in service.worker.output() and "succeeded" in service.worker.output()
        ),
        what="a sweep on the restarted database",
        timeout=WAIT_SECONDS,
    )
    measured.update(
        restart_seconds=round(restarted - restart_started, 2),
        requests_during_restart=dict(during),
        requests_after_restart=len([moment for moment, _ in answers if moment > restarted]),
        failed_after_restart=failed_after_restart,
        checks_after=Counter(after),
    )

    assert before == [200] * 6
    assert set(during) <= {200, 503}  # refused with 503 while PostgreSQL was down, never hung nor 500
    assert len(failed_after_restart) <= 1 and set(failed_after_restart) <= {503}
    assert after == [200] * 12


# --- Two staff members move one case at the same moment -------------------------------------------------

RACES = 8


def test_it_lets_exactly_one_of_two_concurrent_staff_transitions_succeed(
    service: Service, receiver: WebhookReceiver, measured: dict[str, object]
) -> None:
    case_ids = seed_cases(service, webhook_url=receiver.url, cases=RACES)["case_ids"]
    on = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    outcomes: list[list[tuple[int, Any]]] = []

    def race(case_id: str) -> list[tuple[int, Any]]:
        barrier = threading.Barrier(2)
        results: list[tuple[int, Any]] = []

        def record_receipt() -> None:
            barrier.wait(timeout=10)
            status, _, body = service.call("POST", f"/api/v1/cases/{case_id}/receipt/", {"on": on})
            results.append((status, body))

        threads = [threading.Thread(target=record_receipt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return results

    for case_id in case_ids:
        outcomes.append(race(case_id))
    measured.update(
        races=RACES,
        outcomes=Counter(str(sorted(status for status, _ in results)) for results in outcomes),
        conflict_example=next(body for status, body in outcomes[0] if status == 409),
    )
    receipts = service.rows(
        "SELECT c.case_id, count(e.id) FROM rrm_case c LEFT JOIN rrm_timelineevent e "
        "ON e.case_id = c.id AND e.kind = 'petition_received' GROUP BY c.case_id"
    )

    for results in outcomes:
        assert sorted(status for status, _ in results) == [201, 409], results
        conflict = next(body for status, body in results if status == 409)
        assert conflict["stage"] == "ilc_review" and "ilc_review" in conflict["detail"]
        assert "record_receipt" not in conflict["allowed"]
    assert dict(receipts) == {case_id: 1 for case_id in case_ids}
