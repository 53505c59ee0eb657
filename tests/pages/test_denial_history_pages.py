"""The facility and company pages show the determinations of denial and the remedy tier a next one may
reach, as information, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from rrm.choices import EventKind
from rrm.models import Facility
from tests.factories import CaseFactory, CompanyFactory, FacilityFactory, TimelineEventFactory
from tests.pages.addresses import in_spanish
from tests.pages.test_public_pages import text_of


def denied_facility() -> Facility:
    parent = CompanyFactory()
    facility = FacilityFactory(operator=CompanyFactory(parent=parent))
    case = CaseFactory(facility=facility, case_id="us-mx-2023-denied")
    TimelineEventFactory(
        case=case,
        kind=EventKind.PANEL_DETERMINATION_DENIAL,
        occurred_on=dt.date(2025, 8, 1),
        source_url="https://example.org/panel",
    )
    CaseFactory(facility=FacilityFactory(operator=CompanyFactory(parent=parent)))
    return facility


@pytest.mark.django_db
def test_it_shows_a_facilitys_denial_and_the_tier_a_next_one_may_reach(client: Client) -> None:
    facility = denied_facility()

    page = text_of(client.get(reverse("pages:facility-detail", args=[facility.pk])))

    assert "Determinations of denial" in page
    assert "Information, not a legal conclusion: the record holds 1 determination of denial" in page
    assert "the measures may reach those goods too." in page
    assert "us-mx-2023-denied" in page and "Panel determination: denial" in page


@pytest.mark.django_db
def test_it_shows_the_owners_denial_on_another_companys_page_in_spanish(spanish_client: Client) -> None:
    facility = denied_facility()
    sister = Facility.objects.exclude(pk=facility.pk).get(operator__parent=facility.operator.parent)

    page = text_of(spanish_client.get(in_spanish(reverse("pages:company-detail", args=[sister.operator_id]))))

    assert "Determinaciones de denegación" in page
    assert "Otra instalación del mismo propietario" in page and "us-mx-2023-denied" in page
