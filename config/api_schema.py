"""The OpenAPI schema's generator: it walks the addresses outside the language prefix (/en/…, /es/…).

The pages under i18n_patterns hold no API view, and drf-spectacular cannot simplify a language prefix
when it resolves the namespace-versioned API (drf_spectacular.W001 in `check --deploy`).
"""

from typing import Any

from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator


def addresses_without_language() -> list[URLPattern | URLResolver]:
    return [
        pattern
        for pattern in get_resolver().url_patterns
        if not isinstance(pattern.pattern, LocalePrefixPattern)
    ]


class ApiSchemaGenerator(SchemaGenerator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.patterns is None and self.urlconf is None:
            self.patterns = addresses_without_language()
