"""The public facility and company detail give the determinations of denial and the remedy tier a next
one may reach, as information."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from rrm.choices import DatePrecision, EventKind
from tests.factories import CaseFactory, FacilityFactory, TimelineEventFactory


@pytest.mark.django_db
def test_it_gives_a_facilitys_determinations_and_the_next_tier(api: APIClient) -> None:
    facility = FacilityFactory()
    case = CaseFactory(facility=facility, case_id="us-mx-2024-denied")
    TimelineEventFactory(
        case=case,
        kind=EventKind.MEXICO_FINDING_DENIAL,
        occurred_on=dt.date(2024, 5, 1),
        date_precision=DatePrecision.MONTH,
        source_url="https://example.org/finding",
    )

    history = api.get(f"/api/v1/public/facilities/{facility.pk}/").json()["denial_history"]

    [determination] = history["determinations"]
    assert determination["case_id"] == "us-mx-2024-denied"
    assert (determination["occurred_on"], determination["date_precision"]) == ("2024-05-01", "month")
    assert determination["source_url"] == "https://example.org/finding"
    assert (history["owner_determinations"], history["count"], history["next_tier"]) == ([], 1, "repeat")
    assert history["information"].startswith("Information, not a legal conclusion")
    assert history["citation"] == "USMCA Annex 31-A, Art. 31-A.10 (Remedies); 19 U.S.C. §4693"


@pytest.mark.django_db
def test_it_gives_a_companys_history_in_spanish_and_refuses_one_without_cases(api: APIClient) -> None:
    facility = CaseFactory().facility

    answer = api.get(f"/api/v1/public/companies/{facility.operator_id}/", HTTP_ACCEPT_LANGUAGE="es")

    history = answer.json()["denial_history"]
    assert (history["count"], history["next_tier"]) == (0, "first")
    assert history["information"].startswith("Información, no una conclusión jurídica")
    assert api.get(f"/api/v1/public/companies/{FacilityFactory().operator_id}/").status_code == 404
