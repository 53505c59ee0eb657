"""A case of several facilities on the pages: the case lists them all with its Parties and how its record
is kept, and each facility's and company's page lists the case."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rrm.choices import CaseRecordBasis, USState
from rrm.models import Case, Facility
from tests.factories import CaseFacilityFactory, CaseFactory, FacilityFactory
from tests.pages.addresses import in_spanish
from tests.pages.test_public_pages import listed_case_ids, text_of

pytestmark = pytest.mark.django_db


def two_facility_case() -> tuple[Case, Facility]:
    case = CaseFactory(
        facility__name="Centro Pachuca", facility__city="Pachuca", record_basis=CaseRecordBasis.PUBLIC_SOURCES
    )
    second = FacilityFactory(name="Centro Detroit", city="Detroit", country="US", state=USState.MI)
    CaseFacilityFactory(case=case, facility=second)
    return case, second


def test_it_lists_every_facility_of_the_case_with_its_parties_and_record(client: Client) -> None:
    case, _ = two_facility_case()

    page = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))

    listed = "Facilities covered Centro Pachuca , Pachuca, Guanajuato Centro Detroit , Detroit, Michigan"
    assert listed in page
    assert "Complaining Party United States Responding Party Mexico" in page
    assert "Record Imported from public sources" in page


def test_it_says_the_parties_and_the_record_in_spanish(spanish_client: Client) -> None:
    case = CaseFactory()

    page = text_of(spanish_client.get(in_spanish(reverse("pages:case-detail", args=[case.case_id]))))

    assert "Parte reclamante Estados Unidos Parte demandada México" in page
    assert "Registro Llevado aquí por el personal: cada acto se registra cuando ocurre" in page


def test_it_lists_the_case_on_the_pages_of_its_second_facility_and_company(client: Client) -> None:
    case, second = two_facility_case()

    facility_page = client.get(reverse("pages:facility-detail", args=[second.pk]))
    company_page = client.get(reverse("pages:company-detail", args=[second.operator_id]))

    assert listed_case_ids(facility_page) == {case.case_id}
    assert case.case_id in listed_case_ids(company_page)
