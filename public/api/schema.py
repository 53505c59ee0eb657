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


def snippet_only_when_searched(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular hook: a row has its `snippet` only in the answer to a search (q=), so the
    property is never required, though read-only fields otherwise are."""
    for component in result.get("components", {}).get("schemas", {}).values():
        required = component.get("required", [])
        if "snippet" in required:
            required.remove("snippet")
    return result
