"""Reads of the case record that other apps may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rrm.choices import CaseRecordBasis, DateBasis, DeadlineStatus, EventKind, Verdict
from rrm.models import Case, CaseFacility, Company, Deadline, Facility, TimelineEvent
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


# --------------------------------------------------------------------------------------------------
# Denial determinations per facility and per owner (docs/mechanism.md, "Remedies")

DENIAL_KINDS = (EventKind.MEXICO_FINDING_DENIAL, EventKind.PANEL_DETERMINATION_DENIAL)


class RemedyTier(TextChoices):
    """What the sources say a next determination of denial may bring, by the earlier ones: information
    from docs/mechanism.md "Remedies" [S52][S53], never a legal conclusion about a case."""

    FIRST = (
        "first",
        _(
            "A first determination of denial: remedies proportional to its gravity, the suspension of the "
            "USMCA tariff preference for the facility's goods or penalties on them."
        ),
    )
    REPEAT = (
        "repeat",
        _(
            "A repeat: after one earlier determination of denial at the facility, or at one with the same "
            "owner making the same or related goods, the measures may reach those goods too."
        ),
    )
    ENTRY = (
        "entry",
        _(
            "After two or more earlier determinations of denial, entry of the goods may be denied; in U.S. "
            "law, 19 U.S.C. §4693."
        ),
    )


# The public citation of the tiers: the treaty's remedies article and the U.S. statute (docs/mechanism.md,
# "Remedies", sources S52, S53 and S10).
REMEDIES_CITATION = "USMCA Annex 31-A, Art. 31-A.10 (Remedies); 19 U.S.C. §4693"


@dataclass(frozen=True)
class DenialDetermination:
    """A case's determination of denial: Mexico's finding or the panel's, dated by the earlier."""

    case_id: str
    kind: str
    occurred_on: dt.date
    date_precision: str
    date_basis: str
    source_url: str
    source_note: str

    # Named as a model's, so that the templates of timeline events show it as they show an event.
    def get_kind_display(self) -> str:
        return str(EventKind(self.kind).label)

    def get_date_basis_display(self) -> str:
        return str(DateBasis(self.date_basis).label)


@dataclass(frozen=True)
class DenialHistory:
    """The determinations of denial at the facilities asked about (`own`) and at other facilities of
    the same owner (`owner`), oldest first, and the tier the next determination may reach."""

    own: list[DenialDetermination]
    owner: list[DenialDetermination]

    @property
    def count(self) -> int:
        return len(self.own) + len(self.owner)

    @property
    def next_tier(self) -> RemedyTier:
        tiers = (RemedyTier.FIRST, RemedyTier.REPEAT, RemedyTier.ENTRY)
        return tiers[min(self.count, len(tiers) - 1)]

    citation = REMEDIES_CITATION

    def information(self) -> str:
        """What the record holds and what the sources say of a next determination, in the active language."""
        held = ngettext(
            "Information, not a legal conclusion: the record holds %(count)d determination of denial here or "
            "at a facility with the same owner (whether their goods are the same or related is not in the "
            "record).",
            "Information, not a legal conclusion: the record holds %(count)d determinations of denial here "
            "or at facilities with the same owner (whether their goods are the same or related is not in "
            "the record).",
            self.count,
        ) % {"count": self.count}
        return f"{held} {_('By the sources, a next determination:')} {self.next_tier.label}"


DETERMINATION_FIELDS = ("kind", "occurred_on", "date_precision", "date_basis", "source_url", "source_note")


def owner_group(company: Company) -> QuerySet[Company]:
    """The companies with the company's owner: its parent (or itself) and the parent's subsidiaries.
    The doc counts a facility "with the same owner"."""
    owner_id = company.parent_id or company.pk
    return Company.objects.filter(Q(pk=owner_id) | Q(parent_id=owner_id))


def _history(*, own: QuerySet[Facility], company: Company, cases: QuerySet[Case]) -> DenialHistory:
    """One determination per case covering a facility of the owner: its earliest effective denial event,
    `own` when the case covers one of `own` (one query)."""
    group = Facility.objects.filter(operator__in=owner_group(company).values("pk"))
    rows = (
        TimelineEvent.objects.filter(
            case__in=cases.filter(facility_links__facility__in=group).values("pk"),
            kind__in=DENIAL_KINDS,
            corrections__isnull=True,
        )
        .order_by("case_id", "occurred_on", "id")
        .distinct("case_id")
        .values(
            *DETERMINATION_FIELDS,
            case_slug=F("case__case_id"),
            here=Exists(CaseFacility.objects.filter(case=OuterRef("case"), facility__in=own)),
        )
    )
    pairs = sorted(
        ((row.pop("here"), DenialDetermination(case_id=row.pop("case_slug"), **row)) for row in rows),
        key=lambda pair: (pair[1].occurred_on, pair[1].case_id),
    )
    return DenialHistory(
        own=[found for here, found in pairs if here], owner=[found for here, found in pairs if not here]
    )


def facility_denial_history(*, facility: Facility, cases: QuerySet[Case]) -> DenialHistory:
    """`cases`: those the caller may count (the public side passes its public cases)."""
    return _history(own=Facility.objects.filter(pk=facility.pk), company=facility.operator, cases=cases)


def company_denial_history(*, company: Company, cases: QuerySet[Case]) -> DenialHistory:
    """`cases`: those the caller may count (the public side passes its public cases)."""
    return _history(own=Facility.objects.filter(operator=company), company=company, cases=cases)
