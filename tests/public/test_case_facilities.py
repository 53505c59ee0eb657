"""A case of several facilities in the public API and the export: every facility listed in order, each
public, each matched by the case filters; the Parties and how the record is kept shown."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from public.export import write_export
from rrm.choices import CanadianProvince, CaseRecordBasis, Country, Sector
from rrm.models import Case, Facility
from tests.factories import CaseFacilityFactory, CaseFactory, FacilityFactory, TimelineEventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_budget")]
CASES = "/api/v1/public/cases/"


def two_facility_case() -> tuple[Case, Facility]:
    case = CaseFactory(facility__name="Centro Pachuca")
    second = FacilityFactory(
        name="Centro Toronto",
        city="Toronto",
        country=Country.CA,
        state=CanadianProvince.ON,
        sector=Sector.SERVICES,
    )
    CaseFacilityFactory(case=case, facility=second)
    return case, second


def test_it_lists_every_facility_of_a_case_in_order(api: APIClient) -> None:
    case, second = two_facility_case()

    detail = api.get(f"{CASES}{case.case_id}/").json()
    listed = api.get(CASES).json()["results"][0]

    assert [facility["name"] for facility in detail["facilities"]] == ["Centro Pachuca", "Centro Toronto"]
    assert detail["facilities"][1] == {
        "id": second.pk,
        "name": "Centro Toronto",
        "city": "Toronto",
        "state": "ON",
        "state_name": "Ontario",
        "country": "CA",
    }
    assert listed["facilities"] == detail["facilities"]
    assert detail["facility"]["country"] == "MX"


@pytest.mark.parametrize("filter_by", ["sector", "state", "company", "facility"])
def test_it_matches_a_case_by_any_of_its_facilities(api: APIClient, filter_by: str) -> None:
    case, second = two_facility_case()
    TimelineEventFactory(case=case)
    CaseFactory()
    value = {
        "sector": second.sector,
        "state": second.state,
        "company": second.operator_id,
        "facility": second.pk,
    }[filter_by]

    cases = api.get(CASES, {filter_by: value}).json()["results"]
    events = api.get("/api/v1/public/events/", {filter_by: value}).json()["results"]

    assert [row["case_id"] for row in cases] == [case.case_id]
    assert {row["case"] for row in events} == {case.case_id}


def test_it_makes_a_case_s_second_facility_and_its_company_public(api: APIClient) -> None:
    _, second = two_facility_case()

    facilities = api.get("/api/v1/public/facilities/", {"name": "Toronto"}).json()["results"]
    companies = {row["id"]: row for row in api.get("/api/v1/public/companies/").json()["results"]}

    assert [(row["id"], row["country"], row["case_count"]) for row in facilities] == [(second.pk, "CA", 1)]
    assert (companies[second.operator_id]["case_count"], companies[second.operator_id]["facility_count"]) == (
        1,
        1,
    )


def test_it_shows_the_parties_and_how_the_record_is_kept_in_the_request_s_language(api: APIClient) -> None:
    case = CaseFactory(record_basis=CaseRecordBasis.PUBLIC_SOURCES)

    english = api.get(f"{CASES}{case.case_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    spanish = api.get(f"{CASES}{case.case_id}/", HTTP_ACCEPT_LANGUAGE="es").json()

    assert (english["complainant"], english["respondent"], english["record_basis"]) == (
        "US",
        "MX",
        "public_sources",
    )
    assert (english["respondent_label"], english["record_basis_label"]) == (
        "Mexico",
        "Imported from public sources",
    )
    assert (spanish["respondent_label"], spanish["record_basis_label"]) == (
        "México",
        "Importado de fuentes públicas",
    )


def test_it_exports_every_facility_of_a_case(tmp_path: Path) -> None:
    case, second = two_facility_case()

    write_export(tmp_path / "export")
    with (tmp_path / "export" / "case_facilities.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["position"])
    with (tmp_path / "export" / "cases.csv").open(encoding="utf-8", newline="") as handle:
        (exported_case,) = csv.DictReader(handle)

    assert rows == [
        {"case_id": case.case_id, "facility_id": str(case.facility_id), "position": "0"},
        {"case_id": case.case_id, "facility_id": str(second.pk), "position": "1"},
    ]
    assert (exported_case["complainant"], exported_case["respondent"], exported_case["record_basis"]) == (
        "US",
        "MX",
        "staff",
    )
