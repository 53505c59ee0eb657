"""Every page renders with the real cases loaded in a bounded number of SQL queries, and the count does
not grow with the amount of data a page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from rrm.choices import EventKind
from rrm.models import Case, Company, Facility
from tests.api.world import make_officer
from tests.factories import (
    CaseFactory,
    DeadlineFactory,
    FacilityFactory,
    RemediationActionFactory,
    RemediationPlanFactory,
    TimelineEventFactory,
)

AssertMaxQueries = Callable[..., DjangoAssertNumQueries]

# Upper bounds per page; each is a handful of queries above what the page needs today.
PAGE_BOUNDS = {
    "home": 14,
    "case-list": 10,
    "case-list-filtered": 10,
    "statistics": 25,
    "staff-queue": 22,
}
# The case page reads its votes, reinstatements, payments and worker counts in one query each, and its
# filed petitions in one (a case may have several, so they are prefetched rather than joined).
CASE_PAGE_BOUND = 21
# The facility and company pages each read their determinations of denial in one query more.
# Their cases' filed petitions take one query (prefetched, a case may have several).
FACILITY_PAGE_BOUND = 8
COMPANY_PAGE_BOUND = 10
CSV_BOUND = 12


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("name", "view_name", "query"),
    [
        ("home", "pages:home", ""),
        ("case-list", "pages:case-list", ""),
        (
            "case-list-filtered",
            "pages:case-list",
            "?year=2023&sector=manufacturing&petitioner_type=self_initiated",
        ),
        ("statistics", "pages:statistics", ""),
    ],
)
def test_it_renders_each_public_page_of_the_real_cases_in_bounded_queries(
    real_cases: None,
    client: Client,
    django_assert_max_num_queries: AssertMaxQueries,
    name: str,
    view_name: str,
    query: str,
) -> None:
    with django_assert_max_num_queries(PAGE_BOUNDS[name]):
        response = client.get(reverse(view_name) + query)
    assert response.status_code == 200


def test_it_renders_every_real_case_page_in_bounded_queries(real_cases: None, client: Client) -> None:
    counts = {
        case_id: queries_for(client, reverse("pages:case-detail", args=[case_id]))
        for case_id in Case.objects.values_list("case_id", flat=True)
    }
    assert len(counts) == 21
    assert max(counts.values()) <= CASE_PAGE_BOUND, counts


def test_it_renders_every_real_facility_and_company_page_in_bounded_queries(
    real_cases: None, client: Client
) -> None:
    facility_counts = [
        queries_for(client, reverse("pages:facility-detail", args=[pk]))
        for pk in Facility.objects.values_list("pk", flat=True)
    ]
    company_counts = [
        queries_for(client, reverse("pages:company-detail", args=[pk]))
        for pk in Company.objects.values_list("pk", flat=True)
    ]
    assert max(facility_counts) <= FACILITY_PAGE_BOUND
    assert max(company_counts) <= COMPANY_PAGE_BOUND


def test_it_renders_each_statistics_csv_in_bounded_queries(
    real_cases: None, client: Client, django_assert_max_num_queries: AssertMaxQueries
) -> None:
    for slug in ("acceptance-by-year", "outcomes-by-sector", "stage-durations", "clock-compliance"):
        with django_assert_max_num_queries(CSV_BOUND):
            assert client.get(reverse("pages:statistics-csv", args=[slug])).status_code == 200


def test_it_renders_the_work_queue_over_the_real_cases_in_bounded_queries(
    real_cases: None, client: Client, django_assert_max_num_queries: AssertMaxQueries
) -> None:
    client.force_login(make_officer())
    with django_assert_max_num_queries(PAGE_BOUNDS["staff-queue"]):
        response = client.get(reverse("pages:staff-queue"))
    assert response.status_code == 200


def _case_with(*, events: int, deadlines: int, actions: int) -> Case:
    case = CaseFactory()
    for day in range(events):
        TimelineEventFactory(
            case=case, kind=EventKind.NOTE, occurred_on=dt.date(2024, 1, 1) + dt.timedelta(days=day)
        )
    for _ in range(deadlines):
        DeadlineFactory(case=case)
    plan = RemediationPlanFactory(case=case)
    for _ in range(actions):
        RemediationActionFactory(plan=plan)
    return case


def test_it_reads_a_case_page_in_the_same_queries_however_long_its_record(db: None, client: Client) -> None:
    short = _case_with(events=1, deadlines=1, actions=1)
    long = _case_with(events=30, deadlines=12, actions=15)
    assert queries_for(client, reverse("pages:case-detail", args=[short.case_id])) == queries_for(
        client, reverse("pages:case-detail", args=[long.case_id])
    )


def test_it_reads_a_case_list_page_in_the_same_queries_for_one_case_or_a_full_page(
    db: None, client: Client
) -> None:
    facility = FacilityFactory()
    CaseFactory(facility=facility)
    one = queries_for(client, reverse("pages:case-list"))
    CaseFactory.create_batch(30)
    assert queries_for(client, reverse("pages:case-list")) == one
