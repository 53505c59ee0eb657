"""A page of cases as the API shows them, built as JSON text by PostgreSQL from one SQL statement instead
of model instances, prefetches and a serializer: on a list without its response cache, building the rows
and their JSON in Python was most of a request's time.

The statement is the ORM's (public.selectors.public_cases with the registry's columns, the facilities
and the petitioners CaseSerializer shows), compiled once per process for unsearched pages and prepared
on the server. How each value is shown is read from the same declarations as CaseSerializer
(public.columns, field_for, the nested row serializers): `shown_in_sql` is shown_by's twin in SQL, and
tests/public/test_case_rows.py holds the rows equal to CaseSerializer's, field for field and in order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, count
from typing import Any

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import (
    CharField,
    DecimalField,
    Expression,
    F,
    Func,
    JSONField,
    OuterRef,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.reverse import reverse

from public import columns, selectors
from public.api.serializers import (
    PLAIN_FIELDS,
    CompanySummarySerializer,
    FacilityPlaceSerializer,
    FacilitySummarySerializer,
    LabelField,
    PetitionerSerializer,
    field_for,
)
from public.columns import Api, Kind, Table
from public.search import SNIPPET, highlighted

# A case id that stands in a page address while the address is split around it.
PLACEHOLDER = "case-id"
# The column of a row's JSON text.
ROW = "row"
# The field of a searched row's snippet, whose HTML public.search.highlighted makes.
SNIPPET_FIELD = "snippet"


@dataclass(frozen=True)
class Execution:
    """What a run of the compiled statement is given: the page's keys and how its addresses begin and end."""

    keys: Sequence[int]
    address_before: str
    address_after: str


@dataclass(frozen=True, eq=False)
class Late:
    """A parameter of the statement whose value is chosen at each run: the statement is compiled once."""

    sql_type: str
    value: Callable[[Execution], Any]

    def sql(self) -> RawSQL:
        # A subquery, so that PostgreSQL casts the value once per run (an InitPlan), not once per row: a
        # generic plan does not fold a parameter's cast, and the labels of states are a sizeable JSON.
        return RawSQL(f"(SELECT %s::{self.sql_type})", [self])


KEYS = Late("bigint[]", lambda run: list(run.keys))
ADDRESS_BEFORE = Late("text", lambda run: run.address_before)
ADDRESS_AFTER = Late("text", lambda run: run.address_after)
# The page's keys as a subquery of pk__in.
KEYS_SUBQUERY = RawSQL("SELECT unnest(%s::bigint[])", [KEYS])
TIME_ZONE = Late("text", lambda _run: timezone.get_current_timezone_name())


class JsonObject(Func):
    """json_build_object, whose keys keep the order given (JSONObject builds jsonb, which sorts them)."""

    function = "JSON_BUILD_OBJECT"
    output_field = JSONField()

    def __init__(self, fields: dict[str, Expression | F]) -> None:
        pairs = ((Cast(RawSQL("%s", [name]), TextField()), value) for name, value in fields.items())
        super().__init__(*chain.from_iterable(pairs))


class JsonArray(Func):
    """The rows of a subquery of JSON values as one JSON array (empty, not null, when it has none)."""

    template = "ARRAY_TO_JSON(%(expressions)s)"
    output_field = JSONField()


class Label(Func):
    """A code's label from a JSON object of the labels in the request's language; an unknown code as is."""

    output_field = CharField()

    def __init__(self, labels: Late, path: str) -> None:
        super().__init__(labels.sql(), F(path))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        (labels, labels_params), (code, code_params) = map(compiler.compile, self.get_source_expressions())
        return f"COALESCE({labels} ->> {code}, {code})", [*labels_params, *code_params, *code_params]


