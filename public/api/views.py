"""The public, read-only API: no login, public fields only, CSV for every list, validators on every
answer, a budget per caller."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from public import columns, freshness, selectors
from public.api import filters, renderers
from public.api.case_rows import case_json_rows, case_rows
from public.api.figures import StatsSerializer
from public.api.pagination import PublicPagination
from public.api.renderers import CSVRenderer, JSONRenderer, JsonText
from public.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    CompanySerializer,
    CorrectionSerializer,
    DeadlineSerializer,
    EventSerializer,
    FacilitySerializer,
    PlanSerializer,
)
from public.api.throttles import ApiKeyAuthentication, TierThrottle
from public.figure_definitions import FIGURE_DEFINITIONS, PUBLISHED_TOTALS_DEFINITION
from public.figure_store import stored_statistics
from public.published_totals import published_totals
from public.statistics import GROUPINGS, LOW_N, statistics
from rrm.models import Case, Deadline

CSV_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="csv: every matching row as CSV, streamed (page and page_size do not apply), flat "
    "columns, UTF-8.",
)
BOM_PARAMETER = OpenApiParameter(
    renderers.BOM_PARAMETER,
    OpenApiTypes.STR,
    enum=list(renderers.BOM_VALUES),
    description="1: start the CSV with a UTF-8 byte-order mark, for Excel.",
)
FILTER_NOTE = (
    "Filters combine with AND; several values of one filter are comma-separated (state=GUA,COA) or "
    "repeated (state=GUA&state=COA); every date column has an inclusive range (<column>_after, "
    "<column>_before, ISO dates). An unknown parameter or value is a 400 naming the parameter and what "
    "it takes."
)
# Rows read from the database cursor at a time by a CSV stream.
CSV_CHUNK_ROWS = 2000


class StoredResponse(Response):
    """An answer rendered earlier and kept in the cache: its bytes are served as they are."""

    def __init__(self, stored: dict[str, Any]) -> None:
        super().__init__(headers=stored["headers"])
        self.stored_content: bytes = stored["content"]
        self.stored_type: str = stored["content_type"]

    @property
    def rendered_content(self) -> bytes:  # type: ignore[override]  # DRF renders bytes; stubs say str
        self["Content-Type"] = self.stored_type
        return self.stored_content


def snapshot(response: Response) -> dict[str, Any]:
    return {
        "content": bytes(response.content),
        "content_type": response["Content-Type"],
        "headers": {name: response[name] for name in ("Link",) if response.has_header(name)},
    }


class PublicView(GenericAPIView):
    """What every public endpoint shares: API-key or anonymous access, throttling, JSON and CSV,
    ETag and Last-Modified with 304 answers, and the rendered answer kept in the cache."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [TierThrottle]
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class: type[PublicPagination] | None = PublicPagination
    filter_backends = [filters.StrictFilterBackend, filters.StrictOrderingFilter]
    throttles: Sequence[BaseThrottle] = ()
    # What the view answers from: a function of public.selectors.
    selector: Callable[[], QuerySet]
    # Query parameters the view reads itself, besides those of its filters, pagination and format.
    parameters: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        return self.selector()

    def known_parameters(self) -> set[str]:
        """Every query parameter the view takes: its filter backends' (the FilterSet's filters,
        ordering), its paginator's, the format's, and its own."""
        known = {api_settings.URL_FORMAT_OVERRIDE, renderers.BOM_PARAMETER, *self.parameters}
        if self.pagination_class is not None:
            known |= {self.pagination_class.page_query_param, self.pagination_class.page_size_query_param}
        for backend in self.filter_backends:
            known.update(filters.parameters_of(backend(), self))
        return known

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        filters.refuse_unknown(request.query_params, self.known_parameters())
        renderers.refuse_unknown_bom(request.query_params)

    def searched(self) -> bool:
        # A row has a snippet only in a search's answer, and in the OpenAPI schema (a "fake" view).
        return getattr(self, "swagger_fake_view", False) or "q" in self.request.query_params

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "searched": self.searched()}

    def get_throttles(self) -> list[BaseThrottle]:
        self.throttles = super().get_throttles()
        return list(self.throttles)

    def throttled(self, request: Request, wait: float) -> NoReturn:
        for throttle in self.throttles:
            if isinstance(throttle, TierThrottle) and throttle.remaining == 0:
                raise exceptions.Throttled(**throttle.refusal())
        super().throttled(request, wait)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        for throttle in self.throttles:
            if isinstance(throttle, TierThrottle):
                for name, value in throttle.headers().items():
                    response[name] = value
        return response

    def identity(self, request: Request) -> str:
        """What the answer depends on besides the data: scheme, host (its links, `next`, Link and the
        index's URLs, are built from them), path, query, negotiated format, and the language of its labels
        (LocaleMiddleware's choice, which answers vary by)."""
        # The scheme and host are part of the key rather than links coming from a configured base URL: a Host
        # header Django accepted (ALLOWED_HOSTS) then only ever reaches the caller who sent it, every
        # caller of the real host still shares one entry, and the links stay right on every address the
        # service answers on (the proxy's https name, a loopback healthcheck) with no setting to keep true.
        address = request.build_absolute_uri(request.path)
        query = sorted(f"{name}={value}" for name, values in request.query_params.lists() for value in values)
        return f"{address}?{'&'.join(query)}|{request.accepted_renderer.format}|{get_language()}"

    def answer(self, request: Request, produce: Callable[[], HttpResponseBase]) -> HttpResponseBase:
        identity = self.identity(request)
        seconds = settings.PUBLIC_API_RESPONSE_CACHE_SECONDS
        # The rendered answer is stored under the request alone, with the version it was rendered for,
        # so that the version and the answer come in one round trip.
        cache_key = f"public:response:{hashlib.sha256(identity.encode()).hexdigest()[:40]}"
        version, found = freshness.current_version_and(*([cache_key] if seconds else []))
        if isinstance(self.paginator, PublicPagination):
            self.paginator.version = version  # the page total is kept under it: no second read
        etag = f'"{version.digest("etag", identity)}"'
        last_modified = version.last_modified
        precondition = get_conditional_response(
            request._request, etag=etag, last_modified=int(last_modified.timestamp())
        )
        if precondition is not None:
            return self._validated(Response(status=precondition.status_code), etag, last_modified)
        stored = found.get(cache_key)
        if stored is not None and stored["etag"] == etag:
            return self._validated(StoredResponse(stored), etag, last_modified)
        response = self._validated(produce(), etag, last_modified)
        # A stream is never kept: it may be larger than the cache should hold.
        if seconds and response.status_code == 200 and isinstance(response, Response):
            response.add_post_render_callback(
                lambda rendered: cache.set(cache_key, {**snapshot(rendered), "etag": etag}, seconds)
            )
        return response

    def _validated(
        self, response: HttpResponseBase, etag: str, last_modified: dt.datetime
    ) -> HttpResponseBase:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, no_cache=True)
        return response


