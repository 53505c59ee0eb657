"""A page of cases as the API shows them, built from the tuples of one SQL statement instead of model
instances, prefetches and a serializer: on a list without its response cache, those were most of a
request's time.

The statement is the ORM's (public.selectors.public_cases with the registry's columns, the facilities
and the petitioners CaseSerializer shows, as JSON), compiled once per process for unsearched pages;
how each value is shown comes from the same declarations as CaseSerializer (public.columns, field_for,
the nested row serializers). tests/public/test_case_rows.py holds the rows equal to CaseSerializer's,
field for field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import F, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.reverse import reverse

from public import columns, selectors
from public.api.serializers import (
    PETITIONER_SOURCES,
    CompanySummarySerializer,
    FacilityPlaceSerializer,
    FacilitySummarySerializer,
    as_stored,
    field_for,
    shown_by,
)
from public.columns import Api, Kind, Table
from public.search import SNIPPET, highlighted

# A case id that stands in a page address while the address is split around it.
PLACEHOLDER = "case-id"
# Where the page's keys go in the compiled statement's parameters.
KEYS = object()
KEYS_PARAMETER = RawSQL("SELECT unnest(%s::bigint[])", [KEYS])
Row = Sequence[Any]
Reader = Callable[[Row], Any]


def nested_fields(serializer: serializers.Serializer) -> list[tuple[str, str, Callable[[Any], Any]]]:
    """A nested row's fields: name, the column it reads, how it shows it."""
    return [(name, field.source or name, shown_by(field)) for name, field in serializer.fields.items()]


def sources(serializer: serializers.Serializer) -> list[str]:
    return list(dict.fromkeys(source for _name, source, _shown in nested_fields(serializer)))


def stored_paths(table: Table) -> list[str]:
    """The case's own columns a list row shows, as ORM paths (annotations of public_cases among them)."""
    listed = table.shown(Api.LIST)
    return list(dict.fromkeys(column.path for column in listed if column.kind is not Kind.COMPUTED))


def facility_places() -> ArraySubquery:
    """Every facility of the case in the sources' order, each a JSON object of the place's columns."""
    links = selectors.case_facilities().filter(case=OuterRef("pk")).order_by("position")
    place = JSONObject(**{name: F(f"facility__{name}") for name in sources(FacilityPlaceSerializer())})
    return ArraySubquery(links.values(json=place))


def named_petitioners() -> ArraySubquery:
    """The petitioners CaseSerializer names, in its order: petition by petition, the lead first."""
    shown = selectors.shown_petitioners()
    rows = shown.filter(petition__case=OuterRef("pk")).order_by("petition_id", *shown.query.order_by)
    person = JSONObject(**{key: F(path.replace(".", "__")) for key, path in PETITIONER_SOURCES.items()})
    return ArraySubquery(rows.values(json=person))


def rows_queryset(queryset: QuerySet, keys: Any, *, table: Table, searched: bool) -> QuerySet:
    """The values of the cases `keys` of `queryset` that a row shows (with the snippet when searched)."""
    wanted = [
        *stored_paths(table),
        *(f"facility__{name}" for name in sources(FacilitySummarySerializer())),
        *(f"facility__operator__{name}" for name in sources(CompanySummarySerializer())),
        *([SNIPPET] if searched else []),
    ]
    return (
        queryset.prefetch_related(None)
        .filter(pk__in=keys)
        .order_by()
        .values("pk", *dict.fromkeys(wanted))
        .annotate(places=facility_places(), petitioners=named_petitioners())
    )


