"""Page-number pagination whose total count is cached with the data version, with RFC 8288 Link headers
(so that a CSV page, which has no envelope, can be followed too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from public import freshness

# Query parameters that do not change which rows match, only which of them are shown and how.
PRESENTATION_PARAMETERS = frozenset({"page", "page_size", "format", "ordering"})


class CachedCountPaginator(Paginator):
    """COUNT(*) over a million cases costs more than the page itself: it is kept per data version."""

    count_key: str | None = None

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return int(super().count)
        return freshness.cached_or_computed(
            self.count_key,
            lambda: int(super(CachedCountPaginator, self).count),
            seconds=settings.PUBLIC_API_STATS_CACHE_SECONDS,
        )


def count_key(request: Request, version: freshness.DataVersion) -> str:
    filters = sorted(
        f"{name}={values}"
        for name, values in request.query_params.lists()
        if name not in PRESENTATION_PARAMETERS
    )
    return version.key("count", request.path, *filters)


def rows_of_keys(queryset: QuerySet[Any], keys: list[Any]) -> list[Any]:
    """The rows `keys` of `queryset` with their joins and subqueries, in the order of `keys`."""
    rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
    return [rows[key] for key in keys]


class PublicPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 50, at most 1000)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    # The data version the answer is for, when the view has read it already (PublicView.answer).
    version: freshness.DataVersion | None = None

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        """The rows of the page in two steps: their keys, in order, from the filters and the ordering
        alone; then the rows with their joins and subqueries for those keys only. In one step,
        PostgreSQL computes the joins and subqueries of every row it skips to reach a deep page
        (OFFSET)."""
        if not isinstance(queryset, QuerySet) or queryset.query.combinator:
            return list(self.window(queryset, request))
        return rows_of_keys(queryset, self.page_keys(queryset, request))

    def page_keys(self, queryset: QuerySet[Any], request: Request) -> list[Any]:
        """The primary keys of the page's rows, in order."""
        return list(self.window(queryset, request).values_list("pk", flat=True))

    def window(self, queryset: QuerySet[Any] | Sequence[Any], request: Request) -> Any:
        """The requested page's slice of `queryset`."""
        paginator = CachedCountPaginator(queryset, self.get_page_size(request) or self.page_size)
        paginator.count_key = count_key(request, self.version or freshness.current_version())
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(f"Page {number!r} does not exist: {error}") from error
        self.request = request
        return self.page.object_list

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response