def listing(summary: str, description: str, *parameters: OpenApiParameter) -> Callable[[type], type]:
    """The OpenAPI description of a public list, which answers in JSON or CSV."""
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[CSV_PARAMETER, BOM_PARAMETER, *parameters],
        tags=["public"],
    )


def streamed(queryset: QuerySet) -> Any:
    """The rows of `queryset` from a server-side cursor, CSV_CHUNK_ROWS at a time (with their
    prefetched rows), inside a transaction: outside one, PostgreSQL would copy the whole result before
    the first row (a WITH HOLD cursor)."""
    with transaction.atomic():
        yield from queryset.iterator(chunk_size=CSV_CHUNK_ROWS)


class PublicListView(PublicView, ListAPIView):
    # A CSV list is a StreamingHttpResponse, which DRF passes through as it does any HttpResponseBase.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if request.accepted_renderer.format == CSVRenderer.format:
            return self.answer(request, lambda: self.csv_stream(request))
        return self.answer(request, lambda: self.page(request))

    def page(self, request: Request) -> Response:
        """The requested page of rows as JSON."""
        return super().list(request)

    def csv_stream(self, request: Request) -> StreamingHttpResponse:
        """Every matching row, in the list's order, as CSV: no page, and memory that does not grow with
        the number of rows."""
        serializer = cast(serializers.Serializer, self.get_serializer())
        rows = self.every_row(self.filter_queryset(self.get_queryset()), serializer)
        lines = renderers.csv_lines(
            renderers.columns_of(serializer), rows, bom=renderers.wants_bom(request.query_params)
        )
        return StreamingHttpResponse(lines, content_type=f"text/csv; charset={CSVRenderer.charset}")

    def every_row(self, queryset: QuerySet, serializer: serializers.Serializer) -> Iterator[dict[str, Any]]:
        return (serializer.to_representation(row) for row in streamed(queryset))


