"""The public lists' filter syntax over the real cases: several values in both forms, states by code or
name, companies by slug, a range on every date column, and a 400 naming what each parameter takes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
import pytest
from rest_framework.test import APIClient

from public import selectors
from public.api import filters
from public.api.index import ENDPOINTS
from rrm.models import Case, Company, Deadline, TimelineEvent
from tests.factories import CompanyFactory
from tests.public.conftest import committed

pytestmark = pytest.mark.usefixtures("db", "generous_budget")
real_cases = pytest.mark.usefixtures("imported_cases")
CASES = "/api/v1/public/cases/"
EVENTS = "/api/v1/public/events/"
DEADLINES = "/api/v1/public/deadlines/"
# Every list with filters, and its FilterSet.
FILTERED = {
    f"/api/v1/public/{name}/": view.filterset_class
    for name, view in ENDPOINTS.items()
    if getattr(view, "filterset_class", None) is not None
}


def listed(api: APIClient, path: str, params: Any) -> list[Any]:
    response = api.get(path, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = body["results"]
    while body["next"]:
        body = api.get(body["next"]).json()
        rows += body["results"]
    return [row.get("case_id", row.get("id")) for row in rows]


def case_ids(api: APIClient, params: dict[str, Any] | list[tuple[str, str]]) -> list[str]:
    pairs = list(params.items()) if isinstance(params, dict) else params
    return sorted(listed(api, CASES, [("page_size", "1000"), *pairs]))


@real_cases
def test_it_takes_several_values_comma_separated_or_repeated(api: APIClient) -> None:
    of_2023, of_2024 = case_ids(api, {"year": 2023}), case_ids(api, {"year": 2024})

    comma = case_ids(api, {"year": "2023,2024"})
    repeated = case_ids(api, [("year", "2023"), ("year", "2024")])

    assert of_2023 and of_2024
    assert comma == repeated == sorted(of_2023 + of_2024)
    assert case_ids(api, [("state", "GUA,COA"), ("state", "TAM")]) == sorted(
        Case.objects.filter(facility__state__in=["GUA", "COA", "TAM"]).values_list("case_id", flat=True)
    )


@real_cases
def test_it_takes_a_state_by_code_or_by_name(api: APIClient) -> None:
    by_code = case_ids(api, {"state": "GUA"})
    written = ["Guanajuato", "guanajuato", "GUANAJUATO", "gua", "MX-GUA"]

    assert by_code
    assert [case_ids(api, {"state": state}) for state in written] == [by_code] * len(written)


@real_cases
def test_it_folds_accents_and_case_in_state_names_as_the_importer_does(api: APIClient) -> None:
    expected = case_ids(api, {"state": "NLE,MEX"})

    assert case_ids(api, [("state", "nuevo leon"), ("state", "Estado de México")]) == expected
    assert case_ids(api, {"state": "Nuevo León,edomex"}) == expected


@real_cases
def test_it_takes_a_company_by_its_slug(api: APIClient) -> None:
    company = Company.objects.get(name__startswith="Manufacturas VU")

    assert case_ids(api, {"company": company.slug}) == ["us-mx-2022-vu-1", "us-mx-2023-vu-2"]
    assert case_ids(api, {"company": company.pk}) == case_ids(api, {"company": company.slug})


@real_cases
def test_it_shows_the_company_slug_where_it_shows_a_company(api: APIClient) -> None:
    company = Company.objects.get(name__startswith="Manufacturas VU")
    case = api.get(f"{CASES}us-mx-2022-vu-1/").json()
    companies = api.get("/api/v1/public/companies/", {"name": "Manufacturas VU"}).json()["results"]

    assert company.slug.startswith("manufacturas-vu")
    assert case["company"]["slug"] == company.slug
    assert [row["slug"] for row in companies] == [company.slug]


@real_cases
def test_it_keeps_a_companys_slug_when_its_name_changes(api: APIClient) -> None:
    company = Company.objects.get(name__startswith="Manufacturas VU")
    before = company.slug
    with committed():
        company.name = "VU Manufacturing, renamed"
        company.save()

    company.refresh_from_db()
    assert company.slug == before
    assert case_ids(api, {"company": before}) == ["us-mx-2022-vu-1", "us-mx-2023-vu-2"]


def test_it_gives_each_company_a_slug_of_its_own_with_accents_folded() -> None:
    first = CompanyFactory(name="Compañía Minera, S.A.")
    second = CompanyFactory(name="Compania  Minera S A")
    digits = CompanyFactory(name="2024")

    assert (first.slug, second.slug) == ("compania-minera-sa", "compania-minera-s-a")
    assert CompanyFactory(name="Compañía Minera SA").slug == "compania-minera-sa-2"
    assert digits.slug == "company-2024"


@real_cases
def test_it_filters_every_date_column_by_an_inclusive_range(api: APIClient) -> None:
    day = TimelineEvent.objects.order_by("occurred_on").values_list("occurred_on", flat=True)[10]
    on_day = {"occurred_on_after": day.isoformat(), "occurred_on_before": day.isoformat()}
    received_2023 = {"petition_received_on_after": "2023-01-01", "petition_received_on_before": "2023-12-31"}
    due = dt.date(2024, 6, 30)

    assert sorted(listed(api, EVENTS, {"page_size": 1000, **on_day})) == sorted(
        selectors.public_events().filter(occurred_on=day).values_list("pk", flat=True)
    )
    assert case_ids(api, received_2023) == sorted(
        Case.objects.filter(petition_received_on__year=2023).values_list("case_id", flat=True)
    )
    assert sorted(listed(api, DEADLINES, {"page_size": 1000, "due_date_before": due.isoformat()})) == sorted(
        Deadline.objects.filter(due_date__lte=due).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("path", "parameter", "named"),
    [
        (CASES, "search", "year"),
        (DEADLINES, "due_before", "due_date_before"),
        ("/api/v1/public/corrections/", "state", "updated_since"),
        ("/api/v1/public/stats/", "page", "group_by"),
    ],
)
def test_it_refuses_an_unknown_parameter_naming_the_valid_ones(
    api: APIClient, path: str, parameter: str, named: str
) -> None:
    response = api.get(path, {parameter: "2024"})

    assert response.status_code == 400
    (message,) = response.json()[parameter]
    assert message.startswith("Unknown parameter. Valid parameters:")
    assert named in message.split(": ", 1)[1].rstrip(".").split(", ")


def test_it_never_silently_ignores_a_search(api: APIClient) -> None:
    """`q` is refused until full-text search takes it; then it matches nothing here. Either way the
    answer is never every case."""
    response = api.get(CASES, {"q": "zzqx-matches-nothing"})

    assert response.status_code == 400 or response.json()["count"] == 0


def refusable(filterset_class: type[django_filters.FilterSet]) -> list[str]:
    """The filters of a FilterSet that refuse some value: all but those of free text."""
    return [
        name
        for name, refusing in filterset_class.base_filters.items()
        if not isinstance(refusing, django_filters.CharFilter)
    ]


@pytest.mark.parametrize(
    ("path", "name"), [(path, name) for path, filterset in FILTERED.items() for name in refusable(filterset)]
)
def test_it_answers_every_filters_invalid_value_with_400_naming_what_it_takes(
    api: APIClient, path: str, name: str
) -> None:
    field = FILTERED[path]().form.fields[name]

    response = api.get(path, {name: "no-such-value"})

    assert response.status_code == 400, name
    assert list(response.json()) == [name]
    assert response.json()[name][-1] == filters.takes(field)
    assert filters.takes(field).startswith(("Valid values:", "Format:"))


def test_it_names_the_state_codes_when_it_refuses_a_state(api: APIClient) -> None:
    response = api.get(CASES, {"state": "Atlantis"})

    assert response.status_code == 400
    assert "Valid values: AGU, BCN, BCS" in response.json()["state"][-1]


@real_cases
def test_it_counts_repeated_values_apart_in_the_statistics(api: APIClient) -> None:
    both = api.get("/api/v1/public/stats/", [("year", "2023"), ("year", "2024")]).json()
    last = api.get("/api/v1/public/stats/", {"year": "2024"}).json()

    assert both["filters"] == {"year": "2023,2024"}
    assert both["groups"][0]["n"] == len(case_ids(api, {"year": "2023,2024"}))
    assert both["groups"][0]["n"] > last["groups"][0]["n"]