class IsoDateTime(Func):
    """A moment as DRF's DateTimeField shows it: in the current time zone, ISO 8601, microseconds only when
    there are any, Z for UTC."""

    template = (
        "(SELECT TO_CHAR(moment AT TIME ZONE zone, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN TO_CHAR(moment, 'US') = '000000' THEN '' ELSE TO_CHAR(moment, '.US') END"
        " || CASE WHEN shift = INTERVAL '0' THEN 'Z'"
        " WHEN shift < INTERVAL '0' THEN '-' || TO_CHAR(-shift, 'HH24:MI')"
        " ELSE '+' || TO_CHAR(shift, 'HH24:MI') END"
        " FROM (SELECT %(expressions)s) AS given(moment, zone),"
        " LATERAL (SELECT (moment AT TIME ZONE zone) - (moment AT TIME ZONE 'UTC')) AS offset_of(shift))"
    )
    output_field = CharField()

    def __init__(self, path: str) -> None:
        super().__init__(F(path), TIME_ZONE.sql())


def labels_parameter(field: LabelField) -> Late:
    """The labels of `field`'s codes as a JSON object, in the language of each run."""

    @cache
    def in_language(_language: str | None) -> str:
        return json.dumps({code: str(label) for code, label in field.labels.items()})

    return Late("jsonb", lambda _run: in_language(get_language()))


def shown_in_sql(field: serializers.Field, path: str) -> Expression | F:
    """How `field` shows the column at `path`, as public.api.serializers.shown_by does, in SQL."""
    column = F(path)
    if type(field) in PLAIN_FIELDS or type(field) is serializers.DateField:
        return column  # PostgreSQL writes a date in JSON as ISO 8601, as DRF does
    if isinstance(field, LabelField):
        return Label(labels_parameter(field), path)
    if isinstance(field, serializers.DecimalField):
        places = DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places)
        return Cast(Cast(column, places), TextField())  # DRF's string of the number with its places
    if isinstance(field, serializers.DateTimeField):
        return IsoDateTime(path)
    raise TypeError(f"{type(field).__name__} has no SQL twin: add one beside shown_by's.")


def row_object(serializer: serializers.Serializer, prefix: str = "") -> JsonObject:
    """A row of `serializer` as a JSON object of the columns under `prefix`."""
    return JsonObject(
        {
            name: shown_in_sql(field, prefix + (field.source or name).replace(".", "__"))
            for name, field in serializer.fields.items()
        }
    )


def facility_places() -> JsonArray:
    """Every facility of the case in the sources' order."""
    links = selectors.case_facilities().filter(case=OuterRef("pk")).order_by("position")
    return JsonArray(ArraySubquery(links.values(json=row_object(FacilityPlaceSerializer(), "facility__"))))


def named_petitioners() -> JsonArray:
    """The petitioners CaseSerializer names, in its order: petition by petition, the lead first."""
    shown = selectors.shown_petitioners()
    rows = shown.filter(petition__case=OuterRef("pk")).order_by("petition_id", *shown.query.order_by)
    return JsonArray(ArraySubquery(rows.values(json=row_object(PetitionerSerializer()))))


def case_address() -> Func:
    return Func(
        ADDRESS_BEFORE.sql(), F("case_id"), ADDRESS_AFTER.sql(), function="CONCAT", output_field=CharField()
    )


def case_object(table: Table, *, searched: bool) -> JsonObject:
    """A list row of `table` as a JSON object, its fields in the table's order. A searched row holds its
    snippet's place with null: the snippet's HTML is made afterwards, in Python (with_snippet)."""
    computed: dict[str, Callable[[], Expression | F]] = {
        "url": case_address,
        "facility": lambda: row_object(FacilitySummarySerializer(), "facility__"),
        "company": lambda: row_object(CompanySummarySerializer(), "facility__operator__"),
        "facilities": facility_places,
        "petitioners": named_petitioners,
        SNIPPET_FIELD: lambda: RawSQL("NULL", []),
    }
    return JsonObject(
        {
            column.name: computed[column.name]()
            if column.kind is Kind.COMPUTED
            else shown_in_sql(field_for(column), column.path)
            for column in table.shown(Api.LIST)
            if searched or column.name != SNIPPET_FIELD
        }
    )


def rows_queryset(
    queryset: QuerySet, keys: Expression | QuerySet, *, table: Table, searched: bool
) -> QuerySet:
    """The cases `keys` of `queryset`: the key, the row's JSON text, and the snippet when searched."""
    return (
        queryset.prefetch_related(None)
        .filter(pk__in=keys)
        .order_by()
        .values("pk", *([SNIPPET] if searched else []))
        .annotate(**{ROW: Cast(case_object(table, searched=searched), TextField())})
    )


