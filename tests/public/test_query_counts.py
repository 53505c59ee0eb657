"""Every public list answers with a number of SQL queries that does not grow with the page size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from public.models import Correction
from rrm.choices import EventKind
from rrm.models import DeadlineRule
from tests.factories import (
    CaseFactory,
    DeadlineFactory,
    DocumentFactory,
    PetitionerFactory,
    PetitionFactory,
    RemediationActionFactory,
    RemediationPlanFactory,
    TimelineEventFactory,
)
from tests.public.conftest import LISTS

CASES = 24


@pytest.fixture
def many_cases(db: None, generous_budget: object) -> None:
    rule = DeadlineRule.objects.get(code="mexico_review")
    for number in range(CASES):
        case = CaseFactory(request_for_review_on=dt.date(2024, 1, 1) + dt.timedelta(days=number))
        petition = PetitionFactory(case=case)
        PetitionerFactory(petition=petition, role="lead")
        PetitionerFactory(petition=petition, role="co")
        first = TimelineEventFactory(case=case, kind=EventKind.REQUEST_FOR_REVIEW)
        TimelineEventFactory(case=case, kind=EventKind.REQUEST_FOR_REVIEW, corrects=first)
        DeadlineFactory(case=case, rule=rule)
        plan = RemediationPlanFactory(case=case)
        RemediationActionFactory(plan=plan)
        RemediationActionFactory(plan=plan)
        DocumentFactory(case=case)
        Correction.objects.create(case=case, field="backpay_usd", reason="Source corrected.")


def queries_for(api: APIClient, path: str, page_size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, {"page_size": page_size})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["results"]) == page_size
    return len(captured)


@pytest.mark.parametrize("path", LISTS)
def test_it_runs_as_many_queries_for_a_page_of_twenty_as_for_a_page_of_two(
    path: str, many_cases: None, api: APIClient, settings: Settings
) -> None:
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 0  # every answer computed, none from the cache
    settings.PUBLIC_API_STATS_CACHE_SECONDS = 0  # the total count too
    api.get("/api/v1/public/")  # the caller's budget is read once, then cached

    small = queries_for(api, path, 2)
    large = queries_for(api, path, 20)

    assert small == large
    assert large <= 6


def test_it_loads_a_case_page_in_a_number_of_queries_that_does_not_grow_with_its_timeline(
    many_cases: None, api: APIClient, settings: Settings
) -> None:
    settings.PUBLIC_API_RESPONSE_CACHE_SECONDS = 0
    api.get("/api/v1/public/")
    short_case = CaseFactory()
    long_case = CaseFactory()
    for number in range(10):
        TimelineEventFactory(case=long_case)
        DeadlineFactory(
            case=long_case,
            rule=DeadlineRule.objects.get(code="mexico_review"),
            status="late",
            satisfied_on=dt.date(2024, 1, 1) + dt.timedelta(days=number),
            days_late=number + 1,
        )

    counts = []
    for case in (short_case, long_case):
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/api/v1/public/cases/{case.case_id}/")
        assert response.status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]
