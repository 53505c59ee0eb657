"""Answers of the case-management API are for their caller alone: no browser or shared cache keeps them.

One place for every endpoint of every app under /api/v1/, errors included; the public API under
/api/v1/public/ keeps its own caching headers (ETag, Last-Modified, max-age).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

API_NAMESPACE = "v1"
PUBLIC_NAMESPACE = "public"
PRIVATE_CACHE_CONTROL = "private, no-store"


def is_case_management_api(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    namespaces = match.namespaces
    return namespaces[:1] == [API_NAMESPACE] and namespaces[1:2] != [PUBLIC_NAMESPACE]


class PrivateApiCacheControlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_case_management_api(request):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