def given(params: Sequence[Any], run: Execution) -> list[Any]:
    """The parameters of a compiled statement with the values of its Late ones for `run`."""
    return [param.value(run) if isinstance(param, Late) else param for param in params]


@dataclass(frozen=True)
class Statement:
    """A compiled rows_queryset: its SQL, its parameters (Late ones chosen at each run), the names of the
    columns of its tuples."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    using: str

    @classmethod
    def of(cls, queryset: QuerySet) -> Statement:
        query = queryset.query
        sql, params = query.get_compiler(queryset.db).as_sql()
        # What Django's own values() names a row's columns by, in order.
        return cls(numbered(sql), tuple(params), tuple(query.selected or ()), queryset.db)

    def rows(self, run: Execution) -> list[tuple[Any, ...]]:
        params = given(self.params, run)
        connection = connections[self.using]
        connection.ensure_connection()
        # Bound on the server and prepared once per connection (Django's cursors bind on the client and
        # never prepare): planning the statement anew for each page cost more than running it, and a
        # page of many keys is soon run from PostgreSQL's generic plan.
        with connection.wrap_database_errors, psycopg.RawCursor(connection.connection) as cursor:
            cursor.execute(self.sql, params, prepare=True)
            return cursor.fetchall()


def numbered(sql: str) -> str:
    """Django's SQL (%s for a parameter, %% for %) with PostgreSQL's own $1, $2 ... instead: psycopg
    parses a statement as long as this one at every run (its cache takes shorter ones), which cost a
    sixth of a page's time; a RawCursor sends it as it is."""
    position = count(1)
    return re.sub("%[s%]", lambda found: "%" if found[0] == "%%" else f"${next(position)}", sql)


@cache
def unsearched_statement(table: Table) -> Statement:
    """The statement of every page that is not searched, for the registry's case `table`: filters only
    choose the keys, so the rows of those keys come from the unfiltered selector, compiled once."""
    return Statement.of(rows_queryset(selectors.public_cases(), KEYS_SUBQUERY, table=table, searched=False))


def statement(queryset: QuerySet, *, searched: bool) -> Statement:
    if not searched:
        return unsearched_statement(columns.CASES)
    # The snippet depends on the words and is annotated on the searched queryset: compiled per request.
    return Statement.of(rows_queryset(queryset, KEYS_SUBQUERY, table=columns.CASES, searched=True))


def address_parts(request: Request | None) -> tuple[str, str]:
    """What comes before and after the case id in the address of a case's page, as DRF's reverse builds it."""
    template = reverse("public:case-detail", kwargs={"case_id": PLACEHOLDER}, request=request)
    before, after = template.rsplit(PLACEHOLDER, 1)
    return before, after


def with_snippet(row: str, snippet: str | None) -> str:
    """A searched row with its snippet as HTML in its place."""
    shown = json.loads(row)
    shown[SNIPPET_FIELD] = highlighted(snippet)
    return json.dumps(shown, ensure_ascii=False)


def case_json_rows(
    queryset: QuerySet, keys: Sequence[int], *, request: Request | None, searched: bool
) -> list[str]:
    """The rows of the cases `keys` of `queryset` (public.selectors.public_cases, filtered) as JSON text, in
    the order of `keys`: what CaseSerializer builds for them; a snippet only when `searched`."""
    chosen = statement(queryset, searched=searched)
    before, after = address_parts(request)
    tuples = chosen.rows(Execution(keys, before, after))
    row_at = chosen.names.index(ROW)
    if searched:
        snippet_at = chosen.names.index(SNIPPET)
        by_key = {found[0]: with_snippet(found[row_at], found[snippet_at]) for found in tuples}
    else:
        by_key = {found[0]: found[row_at] for found in tuples}
    return [by_key[key] for key in keys]


def case_rows(
    queryset: QuerySet, keys: Sequence[int], *, request: Request | None, searched: bool
) -> Iterator[dict[str, Any]]:
    """The same rows as dictionaries (for CSV)."""
    return map(json.loads, case_json_rows(queryset, keys, request=request, searched=searched))