class PublicDetailView(PublicView, RetrieveAPIView):
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return self.answer(request, lambda: super(PublicDetailView, self).retrieve(request, *args, **kwargs))


# --------------------------------------------------------------------------------------------------
# Lists


@functools.cache
def built_cases(table: columns.Table) -> QuerySet:
    return selectors.public_cases()


def cloned_cases() -> QuerySet:
    """public_cases, built once for the registry's case table (which it reads) and cloned for each
    request: building it anew cost more than a page's SQL."""
    return built_cases(columns.CASES).all()


@listing(
    "Cases",
    "Every case of the record, public fields only. " + FILTER_NOTE,
)
class CaseList(PublicListView):
    serializer_class = CaseSerializer
    filterset_class = filters.CaseListFilter
    # case_id is unique, so it alone orders the cases, from its index: with a tie-breaker after it
    # PostgreSQL sorts what the index already orders, which a deep page pays for every row it skips.
    ordering = ["case_id"]
    ordering_fields = [
        "case_id",
        "updated_at",
        "petition_received_on",
        "request_for_review_on",
        "outcome_date",
        "ustr_invocation_no",
    ]
    selector = staticmethod(cloned_cases)

    def page(self, request: Request) -> Response:
        # Rows written as JSON by PostgreSQL (public.api.case_rows), not model instances through
        # CaseSerializer.
        queryset = self.filter_queryset(self.get_queryset())
        keys = cast(PublicPagination, self.paginator).page_keys(queryset, request)
        rows = case_json_rows(queryset, keys, request=request, searched=self.searched())
        return self.get_paginated_response(JsonText(rows))

    def every_row(self, queryset: QuerySet, serializer: serializers.Serializer) -> Iterator[dict[str, Any]]:
        # The keys in order from a server-side cursor; each chunk's rows built as a page's are.
        with transaction.atomic():
            keys = queryset.values_list("pk", flat=True).iterator(chunk_size=CSV_CHUNK_ROWS)
            while chunk := list(itertools.islice(keys, CSV_CHUNK_ROWS)):
                yield from case_rows(queryset, chunk, request=self.request, searched=self.searched())


@extend_schema(
    summary="One case",
    description="A case with its timeline, deadlines (verdict and explanation), Mexico's review, "
    "remediation, panels, remedies and public documents.",
    tags=["public"],
)
class CaseDetail(PublicDetailView):
    serializer_class = CaseDetailSerializer
    lookup_field = "case_id"
    filter_backends: list[type] = []
    selector = staticmethod(selectors.case_detail_queryset)


class NamedInCasesList(PublicListView):
    """Facilities or companies: the rows cases name, listed by name."""

    ordering = ["name", "pk"]
    ordering_fields = ["name", "updated_at", "pk"]


@listing("Facilities", "Facilities named in at least one case.")
class FacilityList(NamedInCasesList):
    serializer_class = FacilitySerializer
    filterset_class = filters.FacilityFilter
    ordering_fields = [*NamedInCasesList.ordering_fields, "state"]
    selector = staticmethod(selectors.public_facilities)


@listing("Companies", "Companies operating a facility named in a case.")
class CompanyList(NamedInCasesList):
    serializer_class = CompanySerializer
    filterset_class = filters.CompanyFilter
    selector = staticmethod(selectors.public_companies)


@listing(
    "Timeline events",
    "Every dated event of every case; an event corrected by a later one is flagged. " + FILTER_NOTE,
)
class EventList(PublicListView):
    serializer_class = EventSerializer
    filterset_class = filters.EventFilter
    # Append-only rows: the key orders them as they were recorded, and needs no sort of the whole table.
    ordering = ["pk"]
    ordering_fields = ["occurred_on", "recorded_at", "pk"]
    selector = staticmethod(selectors.public_events)


