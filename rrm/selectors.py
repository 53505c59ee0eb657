"""Reads of the case record that other apps may use."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as DbCase
from django.db.models import CharField, F, Q, QuerySet, Value, When

from rrm.choices import EventKind, Verdict
from rrm.models import Case, CaseRecordBasis, Deadline, DeadlineStatus, TimelineEvent
from rrm.verdicts import open_verdict


def effective_event_rows(*, case: Case) -> QuerySet[TimelineEvent]:
    """The case's current timeline: events that no later event corrects, in date order.

    A correction event (kind 'correction') only retracts the event it points at; it is not itself a
    fact about the case, so it is left out too.
    """
    return (
        TimelineEvent.objects.filter(case=case, corrections__isnull=True)
        .exclude(kind=EventKind.CORRECTION)
        .order_by("occurred_on", "id")
    )


def effective_events(*, case: Case) -> list[TimelineEvent]:
    return list(effective_event_rows(case=case))


def latest_event_date(*, case: Case) -> dt.date | None:
    return (
        effective_event_rows(case=case).order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    )


def case_ids_by_invocation() -> dict[tuple[str, int], str]:
    """(annex, USTR invocation number) -> case_id, for every case that has a number."""
    rows = Case.objects.filter(ustr_invocation_no__isnull=False).values_list(
        "annex", "ustr_invocation_no", "case_id"
    )
    return {(annex, number): case_id for annex, number, case_id in rows if number is not None}


def verdict_expression(*, today: dt.date) -> DbCase:
    """Each deadline's verdict as SQL (rrm.verdicts.open_verdict for the open ones), for lists,
    statistics and the export; verdict_of is the same for one row already loaded."""
    is_open = Q(status=DeadlineStatus.OPEN)
    return DbCase(
        When(is_open & Q(due_date__gte=today), then=Value(Verdict.PENDING)),
        When(is_open & Q(case__record_basis=CaseRecordBasis.STAFF), then=Value(Verdict.OVERDUE)),
        When(is_open, then=Value(Verdict.NOT_IN_RECORD)),
        default=F("status"),
        output_field=CharField(),
    )


def verdict_of(deadline: Deadline, *, today: dt.date) -> str:
    if deadline.status != DeadlineStatus.OPEN:
        return str(deadline.status)
    kept_by_staff = deadline.case.record_basis == CaseRecordBasis.STAFF
    return open_verdict(due=deadline.due_date, today=today, kept_by_staff=kept_by_staff)
