"""Reads behind the public pages.

Only public fields leave this module: no petition contact, narrative or other confidential field, no
evidence, no confidential document, and no petitioner whose identity is confidential or whose petition
is anonymous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from public import freshness
from public.figure_store import stored_statistics
from public.selectors import (
    PUBLIC_PANEL_FIELDS,
    PUBLIC_REMEDY_FIELDS,
    case_year,
    covers,
    last_updated,
    outcome_prefetches,
    public_cases,
    public_companies,
    public_deadlines,
    public_documents,
    public_facilities,
    public_plans,
)
from remediation.models import MexicoReview, Panel, RemediationPlan, Remedy
from rrm.models import Case, Company, Deadline, Document, Facility, TimelineEvent
from rrm.selectors import effective_events


def case_start_date() -> Coalesce:
    """The date a case began: the petition's receipt, or the request for review of a self-initiated case
    (the year of this date is the public API's `year`)."""
    return Coalesce("petition_received_on", "request_for_review_on", output_field=DateField())


def _count_of_cases(**match: object) -> Subquery:
    counted = (
        Case.objects.filter(**match).order_by().values(*match.keys()).annotate(n=Count("id")).values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def listed_cases(*, with_review: bool = False) -> QuerySet[Case]:
    """The public API's cases (public fields, `year`, `petitioner_type`), newest first, each with how
    many cases its facility and its company have: a repeat facility or company has more than one."""
    return (
        public_cases(with_review=with_review)
        .annotate(
            started_on=case_start_date(),
            facility_case_count=_count_of_cases(facility=OuterRef("facility")),
            company_case_count=_count_of_cases(facility__operator=OuterRef("facility__operator")),
        )
        .order_by(F("started_on").desc(nulls_last=True), "case_id")
    )


def case_years() -> list[int]:
    years = (
        Case.objects.annotate(year=case_year())
        .filter(year__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def public_statistics(group_by: str | None) -> list[dict[str, Any]]:
    """The public API's statistics of every case (public.figure_store: kept up to date on write), cached
    like the API's under the public data version, which every change to the record replaces."""
    seconds = settings.PUBLIC_API_STATS_CACHE_SECONDS
    key = freshness.current_version().key("pages-statistics", str(group_by))
    groups: list[dict[str, Any]] | None = cache.get(key) if seconds else None
    if groups is None:
        groups = stored_statistics(group_by=group_by, today=timezone.localdate())
        if seconds:
            cache.set(key, groups, seconds)
    return groups


@dataclass(frozen=True)
class KeyFigures:
    cases: int
    petitions: int
    self_initiated: int
    requests_for_review: int
    remediation_agreed: int
    panels_requested: int
    open_cases: int
    backpay_usd: Decimal | None
    backpay_is_floor: bool
    workers_covered: int
    repeat_facilities: int


def key_figures() -> KeyFigures:
    """The home page's figures: those the statistics define, as they define them, and two counts of
    cases with a dated step (a course of remediation agreed, a panel requested)."""
    groups = public_statistics(None)
    dated = Case.objects.aggregate(
        remediation_agreed=Count("id", filter=Q(remediation_agreed_on__isnull=False)),
        panels_requested=Count("id", filter=Q(panel_requested_on__isnull=False)),
    )
    if not groups:
        return KeyFigures(
            cases=0,
            petitions=0,
            self_initiated=0,
            requests_for_review=0,
            remediation_agreed=0,
            panels_requested=0,
            open_cases=0,
            backpay_usd=None,
            backpay_is_floor=False,
            workers_covered=0,
            repeat_facilities=0,
        )
    overall = groups[0]
    backpay = overall["back_pay"]["usd"]
    return KeyFigures(
        cases=overall["n"],
        petitions=overall["petitions_received"],
        self_initiated=overall["n"] - overall["petitions_received"],
        requests_for_review=overall["requests_for_review"]["total"],
        remediation_agreed=dated["remediation_agreed"],
        panels_requested=dated["panels_requested"],
        open_cases=overall["outcomes"]["open"],
        backpay_usd=Decimal(backpay) if backpay is not None else None,
        backpay_is_floor=overall["back_pay"]["is_floor"],
        workers_covered=overall["workers_covered"]["total"],
        repeat_facilities=overall["repeat"]["facilities"],
    )


@dataclass(frozen=True)
class PublicPetitioners:
    """Who petitioned, as far as the public may know."""

    names: list[str]
    anonymous: bool

    @classmethod
    def of(cls, case: Case) -> PublicPetitioners:
        """Names from the public API's rule (the filed petitions and their shown_petitioners, prefetched by
        public_cases): every filed petition's, none of an anonymous one's. `anonymous` when a petition
        was filed anonymously and no other names anyone."""
        petitions = list(case.petitions.all())
        names = [
            petitioner.organisation.name
            for petition in petitions
            if not petition.anonymous
            for petitioner in petition.petitioners.all()
        ]
        return cls(names=names, anonymous=not names and any(petition.anonymous for petition in petitions))


@dataclass(frozen=True)
class CasePage:
    case: Case
    events: list[TimelineEvent]
    deadlines: list[Deadline]
    cancelled_deadlines: list[Deadline]
    review: MexicoReview | None
    plans: Sequence[RemediationPlan]
    panels: list[Panel]
    remedies: list[Remedy]
    petitioners: PublicPetitioners
    documents: list[Document]
    other_cases_at_facility: list[Case]
    sources: dict[str, str]


def _sources(
    *,
    case: Case,
    events: list[TimelineEvent],
    plans: Sequence[RemediationPlan],
    panels: list[Panel],
    documents: list[Document],
) -> dict[str, str]:
    """Every public address the record cites for the case, once each with the label it is shown by (a
    document's title, else the address itself), the case's own source first."""
    cited = [(case.source_url, case.source_url)]
    cited += [(event.source_url, event.source_url) for event in events]
    cited += [(plan.source_url, plan.source_url) for plan in plans]
    cited += [(panel.report_url, panel.report_url) for panel in panels]
    cited += [(document.url, document.title) for document in documents]
    sources: dict[str, str] = {}
    for url, label in cited:
        if url:
            sources.setdefault(url, label)
    return sources


def case_page(*, case_id: str) -> CasePage:
    case = (
        listed_cases(with_review=True)
        .annotate(last_updated=last_updated())
        .prefetch_related(*outcome_prefetches())
        .filter(case_id=case_id)
        .first()
    )
    if case is None:
        raise Http404(case_id)
    deadlines = list(public_deadlines().filter(case=case).order_by("start_date", "due_date"))
    events = effective_events(case=case)
    plans = list(
        public_plans()
        .filter(case=case)
        .order_by("agreed_on")
        .prefetch_related(
            Prefetch("documents", queryset=public_documents().exclude(url=""), to_attr="public_documents")
        )
    )
    panels = list(Panel.objects.filter(case=case).only(*PUBLIC_PANEL_FIELDS).order_by("requested_on"))
    documents = list(public_documents().filter(case=case).exclude(url=""))
    return CasePage(
        case=case,
        events=events,
        deadlines=[d for d in deadlines if d.status != Deadline.Status.CANCELLED],
        cancelled_deadlines=[d for d in deadlines if d.status == Deadline.Status.CANCELLED],
        review=getattr(case, "mexico_review", None),
        plans=plans,
        panels=panels,
        remedies=list(Remedy.objects.filter(case=case).only(*PUBLIC_REMEDY_FIELDS).order_by("imposed_on")),
        petitioners=PublicPetitioners.of(case),
        documents=documents,
        other_cases_at_facility=list(
            listed_cases()
            .filter(covers(id__in=[link.facility_id for link in case.facility_links.all()]))
            .exclude(pk=case.pk)
        ),
        sources=_sources(case=case, events=events, plans=plans, panels=panels, documents=documents),
    )


def facility_page(*, pk: int) -> tuple[Facility, list[Case]]:
    facility = public_facilities().filter(pk=pk).first()
    if facility is None:
        raise Http404(pk)
    return facility, list(listed_cases().filter(covers(id=facility.pk)))


@dataclass(frozen=True)
class CompanyPage:
    company: Company
    facilities: list[Facility]
    cases: list[Case]
    subsidiaries: list[Company]
    parent: Company | None


def company_page(*, pk: int) -> CompanyPage:
    """A company named in a case, its facilities that have cases, and the companies of its group that
    have cases too."""
    company = public_companies().filter(pk=pk).first()
    if company is None:
        raise Http404(pk)
    return CompanyPage(
        company=company,
        facilities=list(public_facilities().filter(operator=company).order_by("name")),
        cases=list(listed_cases().filter(covers(operator=company))),
        subsidiaries=list(public_companies().filter(parent=company).order_by("name")),
        parent=public_companies().filter(pk=company.parent_id).first() if company.parent_id else None,
    )
