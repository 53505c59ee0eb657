"""The SQL verdict that lists, statistics and the export use says what the row verdict says."""

from __future__ import annotations

import datetime as dt

import pytest

from rrm.choices import CaseRecordBasis, DeadlineStatus, Verdict
from rrm.models import Deadline
from rrm.selectors import verdict_expression, verdict_of
from tests.factories import CaseFactory, DeadlineFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("status", "due_in", "basis", "expected"),
    [
        (DeadlineStatus.OPEN, 0, CaseRecordBasis.STAFF, Verdict.PENDING),
        (DeadlineStatus.OPEN, -1, CaseRecordBasis.STAFF, Verdict.OVERDUE),
        (DeadlineStatus.OPEN, -1, CaseRecordBasis.PUBLIC_SOURCES, Verdict.NOT_IN_RECORD),
        (DeadlineStatus.OPEN, 5, CaseRecordBasis.PUBLIC_SOURCES, Verdict.PENDING),
        (DeadlineStatus.CANCELLED, -1, CaseRecordBasis.STAFF, Verdict.CANCELLED),
    ],
)
def test_it_gives_the_same_verdict_in_sql_as_for_a_loaded_row(
    status: str, due_in: int, basis: str, expected: str
) -> None:
    deadline = DeadlineFactory(
        case=CaseFactory(record_basis=basis), status=status, due_date=TODAY + dt.timedelta(days=due_in)
    )
    in_sql = Deadline.objects.annotate(verdict=verdict_expression(today=TODAY)).get(pk=deadline.pk).verdict
    assert in_sql == verdict_of(deadline, today=TODAY) == expected
