"""The public lists over the real cases: filters, ordering, pagination, CSV, and clear 400s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from rrm.models import Case, Company
from tests.factories import CaseFactory
from tests.public.conftest import LISTS, committed, csv_table

pytestmark = pytest.mark.usefixtures("imported_cases", "generous_budget")
CASES = "/api/v1/public/cases/"


def case_ids(api: APIClient, **params: Any) -> list[str]:
    response = api.get(CASES, {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    return [row["case_id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "TAM"}, Case.objects.filter(facility__state="TAM")),
        ({"state": "TAM,COA"}, Case.objects.filter(facility__state__in=["TAM", "COA"])),
        ({"sector": "mining"}, Case.objects.filter(facility__sector="mining")),
        ({"annex": "31-B"}, Case.objects.filter(annex="31-B")),
        ({"outcome": "open"}, Case.objects.filter(outcome="open")),
        ({"stage": "resolved"}, Case.objects.filter(stage="resolved")),
        ({"initiation": "self_initiated"}, Case.objects.filter(initiation="self_initiated")),
        ({"petitioner_type": "self_initiated"}, Case.objects.filter(initiation="self_initiated")),
    ],
)
def test_it_filters_cases(api: APIClient, params: dict[str, str], expected: Any) -> None:
    assert sorted(case_ids(api, **params)) == sorted(expected.values_list("case_id", flat=True))


def test_it_filters_by_year_of_receipt_or_of_the_request(api: APIClient) -> None:
    shown = set(case_ids(api, year=2023))

    assert "us-mx-2023-asiaway-slp" in shown  # petition received 2023
    assert "us-mx-2023-draxton-irapuato" in shown  # self-initiated, request in 2023
    assert "us-mx-2024-minera-tizapa" not in shown


def test_it_filters_by_company(api: APIClient) -> None:
    company = Company.objects.get(name__startswith="Manufacturas VU")

    assert sorted(case_ids(api, company=company.pk)) == ["us-mx-2022-vu-1", "us-mx-2023-vu-2"]


def test_it_returns_only_cases_changed_since_a_moment_for_incremental_sync(api: APIClient) -> None:
    moment = dt.datetime.now(tz=dt.UTC)
    with committed():
        new = CaseFactory()
        old = Case.objects.get(case_id="us-mx-2021-gm-silao")
        old.title = "GM Silao"
        old.save()

    assert sorted(case_ids(api, updated_since=moment.isoformat())) == sorted([new.case_id, old.case_id])


def test_it_orders_and_pages_without_overlap(api: APIClient) -> None:
    first = api.get(CASES, {"ordering": "-case_id", "page_size": 10}).json()
    second = api.get(first["next"]).json()
    names = [row["case_id"] for row in first["results"] + second["results"]]

    assert names == sorted(Case.objects.values_list("case_id", flat=True), reverse=True)[:20]
    assert first["count"] == Case.objects.count()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "Atlantis"}, "state"),
        ({"year": "last"}, "year"),
        ({"outcome": "won"}, "outcome"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "narrative"}, "ordering"),
        ({"company": "GM"}, "company"),
    ],
)
def test_it_answers_400_naming_the_filter_with_a_bad_value(
    api: APIClient, params: dict[str, str], field: str
) -> None:
    response = api.get(CASES, params)

    assert response.status_code == 400
    assert field in response.json()


def test_it_answers_404_for_a_page_past_the_end(api: APIClient) -> None:
    response = api.get(CASES, {"page": 99})

    assert response.status_code == 404
    assert "99" in response.json()["detail"]


@pytest.mark.parametrize("path", LISTS)
def test_it_gives_every_row_of_every_list_as_csv_whatever_the_page_size(api: APIClient, path: str) -> None:
    as_json = api.get(path, {"page_size": 5}).json()

    response = api.get(path, {"page_size": 5, "format": "csv"})
    rows = csv_table(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == as_json["count"]
    assert not response.has_header("Link")


def test_it_flattens_nested_fields_into_dotted_csv_columns(api: APIClient) -> None:
    response = api.get(CASES, {"case": "us-mx-2021-tridonex", "format": "csv"})
    (row,) = csv_table(response)

    assert row["facility.state"] == "TAM"
    assert row["company.name"].startswith("Tridonex")
    assert row["backpay_is_floor"] == "true"


def test_it_shows_each_deadline_with_its_verdict_and_explanation(api: APIClient) -> None:
    response = api.get(
        "/api/v1/public/deadlines/", {"case": "us-mx-2023-asiaway-slp", "rule": "ilc_screening"}
    )
    (deadline,) = response.json()["results"]

    assert deadline["verdict"] == "late"
    assert deadline["days_late"] == 3
    assert deadline["due_date"] == "2023-10-20"
    assert deadline["explanation"]["text"].startswith("30 calendar days from petition_received on 2023-09-20")
    assert deadline["unconfirmed"] is False


def test_it_shows_a_case_page_with_timeline_deadlines_and_review(api: APIClient) -> None:
    page = api.get(f"{CASES}us-mx-2023-san-martin-mine/").json()

    kinds = [event["kind"] for event in page["timeline"]]
    # events.csv: an earlier petition reported filed on 2022-08-05; the one received on 2023-05-15.
    assert kinds[0] == "petition_filed"
    assert kinds.index("petition_received") < kinds.index("request_for_review")
    assert {deadline["rule"]["code"] for deadline in page["deadlines"]} >= {
        "ilc_screening",
        "mexico_response",
    }
    assert page["mexico_review"]["response"] == "declined"
    assert page["outcome"] == "panel_no_denial"


def test_it_answers_404_for_an_unknown_case(api: APIClient) -> None:
    assert api.get(f"{CASES}no-such-case/").status_code == 404


def test_it_flags_repeat_facilities_and_companies(api: APIClient) -> None:
    facilities = api.get("/api/v1/public/facilities/", {"repeat": "true"}).json()["results"]
    companies = api.get("/api/v1/public/companies/", {"repeat": "true"}).json()["results"]

    assert [facility["name"] for facility in facilities] == ["Manufacturas VU, Piedras Negras"]
    assert [company["case_count"] for company in companies] == [2]
