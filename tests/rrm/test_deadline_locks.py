"""Every write to a case's deadlines takes the case's row lock first, as workflow.transition() does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rrm import deadlines, workflow
from rrm.choices import EventKind
from tests.factories import DeadlineFactory, TimelineEventFactory

pytestmark = pytest.mark.django_db


def tables_locked(captured: CaptureQueriesContext) -> list[str]:
    """The table each SELECT ... FOR UPDATE reads from, in the order they ran."""
    return [
        re.search(r'FROM "(\w+)"', query["sql"]).group(1)  # type: ignore[union-attr]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and "FOR UPDATE" in query["sql"]
    ]


def test_it_locks_the_case_alone_before_extending_one_of_its_deadlines() -> None:
    deadline = DeadlineFactory(start_date=dt.date(2024, 3, 1), due_date=dt.date(2024, 4, 15))
    with CaptureQueriesContext(connection) as captured:
        workflow.extend_deadline(deadline_id=deadline.pk, days=5, on=dt.date(2024, 3, 10), reason="agreed")
    assert tables_locked(captured)[:1] == ["rrm_case"]


def test_it_locks_the_case_before_settling_its_deadlines() -> None:
    deadline = DeadlineFactory(start_date=dt.date(2024, 3, 1), due_date=dt.date(2024, 4, 15))
    deadline.rule.satisfied_by = [EventKind.MEXICO_ACCEPTED]
    deadline.rule.save()
    event = TimelineEventFactory(
        case=deadline.case, kind=EventKind.MEXICO_ACCEPTED, occurred_on=dt.date(2024, 3, 9)
    )
    with CaptureQueriesContext(connection) as captured:
        settled = deadlines.settle_deadlines_for(event=event)
    assert settled == [deadline]
    assert tables_locked(captured)[:1] == ["rrm_case"]


def test_it_locks_the_cases_before_a_new_holiday_moves_their_deadlines() -> None:
    DeadlineFactory(start_date=dt.date(2024, 3, 1), due_date=dt.date(2024, 4, 15))
    with CaptureQueriesContext(connection) as captured:
        deadlines.recompute_for_holiday(calendar="US", day=dt.date(2024, 3, 20))
    assert tables_locked(captured)[:1] == ["rrm_case"]