@listing(
    "Deadlines",
    "Every statutory or treaty clock of every case with its verdict (met, late, pending, "
    "overdue, missed, cancelled) and how its due date was computed; rules tagged U are marked unconfirmed. "
    + FILTER_NOTE,
)
class DeadlineList(PublicListView):
    serializer_class = DeadlineSerializer
    filterset_class = filters.DeadlineFilter
    ordering = ["due_date", "pk"]
    ordering_fields = ["due_date", "start_date", "updated_at", "pk"]
    selector = staticmethod(selectors.public_deadlines)


@listing(
    "Remediation outcomes",
    "Courses of remediation and USTR–company agreements, with their actions and verification. " + FILTER_NOTE,
)
class PlanList(PublicListView):
    serializer_class = PlanSerializer
    filterset_class = filters.PlanFilter
    ordering = ["agreed_on", "pk"]
    ordering_fields = ["agreed_on", "updated_at", "pk"]
    selector = staticmethod(selectors.public_plans)


@listing(
    "Corrections",
    "Changelog of corrections to the public record, newest first: entries written by staff, and "
    "every timeline date that a later event corrected or retracted.",
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="Recorded at or after."),
    OpenApiParameter("case", OpenApiTypes.STR, description="Case identifier."),
)
class CorrectionList(PublicListView):
    serializer_class = CorrectionSerializer
    filter_backends: list[type] = []
    parameters = tuple(filters.ChangelogForm.base_fields)

    def get_queryset(self) -> QuerySet:
        form = filters.ChangelogForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(filters.explained(form))
        return selectors.corrections_changelog(
            since=form.cleaned_data["updated_since"], case_id=form.cleaned_data["case"]
        )


# --------------------------------------------------------------------------------------------------
# Statistics


@extend_schema(
    summary="Statistics",
    description=(
        "Figures over the cases that match the filters, for each group of `group_by` (one group 'all' "
        "without it). Every group reports n; a rate over fewer than 5 cases, and a duration from fewer "
        "than 5 cases, is flagged low_n. Definitions:\n\n"
        + "\n".join(f"- **{name}**: {text}" for name, text in FIGURE_DEFINITIONS.items())
        + f"\n\n**published_totals** (beside the groups): {PUBLISHED_TOTALS_DEFINITION}\n\n"
        + FILTER_NOTE
    ),
    parameters=[
        OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(GROUPINGS), description="Grouping."),
        OpenApiParameter(
            "format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: one row per group."
        ),
    ],
    responses=StatsSerializer,
    tags=["public"],
)
class StatsView(PublicView):
    filter_backends = [filters.StrictFilterBackend]
    filterset_class = filters.CaseFilter
    serializer_class = StatsSerializer
    pagination_class = None
    parameters = ("group_by",)
    selector = staticmethod(Case.objects.all)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.answer(request, lambda: Response(self.figures(request)))

    def figures(self, request: Request) -> dict[str, Any]:
        group_by = request.query_params.get("group_by") or None
        if group_by is not None and group_by not in GROUPINGS:
            raise exceptions.ValidationError(
                {"group_by": [f"'{group_by}' is not a grouping; choose one of: {', '.join(GROUPINGS)}."]}
            )
        cases = self.filter_queryset(self.get_queryset())
        deadlines = filters.DeadlineCaseFilter(request.query_params, queryset=Deadline.objects.all()).qs
        # Every value of a repeated parameter (year=2023&year=2024), as one comma-separated value.
        applied = {
            name: ",".join(values)
            for name, values in request.query_params.lists()
            if name in filters.CaseFilter.base_filters and any(values)
        }
        version = freshness.current_version()
        cache_key = version.key("stats", str(group_by), *sorted(f"{k}={v}" for k, v in applied.items()))
        groups = freshness.cached_or_computed(
            cache_key,
            lambda: (
                statistics(cases=cases, deadlines=deadlines, group_by=group_by, today=timezone.localdate())
                if applied
                else stored_statistics(group_by=group_by, today=timezone.localdate())
            ),
            seconds=settings.PUBLIC_API_STATS_CACHE_SECONDS,
        )
        return StatsSerializer(
            {
                "group_by": group_by,
                "filters": applied,
                "low_n_threshold": LOW_N,
                "definitions": FIGURE_DEFINITIONS,
                "groups": groups,
                "published_totals": published_totals(),
            }
        ).data
