"""The determinations of denial per facility and per owner, and the remedy tier a next one may reach,
shown as information (docs/mechanism.md, "Remedies")."""

from __future__ import annotations

import datetime as dt

import pytest

from public.selectors import public_cases
from rrm.choices import DatePrecision, EventKind
from rrm.models import Case, Facility
from rrm.selectors import RemedyTier, company_denial_history, facility_denial_history
from tests.factories import (
    CaseFacilityFactory,
    CaseFactory,
    CompanyFactory,
    FacilityFactory,
    PetitionFactory,
    TimelineEventFactory,
)

FINDING = EventKind.MEXICO_FINDING_DENIAL
PANEL = EventKind.PANEL_DETERMINATION_DENIAL


def denial_case(facility: Facility, on: dt.date, kind: str = FINDING) -> Case:
    case = CaseFactory(facility=facility)
    TimelineEventFactory(case=case, kind=kind, occurred_on=on, source_url="https://ustr.gov/a")
    return case


@pytest.mark.django_db
def test_it_finds_no_determination_and_a_first_tier_where_the_record_holds_no_denial() -> None:
    facility = CaseFactory().facility
    TimelineEventFactory(case=facility.case_links.get().case, kind=EventKind.MEXICO_FINDING_NO_DENIAL)

    history = facility_denial_history(facility=facility, cases=public_cases())

    assert (history.own, history.owner, history.next_tier) == ([], [], RemedyTier.FIRST)
    assert "holds 0 determinations" in history.information()


@pytest.mark.django_db
def test_it_lists_one_denial_with_its_date_and_source_and_a_repeat_tier_next() -> None:
    facility = FacilityFactory()
    case = CaseFactory(facility=facility)
    TimelineEventFactory(
        case=case,
        kind=PANEL,
        occurred_on=dt.date(2025, 8, 1),
        date_precision=DatePrecision.MONTH,
        source_url="https://example.org/panel",
    )

    history = facility_denial_history(facility=facility, cases=public_cases())

    [determination] = history.own
    assert (determination.case_id, determination.kind, determination.occurred_on) == (
        case.case_id,
        PANEL,
        dt.date(2025, 8, 1),
    )
    assert (determination.date_precision, determination.source_url) == ("month", "https://example.org/panel")
    assert history.next_tier == RemedyTier.REPEAT
    assert "holds 1 determination of denial" in history.information()
    assert history.citation == "USMCA Annex 31-A, Art. 31-A.10 (Remedies); 19 U.S.C. §4693"


@pytest.mark.django_db
def test_it_reaches_the_entry_tier_after_a_repeat_at_the_same_facility() -> None:
    facility = FacilityFactory()
    first = denial_case(facility, dt.date(2023, 5, 1))
    second = denial_case(facility, dt.date(2024, 6, 1))

    history = facility_denial_history(facility=facility, cases=public_cases())

    assert [determination.case_id for determination in history.own] == [first.case_id, second.case_id]
    assert history.next_tier == RemedyTier.ENTRY


@pytest.mark.django_db
def test_it_counts_a_denial_of_the_same_owner_at_another_facility() -> None:
    parent = CompanyFactory()
    facility = FacilityFactory(operator=CompanyFactory(parent=parent))
    sister = FacilityFactory(operator=CompanyFactory(parent=parent))
    other_owner = FacilityFactory()
    denial_case(sister, dt.date(2023, 5, 1))
    denial_case(other_owner, dt.date(2023, 5, 1))
    denial_case(facility, dt.date(2024, 6, 1))

    history = facility_denial_history(facility=facility, cases=public_cases())
    company = company_denial_history(company=sister.operator, cases=public_cases())

    assert (len(history.own), len(history.owner), history.next_tier) == (1, 1, RemedyTier.ENTRY)
    assert (len(company.own), len(company.owner)) == (1, 1)


@pytest.mark.django_db
def test_it_counts_a_case_with_a_finding_and_a_panel_determination_once_dated_by_the_earlier() -> None:
    facility = FacilityFactory()
    case = denial_case(facility, dt.date(2024, 2, 1), kind=PANEL)
    TimelineEventFactory(case=case, kind=FINDING, occurred_on=dt.date(2023, 9, 1))
    CaseFacilityFactory(case=case, facility=FacilityFactory(operator=facility.operator))

    history = company_denial_history(company=facility.operator, cases=public_cases())

    [determination] = history.own
    assert (determination.kind, determination.occurred_on) == (FINDING, dt.date(2023, 9, 1))
    assert (history.owner, history.next_tier) == ([], RemedyTier.REPEAT)


@pytest.mark.django_db
def test_it_counts_a_corrected_denial_no_more() -> None:
    facility = FacilityFactory()
    case = CaseFactory(facility=facility)
    wrong = TimelineEventFactory(case=case, kind=FINDING, occurred_on=dt.date(2023, 9, 1))
    TimelineEventFactory(case=case, kind=EventKind.CORRECTION, corrects=wrong)

    assert facility_denial_history(facility=facility, cases=public_cases()).own == []


@pytest.mark.django_db
def test_it_never_counts_a_draft_petition_or_a_case_outside_the_public_cases() -> None:
    facility = FacilityFactory()
    PetitionFactory(case=None, status="draft", facility=facility, submitted_at=None)
    withheld = denial_case(facility, dt.date(2023, 5, 1))

    history = facility_denial_history(facility=facility, cases=public_cases().exclude(pk=withheld.pk))

    assert (history.own, history.owner, history.next_tier) == ([], [], RemedyTier.FIRST)
