"""The API's endpoints as the URL resolver knows them, and how to fill their path parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"
# The public, anonymous surface is another issue's, with its own tests of who sees what.
PUBLIC_PREFIX = "api/v1/public/"
UNLISTED_METHODS = frozenset({"options", "head"})


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str
    methods: tuple[str, ...]
    parameters: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            yield route, namespace, pattern


def _methods(pattern: URLPattern) -> tuple[str, ...]:
    view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return ()
    allowed = [
        method.upper()
        for method in view_class.http_method_names
        if method not in UNLISTED_METHODS and hasattr(view_class, method)
    ]
    return tuple(allowed)


def api_endpoints(*, include_public: bool = False) -> list[Endpoint]:
    """Every named route under /api/v1/ with the methods its view answers."""
    endpoints = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns, "", ""):
        if not route.startswith(API_PREFIX) or (route.startswith(PUBLIC_PREFIX) and not include_public):
            continue
        converters = tuple(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else ()
        endpoints.append(Endpoint(f"{namespace}{pattern.name}", route, _methods(pattern), converters))
    return endpoints
