"""How the OpenAPI schema describes the public API's key (imported by the views, which registers it)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "public.api.throttles.ApiKeyAuthentication"
    name = "publicApiKey"
    # Without a key the API answers too, within the anonymous budget.
    optional = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "Optional: a key for a higher budget (or send `Authorization: Api-Key <key>`).",
        }
