import datetime as dt
import threading
import time
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from rrm.management.commands import sweep_deadlines as sweep_command
from rrm.models import Deadline, DeadlineAlert, Notification
from rrm.notifications import sweep
from tests.factories import (
    CaseFactory,
    CaseWatchFactory,
    DeadlineFactory,
    UserFactory,
    WebhookEndpointFactory,
)

TODAY = dt.date(2026, 3, 2)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def watched_deadline(*, due_in: int, watchers: int = 2, endpoints: int = 1, **fields) -> Deadline:
    case = CaseFactory()
    for _ in range(watchers):
        CaseWatchFactory(case=case)
    for _ in range(endpoints):
        WebhookEndpointFactory().cases.add(case)
    return DeadlineFactory(case=case, due_date=TODAY + days(due_in), **fields)


def alerts_of(deadline: Deadline) -> list[tuple[str, int]]:
    return list(deadline.alerts.order_by("id").values_list("kind", "lead_days"))


def channels_of(deadline: Deadline) -> Counter[str]:
    return Counter(Notification.objects.filter(alert__deadline=deadline).values_list("channel", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_in", "expected"),
    [
        (7, ("due_soon", 7)),
        (3, ("due_soon", 3)),
        (1, ("due_soon", 1)),
        (0, ("due_soon", 1)),
        (-1, ("overdue", 0)),
    ],
)
def test_it_alerts_each_threshold_once_with_one_email_per_watcher_and_one_webhook_per_endpoint(
    due_in, expected
):
    deadline = watched_deadline(due_in=due_in, watchers=2, endpoints=1)

    result = sweep.sweep_deadlines(today=TODAY)

    assert alerts_of(deadline) == [expected]
    assert channels_of(deadline) == Counter({"email": 2, "webhook": 1})
    emails = Notification.objects.filter(channel="email").values_list("recipient_email", flat=True)
    assert sorted(emails) == sorted(deadline.case.watches.values_list("user__email", flat=True))
    assert result.alerts_created == 1
    assert len(result.notification_ids) == 3
    deadline.refresh_from_db()
    assert deadline.last_alert_days == expected[1]


@pytest.mark.django_db
def test_it_does_not_alert_a_deadline_beyond_the_largest_lead():
    deadline = watched_deadline(due_in=8)

    result = sweep.sweep_deadlines(today=TODAY)

    assert result.alerts_created == 0
    assert alerts_of(deadline) == []
    assert Notification.objects.count() == 0


def row_versions() -> dict[int, str]:
    """PostgreSQL's xmin of every deadline: it changes whenever an UPDATE rewrites the row."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text FROM {Deadline._meta.db_table}")
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_it_creates_nothing_when_swept_twice_on_the_same_day():
    for due_in in (7, 3, 1, -1):
        watched_deadline(due_in=due_in)
    sweep.sweep_deadlines(today=TODAY)
    alerts_before = DeadlineAlert.objects.count()
    notifications_before = Notification.objects.count()
    versions_before = row_versions()

    second = sweep.sweep_deadlines(today=TODAY)

    assert (alerts_before, notifications_before) == (4, 12)
    assert second.alerts_created == 0
    assert second.notification_ids == ()
    assert DeadlineAlert.objects.count() == alerts_before
    assert Notification.objects.count() == notifications_before
    assert row_versions() == versions_before


@pytest.mark.django_db
def test_it_walks_a_deadline_through_every_threshold_exactly_once():
    deadline = watched_deadline(due_in=10, watchers=1, endpoints=1)

    for offset in range(14):
        sweep.sweep_deadlines(today=TODAY + days(offset))

    assert alerts_of(deadline) == [("due_soon", 7), ("due_soon", 3), ("due_soon", 1), ("overdue", 0)]
    assert channels_of(deadline) == Counter({"email": 4, "webhook": 4})


@pytest.mark.django_db
def test_it_alerts_only_the_smallest_threshold_crossed_since_the_last_sweep():
    created_two_days_before_due = watched_deadline(due_in=2)

    sweep.sweep_deadlines(today=TODAY)
    sweep.sweep_deadlines(today=TODAY + days(1))

    assert alerts_of(created_two_days_before_due) == [("due_soon", 3), ("due_soon", 1)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "satisfied_on"),
    [("met", TODAY - days(1)), ("late", TODAY), ("ended", TODAY - days(1)), ("cancelled", None)],
)
def test_it_ignores_settled_and_cancelled_deadlines(status, satisfied_on):
    deadline = watched_deadline(due_in=-1, status=status, satisfied_on=satisfied_on)

    result = sweep.sweep_deadlines(today=TODAY)

    assert result.alerts_created == 0
    assert alerts_of(deadline) == []
    deadline.refresh_from_db()
    assert deadline.last_alert_days is None


@pytest.mark.django_db
@override_settings(RRM_DEADLINE_LEAD_DAYS=[10, 2])
def test_it_takes_lead_days_from_settings():
    due_in_nine = watched_deadline(due_in=9)
    due_in_three = watched_deadline(due_in=3)
    due_in_two = watched_deadline(due_in=2)

    sweep.sweep_deadlines(today=TODAY)

    assert alerts_of(due_in_nine) == [("due_soon", 10)]
    assert alerts_of(due_in_three) == [("due_soon", 10)]
    assert alerts_of(due_in_two) == [("due_soon", 2)]


@pytest.mark.django_db
@override_settings(RRM_DEADLINE_LEAD_DAYS=[])
def test_it_alerts_only_overdue_deadlines_when_no_lead_days_are_configured():
    due_today = watched_deadline(due_in=0)
    overdue = watched_deadline(due_in=-1)

    sweep.sweep_deadlines(today=TODAY)

    assert alerts_of(due_today) == []
    assert alerts_of(overdue) == [("overdue", 0)]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [[7, 0], [3, -1], ["7"], 7])
def test_it_names_the_setting_when_lead_days_are_invalid(bad):
    watched_deadline(due_in=1)

    with override_settings(RRM_DEADLINE_LEAD_DAYS=bad), pytest.raises(ImproperlyConfigured) as raised:
        sweep.sweep_deadlines(today=TODAY)

    assert "RRM_DEADLINE_LEAD_DAYS" in str(raised.value)
    assert DeadlineAlert.objects.count() == 0


@pytest.mark.django_db
def test_it_skips_inactive_endpoints_inactive_users_and_watchers_without_email():
    deadline = watched_deadline(due_in=3, watchers=1, endpoints=0)
    CaseWatchFactory(case=deadline.case, user=UserFactory(email=""))
    CaseWatchFactory(case=deadline.case, user=UserFactory(is_active=False))
    WebhookEndpointFactory(active=False).cases.add(deadline.case)

    sweep.sweep_deadlines(today=TODAY)

    assert alerts_of(deadline) == [("due_soon", 3)]
    assert channels_of(deadline) == Counter({"email": 1})


@pytest.mark.django_db
def test_it_records_the_alert_without_notifications_when_nobody_listens():
    deadline = watched_deadline(due_in=1, watchers=0, endpoints=0)

    sweep.sweep_deadlines(today=TODAY)

    assert alerts_of(deadline) == [("due_soon", 1)]
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_it_claims_nothing_when_the_sweep_dies_before_commit(monkeypatch):
    deadline = watched_deadline(due_in=3)

    def worker_killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patched:
        # Everything is written by then; the process dies before the transaction commits.
        patched.setattr(sweep.transaction, "on_commit", worker_killed)
        with pytest.raises(SystemExit):
            sweep.sweep_deadlines(today=TODAY)
    retried = sweep.sweep_deadlines(today=TODAY)

    assert retried.alerts_created == 1
    assert alerts_of(deadline) == [("due_soon", 3)]
    assert channels_of(deadline) == Counter({"email": 2, "webhook": 1})


@pytest.mark.django_db
def test_it_sends_one_email_per_address_when_two_watchers_share_it():
    deadline = watched_deadline(due_in=7, watchers=0, endpoints=0)
    CaseWatchFactory(case=deadline.case, user=UserFactory(email="desk@example.org"))
    CaseWatchFactory(case=deadline.case, user=UserFactory(email="Desk@example.org"))

    sweep.sweep_deadlines(today=TODAY)

    assert list(Notification.objects.values_list("recipient_email", flat=True)) == ["Desk@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize(("due_in", "kind", "lead_days"), [(3, "due_soon", 3), (-2, "overdue", 0)])
def test_it_freezes_what_the_recipients_are_told_in_the_payload(due_in, kind, lead_days):
    deadline = watched_deadline(due_in=due_in, watchers=1, endpoints=1)
    deadline.rule.confidence = "U"
    deadline.rule.save()

    sweep.sweep_deadlines(today=TODAY)

    expected = {
        "event": f"deadline.{kind}",
        "alert_id": deadline.alerts.get().pk,
        "kind": kind,
        "lead_days": lead_days,
        "deadline_id": deadline.pk,
        "case": deadline.case.case_id,
        "case_title": deadline.case.title,
        "rule": {
            "code": deadline.rule.code,
            "name": deadline.rule.name,
            "citation": deadline.rule.citation,
            "confidence": "U",
            "unconfirmed": True,
        },
        "start_date": deadline.start_date.isoformat(),
        "due_date": (TODAY + days(due_in)).isoformat(),
        "days_left": due_in,
        "swept_on": TODAY.isoformat(),
        "explanation": deadline.explanation,
    }
    assert [row.payload for row in Notification.objects.order_by("channel")] == [expected, expected]


@pytest.mark.django_db
def test_it_enqueues_one_delivery_per_notification_after_commit(django_capture_on_commit_callbacks):
    deadline = watched_deadline(due_in=1, watchers=3, endpoints=0)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = sweep.sweep_deadlines(today=TODAY)

    assert len(callbacks) == 1
    assert len(mail.outbox) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        deadline.case.watches.values_list("user__email", flat=True)
    )
    statuses = Notification.objects.filter(pk__in=result.notification_ids).values_list("status", flat=True)
    assert set(statuses) == {"sent"}


# --- Two sweeps at once, on two real connections ----------------------------------------------------------


def run_in_thread(target, *args):
    """Run `target` on its own thread, hence its own database connection, closed when it is done."""
    outcome: dict[str, object] = {}

    def body():
        try:
            outcome["result"] = target(*args)
        except BaseException as error:  # re-raised in the test thread by join_thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, outcome


def join_thread(thread, outcome):
    thread.join(timeout=60)
    assert not thread.is_alive(), "sweep thread did not finish within 60 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def many_watched_deadlines(count: int) -> list[Deadline]:
    with transaction.atomic():  # one commit: what other apps do after each commit runs once
        return [
            watched_deadline(due_in=due_in, watchers=1, endpoints=0)
            for due_in in [7, 3, 1, -1] * (count // 4)
        ]


@pytest.mark.django_db(transaction=True)
def test_it_creates_each_alert_once_when_two_sweeps_run_at_the_same_time():
    deadlines = many_watched_deadlines(200)
    start = threading.Barrier(2)

    def sweep_when_both_ready():
        start.wait(timeout=10)
        return sweep.sweep_deadlines(today=TODAY)

    threads = [run_in_thread(sweep_when_both_ready) for _ in range(2)]
    results = [join_thread(*pair) for pair in threads]

    assert sum(result.alerts_created for result in results) == len(deadlines)
    assert DeadlineAlert.objects.count() == len(deadlines)
    assert set(DeadlineAlert.objects.values_list("deadline_id", flat=True)) == {d.pk for d in deadlines}
    assert Notification.objects.count() == len(deadlines)
    assert len(mail.outbox) == len(deadlines)
    assert Notification.objects.exclude(status="sent").count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_skips_rows_an_uncommitted_sweep_holds_and_never_alerts_them_twice():
    deadlines = many_watched_deadlines(8)
    claimed = threading.Event()
    release = threading.Event()

    def sweep_and_hold_the_transaction_open():
        with transaction.atomic():
            result = sweep.sweep_deadlines(today=TODAY)
            claimed.set()
            release.wait(timeout=30)
        return result

    holder = run_in_thread(sweep_and_hold_the_transaction_open)
    assert claimed.wait(timeout=30)
    started = time.monotonic()
    try:
        concurrent = sweep.sweep_deadlines(today=TODAY)
    finally:
        waited = time.monotonic() - started
        release.set()
    first = join_thread(*holder)
    after_both = sweep.sweep_deadlines(today=TODAY)

    assert waited < 5, "the second sweep waited for the first one's locks instead of skipping them"
    assert first.alerts_created == len(deadlines)
    assert concurrent.alerts_created == 0
    assert after_both.alerts_created == 0
    assert DeadlineAlert.objects.count() == len(deadlines)
    assert len(mail.outbox) == len(deadlines)


# --- Management command: the embedded default without beat ------------------------------------------------


@pytest.mark.django_db
def test_it_sweeps_and_delivers_from_the_management_command(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    case = CaseFactory()
    CaseWatchFactory(case=case)
    DeadlineFactory(case=case, due_date=today + days(3))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_deadlines", stdout=out)

    assert f"{today}: 1 alert(s), 1 notification(s) queued, 0 re-queued." in out.getvalue()
    assert len(mail.outbox) == 1
    assert case.case_id in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_it_sweeps_in_a_loop_until_interrupted(monkeypatch):
    case = CaseFactory()
    CaseWatchFactory(case=case)
    DeadlineFactory(case=case, due_date=timezone.localdate() + days(1))
    sleeps: list[float] = []

    def sleep_then_interrupt(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(sweep_command.time, "sleep", sleep_then_interrupt)
    out = StringIO()

    call_command("sweep_deadlines", "--loop", "--interval", "5", stdout=out)

    assert sleeps == [5, 5]
    assert out.getvalue().count("alert(s)") == 2
    assert "1 alert(s)" in out.getvalue() and "0 alert(s)" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Stopped.")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_refuses_an_interval_below_one_second():
    with pytest.raises(CommandError, match="--interval must be at least 1 second, got 0"):
        call_command("sweep_deadlines", "--loop", "--interval", "0")
