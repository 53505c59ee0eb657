"""`?format=csv` on the public lists: every matching row, streamed from a database cursor, flat
columns, UTF-8 with an optional byte-order mark, and the bulk export's escaping."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework.test import APIClient

from public import selectors
from public.api import renderers, views
from public.api.pagination import PublicPagination
from public.api.serializers import CaseSerializer, EventSerializer
from rrm.models import Case
from tests.factories import (
    CaseFactory,
    FacilityFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
)
from tests.public.conftest import body, committed, csv_table

pytestmark = pytest.mark.usefixtures("generous_budget")
CASES = "/api/v1/public/cases/"
EVENTS = "/api/v1/public/events/"
# The columns of a list not searched (q=): no snippet, as in its JSON answer.
UNSEARCHED = {"searched": False}


def test_it_streams_every_one_of_120_cases(db: None, api: APIClient) -> None:
    with committed():
        CaseFactory.create_batch(120)

    rows = csv_table(api.get(CASES, {"format": "csv"}))

    assert sorted(row["case_id"] for row in rows) == sorted(Case.objects.values_list("case_id", flat=True))
    assert len(rows) == 120


@pytest.mark.usefixtures("imported_cases")
def test_it_gives_every_real_event_not_a_first_page(api: APIClient) -> None:
    rows = csv_table(api.get(EVENTS, {"format": "csv"}))
    expected = sorted(selectors.public_events().values_list("pk", flat=True))

    assert len(expected) > PublicPagination.page_size  # more than the first page
    assert sorted(int(row["id"]) for row in rows) == expected


@pytest.mark.usefixtures("imported_cases")
def test_it_streams_only_the_rows_that_match_the_filters(api: APIClient) -> None:
    rows = csv_table(api.get(CASES, [("format", "csv"), ("year", "2022"), ("year", "2023")]))

    shown = api.get(CASES, {"year": "2022,2023", "page_size": 1000}).json()["results"]
    assert [row["case_id"] for row in rows] == [row["case_id"] for row in shown]


def test_it_answers_from_a_cursor_chunk_by_chunk_never_the_whole_list(db: None, api: APIClient) -> None:
    with committed():
        CaseFactory.create_batch(3)
    chunks: list[int | None] = []
    original = QuerySet.iterator

    def spied(queryset: QuerySet, chunk_size: int | None = None) -> Any:
        chunks.append(chunk_size)
        return original(queryset, chunk_size=chunk_size)

    with mock.patch.object(QuerySet, "iterator", spied):
        response = api.get(CASES, {"format": "csv"})
        assert response.streaming
        assert chunks == []  # nothing is read before the stream is
        rows = csv_table(response)

    assert chunks == [views.CSV_CHUNK_ROWS]
    assert len(rows) == 3


def test_it_sends_the_stream_in_pieces_of_bounded_size(db: None) -> None:
    rows = ({"name": f"Planta {number}", "note": "ñ" * 100} for number in range(5000))

    pieces = list(renderers.csv_lines(["name", "note"], rows, bom=False))

    assert len(pieces) > 5
    assert max(len(piece) for piece in pieces) < 2 * renderers.STREAM_PIECE


def case_with_petitioners() -> Case:
    with committed():
        case = CaseFactory(facility=FacilityFactory(name="Planta Querétaro", state="QUE"))
        petition = PetitionFactory(case=case)
        PetitionerFactory(petition=petition, organisation=OrganisationFactory(name="Sindicato Ñandú"))
        PetitionerFactory(
            petition=petition, role="co", organisation=OrganisationFactory(name="Liga de Trabajadores")
        )
    return case


def test_it_writes_flat_columns_with_people_joined_readably(db: None, api: APIClient) -> None:
    case = case_with_petitioners()

    (row,) = csv_table(api.get(CASES, {"format": "csv"}))

    assert list(row) == list(renderers.columns_of(CaseSerializer(context=UNSEARCHED)))
    assert row["petitioners"] == "Sindicato Ñandú (union, lead); Liga de Trabajadores (union, co)"
    assert row["facility.name"] == "Planta Querétaro"
    assert row["facilities"].startswith(f"Planta Querétaro ({case.facility.pk}, Silao, QUE")
    assert not [value for value in row.values() if value.startswith(("[", "{"))]


def test_it_writes_one_column_per_field_of_every_list(db: None, api: APIClient) -> None:
    with committed():
        event = CaseFactory().events.create(kind="note", occurred_on="2024-03-04", source_note="test")

    (row,) = csv_table(api.get(EVENTS, {"format": "csv"}))

    assert list(row) == list(renderers.columns_of(EventSerializer(context=UNSEARCHED)))
    assert row["id"] == str(event.pk)


def test_it_adds_a_byte_order_mark_only_when_asked(db: None, api: APIClient) -> None:
    case_with_petitioners()

    plain = body(api.get(CASES, {"format": "csv"}))
    marked = body(api.get(CASES, {"format": "csv", "bom": "1"}))
    refused = api.get(CASES, {"format": "csv", "bom": "yes"})

    assert plain.startswith(b"case_id,")
    assert marked == b"\xef\xbb\xbf" + plain
    assert "Ñandú" in marked.decode("utf-8-sig")
    assert refused.status_code == 400


def test_it_escapes_formulas_as_the_bulk_export_does(db: None, api: APIClient) -> None:
    with committed():
        CaseFactory(facility=FacilityFactory(name='=HYPERLINK("http://evil.example","x")'))

    (row,) = csv_table(api.get(CASES, {"format": "csv"}))

    assert row["facility.name"] == '\'=HYPERLINK("http://evil.example","x")'


def test_it_keeps_the_csv_of_a_case_page_flat_too(db: None, api: APIClient) -> None:
    case = case_with_petitioners()

    response = api.get(reverse("v1:public:case-detail", kwargs={"case_id": case.case_id}), {"format": "csv"})
    (row,) = csv_table(response)

    assert row["petitioners"] == "Sindicato Ñandú (union, lead); Liga de Trabajadores (union, co)"
    assert not [value for value in row.values() if value.startswith(("[", "{"))]
