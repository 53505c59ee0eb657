"""A case covers one or more facilities, in order, its `facility` first; it names the Party that
complains and the one that responds, both of its annex; a facility is in a state of its own country."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from rrm.choices import Annex, CanadianProvince, Country, MexicanState, USState
from rrm.mapping import Parties, map_parties, map_state
from rrm.models import CaseFacility
from tests.factories import CaseFacilityFactory, CaseFactory, FacilityFactory


def listed(case: object) -> list[int]:
    return list(
        CaseFacility.objects.filter(case=case).order_by("position").values_list("facility_id", flat=True)
    )


@pytest.mark.django_db
def test_it_lists_a_new_cases_facility_first() -> None:
    case = CaseFactory()

    assert listed(case) == [case.facility_id]


@pytest.mark.django_db
def test_it_keeps_the_first_listed_facility_the_cases_when_the_case_changes_facility() -> None:
    case = CaseFactory()
    second = CaseFacilityFactory(case=case).facility
    third = FacilityFactory()

    case.facility = second
    case.save()
    assert listed(case) == [second.pk]

    case.facility = third
    case.save()
    assert listed(case) == [third.pk]


@pytest.mark.django_db
def test_it_refuses_a_first_facility_other_than_the_cases() -> None:
    case = CaseFactory()
    with pytest.raises(IntegrityError, match="first facility of case"):
        CaseFacility.objects.filter(case=case, position=0).update(facility=FacilityFactory())


@pytest.mark.django_db
def test_it_refuses_a_facility_listed_twice_in_one_case() -> None:
    case = CaseFactory()
    with pytest.raises(IntegrityError, match="case_facility_listed_once"):
        CaseFacilityFactory(case=case, facility=case.facility)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("annex", "complainant", "respondent"),
    [
        (Annex.A31, Country.CA, Country.MX),
        (Annex.B31, Country.US, Country.MX),
        (Annex.A31, Country.MX, Country.MX),
    ],
    ids=["Canada under 31-A", "the United States under 31-B", "Mexico against itself"],
)
def test_it_refuses_parties_their_annex_does_not_bind(annex: str, complainant: str, respondent: str) -> None:
    with pytest.raises(IntegrityError, match="case_parties_of_its_annex"):
        CaseFactory(annex=annex, complainant=complainant, respondent=respondent)


@pytest.mark.django_db
def test_it_accepts_mexico_complaining_of_a_us_facility_under_31a() -> None:
    facility = FacilityFactory(country=Country.US, state=USState.TX)

    case = CaseFactory(annex=Annex.A31, complainant=Country.MX, respondent=Country.US, facility=facility)

    assert (case.complainant, case.respondent, case.facility.state) == ("MX", "US", "TX")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "state"),
    [(Country.MX, USState.TX), (Country.US, MexicanState.NLE), (Country.CA, USState.MI)],
)
def test_it_refuses_a_state_of_another_country(country: str, state: str) -> None:
    with pytest.raises(IntegrityError, match="facility_state_of_its_country"):
        FacilityFactory(country=country, state=state)


@pytest.mark.parametrize(
    ("written", "country", "code"),
    [
        ("Texas", Country.US, USState.TX),
        ("US-TX", Country.US, USState.TX),
        ("Québec", Country.CA, CanadianProvince.QC),
        ("ON", Country.CA, CanadianProvince.ON),
        ("Nuevo León", Country.MX, MexicanState.NLE),
    ],
)
def test_it_maps_the_states_of_the_three_countries(written: str, country: str, code: str) -> None:
    assert map_state(written, country=country) == code


def test_it_maps_no_state_of_another_country() -> None:
    assert (map_state("Texas"), map_state("Nuevo León", country=Country.US)) == (None, None)


@pytest.mark.parametrize(
    ("annex", "case_id", "parties"),
    [
        (Annex.A31, "us-mx-2021-gm-silao", Parties(complainant="US", respondent="MX")),
        (Annex.B31, "ca-mx-2023-fraenkische-silao", Parties(complainant="CA", respondent="MX")),
        (Annex.A31, "mx-us-2026-a-plant", Parties(complainant="MX", respondent="US")),
        (Annex.A31, "petition-2022-saint-gobain-cuautla", Parties(complainant="US", respondent="MX")),
        (Annex.B31, "a-claim", Parties(complainant="CA", respondent="MX")),
        (Annex.A31, "ca-mx-2023-a-plant", None),
        (Annex.B31, "us-ca-2023-a-plant", None),
    ],
)
def test_it_derives_the_parties_from_the_annex_and_the_case_ids_prefix(
    annex: str, case_id: str, parties: Parties | None
) -> None:
    assert map_parties(annex=annex, case_id=case_id) == parties