@dataclass(frozen=True)
class Statement:
    """A compiled rows_queryset: its SQL and parameters, the name of each column of its tuples, and
    the ORM's converters of the values (an integer from EXTRACT, JSON) by column."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    using: str

    @classmethod
    def of(cls, queryset: QuerySet) -> Statement:
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = tuple(
            (index, tuple(functions), expression)
            for index, (functions, expression) in compiler.get_converters(selected).items()
        )
        # What Django's own values() names a row's columns by, in order.
        return cls(sql, tuple(params), tuple(query.selected or ()), converters, queryset.db)

    def rows(self, keys: Sequence[int]) -> list[list[Any]]:
        params = [list(keys) if param is KEYS else param for param in self.params]
        connection = connections[self.using]
        connection.ensure_connection()
        # Bound on the server and prepared once per connection (Django's cursors bind on the client and
        # never prepare): planning the statement anew for each page cost more than running it, and a
        # page of many keys is soon run from PostgreSQL's generic plan.
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(self.sql, params, prepare=True)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for index, functions, expression in self.converters:
                for convert in functions:
                    row[index] = convert(row[index], expression, connection)
        return rows


@cache
def unsearched_statement(table: Table) -> Statement:
    """The statement of every page that is not searched, for the registry's case `table`: filters only
    choose the keys, so the rows of those keys come from the unfiltered selector, compiled once."""
    return Statement.of(rows_queryset(selectors.public_cases(), KEYS_PARAMETER, table=table, searched=False))


def statement(queryset: QuerySet, *, searched: bool) -> Statement:
    if not searched:
        return unsearched_statement(columns.CASES)
    # The snippet depends on the words and is annotated on the searched queryset: compiled per request.
    return Statement.of(rows_queryset(queryset, KEYS_PARAMETER, table=columns.CASES, searched=True))


def nested_reader(
    serializer: serializers.Serializer, names: Sequence[str], prefix: str
) -> Callable[[Row], dict[str, Any]]:
    """A nested row (the facility, the company) read from the case's tuple."""
    fields = [
        (name, names.index(f"{prefix}{source}"), shown) for name, source, shown in nested_fields(serializer)
    ]
    return lambda row: {name: shown(row[index]) for name, index, shown in fields}


def places_reader(names: Sequence[str]) -> Reader:
    fields = nested_fields(FacilityPlaceSerializer())
    index = names.index("places")
    return lambda row: [
        {name: shown(place[source]) for name, source, shown in fields} for place in row[index]
    ]


def petitioners_reader(names: Sequence[str]) -> Reader:
    index = names.index("petitioners")
    # In CaseSerializer's order of keys (a JSON object from PostgreSQL has its keys sorted).
    return lambda row: [{key: person[key] for key in PETITIONER_SOURCES} for person in row[index]]


@cache
def readers(
    names: tuple[str, ...], table: Table, language: str | None, *, searched: bool
) -> tuple[tuple[str, Reader], ...]:
    """How each field of a row of `table` is read from a tuple of `names`, in the row's order; labels
    in `language`. The page address is read separately: it depends on the request."""
    computed: dict[str, Reader] = {
        "facility": nested_reader(FacilitySummarySerializer(), names, "facility__"),
        "company": nested_reader(CompanySummarySerializer(), names, "facility__operator__"),
        "facilities": places_reader(names),
        "petitioners": petitioners_reader(names),
    }
    if searched:
        snippet_index = names.index(SNIPPET)
        computed["snippet"] = lambda row: highlighted(row[snippet_index])
    fields: list[tuple[str, Reader]] = []
    for column in table.shown(Api.LIST):
        if column.name == "url":
            fields.append((column.name, lambda row: None))  # its place: case_rows fills it in per request
        elif column.name in computed:
            fields.append((column.name, computed[column.name]))
        elif column.kind is not Kind.COMPUTED:
            fields.append((column.name, stored_reader(names.index(column.path), shown_by(field_for(column)))))
    return tuple(fields)


def stored_reader(index: int, shown: Callable[[Any], Any]) -> Reader:
    if shown is as_stored:
        return itemgetter(index)
    return lambda row: shown(row[index])


def case_address(request: Request | None) -> Callable[[str], str]:
    """A function from a case id to the address of its page, as DRF's reverse builds it."""
    template = reverse("public:case-detail", kwargs={"case_id": PLACEHOLDER}, request=request)
    before, after = template.rsplit(PLACEHOLDER, 1)
    return lambda case_id: f"{before}{case_id}{after}"


def case_rows(
    queryset: QuerySet, keys: Sequence[int], *, request: Request | None, searched: bool
) -> list[dict[str, Any]]:
    """The rows of the cases `keys` of `queryset` (public.selectors.public_cases, filtered), in the
    order of `keys`: what CaseSerializer builds for them; a snippet only when `searched`."""
    chosen = statement(queryset, searched=searched)
    fields = readers(chosen.names, columns.CASES, get_language(), searched=searched)
    address = case_address(request)
    case_id = chosen.names.index("case_id")
    by_key = {row[0]: row for row in chosen.rows(keys)}
    rows = []
    for key in keys:
        row = by_key[key]
        shown = {name: read(row) for name, read in fields}
        shown["url"] = address(row[case_id])
        rows.append(shown)
    return rows
