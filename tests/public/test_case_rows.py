"""The case rows built directly are DRF's: CaseSerializer's own rows (RowSerializer) are what DRF builds
from the declared fields, and the rows built from SQL tuples (public.api.case_rows) are
CaseSerializer's, field for field and in order, in both languages, searched or not; the list answers
with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.versioning import NamespaceVersioning

from public.api.case_rows import case_rows
from public.api.serializers import CaseSerializer
from public.search import RANK, matching_cases
from public.selectors import public_cases
from rrm.models import Case
from tests.factories import (
    CaseFacilityFactory,
    CaseFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
)

pytestmark = pytest.mark.usefixtures("imported_cases")


@pytest.fixture
def odd_cases(db: None) -> None:
    """Cases with what the real ones lack: money with cents, several facilities, an anonymous petition,
    a petitioner who asked not to be named, two petitions with a lead and a co-petitioner each."""
    crowded = CaseFactory(
        backpay_usd=Decimal("1234.5"),
        backpay_is_floor=True,
        workers_covered=0,
        outcome_date=dt.date(2024, 2, 29),
        petition_received_on=dt.date(2023, 12, 31),
        liquidation_suspended_on=dt.date(2024, 1, 2),
        liquidation_resumed_on=dt.date(2024, 3, 4),
    )
    CaseFacilityFactory(case=crowded)
    CaseFacilityFactory(case=crowded)
    for _ in range(2):
        petition = PetitionFactory(case=crowded)
        PetitionerFactory(petition=petition, organisation=OrganisationFactory(), role="co")
        PetitionerFactory(petition=petition, organisation=OrganisationFactory(), role="lead")
        PetitionerFactory(petition=petition, role="co", identity_confidential=True)
    hidden = CaseFactory(request_for_review_on=dt.date(2022, 7, 1))
    PetitionerFactory(petition=PetitionFactory(case=hidden, anonymous=True), role="lead")


def api_request(path: str = "/api/v1/public/cases/") -> Request:
    request = Request(APIRequestFactory().get(path))
    request.version, request.versioning_scheme = "v1", NamespaceVersioning()
    return request


def serialized(queryset: QuerySet, request: Request, *, searched: bool) -> list[list[tuple[str, Any]]]:
    serializer = CaseSerializer(queryset, many=True, context={"request": request, "searched": searched})
    return [list(row.items()) for row in serializer.data]


def built(queryset: QuerySet, request: Request, *, searched: bool) -> list[list[tuple[str, Any]]]:
    keys = list(queryset.values_list("pk", flat=True))
    return [list(row.items()) for row in case_rows(queryset, keys, request=request, searched=searched)]


@pytest.mark.usefixtures("odd_cases")
def test_it_builds_every_case_row_as_drf_builds_it() -> None:
    serializer = CaseSerializer(context={"request": api_request()})

    for case in public_cases():
        built = serializer.to_representation(case)
        generic = serializers.Serializer.to_representation(serializer, case)
        assert list(built.items()) == list(generic.items()), case.case_id


@pytest.mark.usefixtures("odd_cases")
@pytest.mark.parametrize("language", ["en", "es"])
def test_it_builds_every_case_row_as_the_serializer_does(language: str) -> None:
    cases = public_cases().order_by("case_id")
    request = api_request()

    with translation.override(language):
        expected = serialized(cases, request, searched=False)
        rows = built(cases, request, searched=False)

    assert len(rows) == cases.count() > 20
    assert rows == expected


@pytest.mark.usefixtures("odd_cases")
@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Kolkata"])
def test_it_shows_moments_in_the_current_time_zone_as_the_serializer_does(zone: str) -> None:
    first, second = public_cases().order_by("case_id")[:2]
    # On the second in summer time, and with microseconds in winter time.
    Case.objects.filter(pk=first.pk).update(updated_at=dt.datetime(2024, 7, 1, 12, 0, tzinfo=dt.UTC))
    Case.objects.filter(pk=second.pk).update(updated_at=dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    cases = public_cases().order_by("case_id")
    request = api_request()

    with timezone.override(zone):
        rows = built(cases, request, searched=False)
        expected = serialized(cases, request, searched=False)

    assert [dict(row)["updated_at"] for row in rows[:2]] == [dict(row)["updated_at"] for row in expected[:2]]
    assert rows == expected


@pytest.mark.usefixtures("odd_cases")
def test_it_builds_searched_rows_with_their_snippets_as_the_serializer_does() -> None:
    cases = matching_cases(public_cases(), "Tridonex").order_by(f"-{RANK}", "pk")
    request = api_request("/api/v1/public/cases/?q=Tridonex")

    rows = built(cases, request, searched=True)

    assert rows and all(dict(row)["snippet"] for row in rows)
    assert rows == serialized(cases, request, searched=True)


@pytest.mark.usefixtures("odd_cases")
def test_it_answers_the_list_with_the_built_rows_in_the_lists_order() -> None:
    answer = APIClient().get("/api/v1/public/cases/", {"page_size": 1000})
    cases = public_cases().order_by("case_id", "pk")

    assert answer.status_code == 200
    expected = serialized(cases, api_request(), searched=False)
    assert [list(row.items()) for row in answer.json()["results"]] == expected
