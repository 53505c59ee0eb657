"""The statistics that a case's timeline gives: requests for review, Mexico's answers and findings, and
the durations between two acts, each read from the case's effective events (those no later event
corrects) as SQL expressions over one case, for the single GROUP BY of public.statistics.

A duration is measured only between two acts known to the day from their own date or a source that
gives the day (basis act or reported): an announced date proves only that the act happened by then, and
a month or an approximate date names a period (docs/mechanism.md, "What the record can prove").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import DateField, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.lookups import Exact

from rrm.choices import DateBasis, DatePrecision, EventKind
from rrm.models import TimelineEvent

# Mexico's answer to a request, by the kind of the event that records it (its earliest, if several).
MEXICO_ANSWERS: dict[str, str] = {
    "accepted": EventKind.MEXICO_ACCEPTED,
    "declined": EventKind.MEXICO_DECLINED,
    "no_answer": EventKind.MEXICO_NO_RESPONSE,
}
MEXICO_FINDINGS: dict[str, str] = {
    "denial": EventKind.MEXICO_FINDING_DENIAL,
    "no_denial": EventKind.MEXICO_FINDING_NO_DENIAL,
    "remedied": EventKind.MEXICO_FINDING_REMEDIED,
}
DAY_PROVING_BASES = (DateBasis.ACT, DateBasis.REPORTED)


class DaysBetween(Func):
    """Whole days from `earlier` to `later`; NULL when either is NULL."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "  # PostgreSQL: date - date is an integer number of days


def case_events(*kinds: str) -> QuerySet[TimelineEvent]:
    """The effective events of those kinds of the outer case, earliest first."""
    return TimelineEvent.objects.filter(
        case=OuterRef("pk"), kind__in=kinds, corrections__isnull=True
    ).order_by("occurred_on", "pk")


def has_event(*kinds: str) -> Q:
    return Q(Exists(case_events(*kinds)))


def first_kind_is(kind: str, *among: str) -> Exact:
    """The earliest effective event of the kinds `among` is of `kind`."""
    return Exact(Subquery(case_events(*among).values("kind")[:1]), kind)


def first_day(*kinds: str) -> Subquery:
    """The day of the earliest effective event of those kinds when its date proves the day (known to
    the day, basis act or reported); NULL otherwise, and when there is none."""
    proven_day = CaseWhen(
        When(
            Q(date_precision=DatePrecision.DAY, date_basis__in=DAY_PROVING_BASES),
            then=F("occurred_on"),
        ),
        output_field=DateField(),
    )
    return Subquery(case_events(*kinds).annotate(proven_day=proven_day).values("proven_day")[:1])


@dataclass(frozen=True)
class Duration:
    name: str
    starts: tuple[str, ...]
    ends: tuple[str, ...]

    def days(self) -> DaysBetween:
        return DaysBetween(first_day(*self.ends), first_day(*self.starts))


DURATIONS = (
    Duration(
        "receipt_to_determination",
        (EventKind.PETITION_RECEIVED,),
        # A positive determination is made public with the request for review (docs/mechanism.md).
        (EventKind.ILC_DETERMINATION, EventKind.ILC_DECLINED, EventKind.REQUEST_FOR_REVIEW),
    ),
    Duration("request_to_mexico_response", (EventKind.REQUEST_FOR_REVIEW,), tuple(MEXICO_ANSWERS.values())),
    Duration("request_to_finding", (EventKind.REQUEST_FOR_REVIEW,), tuple(MEXICO_FINDINGS.values())),
    Duration("request_to_remediation_plan", (EventKind.REQUEST_FOR_REVIEW,), (EventKind.REMEDIATION_AGREED,)),
    Duration(
        "panel_request_to_determination",
        (EventKind.PANEL_REQUESTED,),
        (EventKind.PANEL_DETERMINATION_NO_DENIAL, EventKind.PANEL_DETERMINATION_DENIAL),
    ),
)


def requested() -> Q:
    """The case's timeline holds a request for review, at whatever precision its date is known."""
    return has_event(EventKind.REQUEST_FOR_REVIEW)


def answered(answer: str) -> Q:
    """A requested case whose first recorded answer from Mexico is `answer`."""
    return requested() & Q(first_kind_is(MEXICO_ANSWERS[answer], *MEXICO_ANSWERS.values()))


def found(finding: str) -> Q:
    return has_event(MEXICO_FINDINGS[finding])
