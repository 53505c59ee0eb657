"""The OpenAPI schema: it validates with no warning, lists every route and method of /api/v1/, and
gives every case-management operation an example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from tests.api.endpoints import PUBLIC_PREFIX, api_endpoints

# Operations without a JSON body to show: a file download, and an answer with no content.
WITHOUT_JSON_BODY = {
    ("/api/v1/evidence/{evidence_id}/download/", "get"),
    ("/api/v1/cases/{case_id}/watch/", "delete"),
    ("/api/v1/petitions/{petition_id}/", "delete"),
    ("/api/v1/auth/session/", "delete"),
    ("/api/v1/auth/token/revoke/", "post"),
    ("/api/v1/auth/token/revoke-all/", "post"),
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(path))
    return yaml.safe_load(Path(path).read_text())


def openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_it_validates_the_schema_with_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    assert yaml.safe_load(path.read_text())["openapi"].startswith("3.")


def test_it_lists_every_route_and_method_of_the_api(schema: dict[str, Any]) -> None:
    routed = {
        (openapi_path(endpoint.route), method.lower())
        for endpoint in api_endpoints(include_public=True)
        for method in endpoint.methods
    }
    documented = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method != "parameters"
    }
    assert routed == documented


def _has_example(operation: dict[str, Any]) -> bool:
    bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
    return any("examples" in media for body in bodies for media in body.get("content", {}).values())


def test_it_gives_every_case_management_operation_an_example(schema: dict[str, Any]) -> None:
    missing = [
        (path, method)
        for path, operations in schema["paths"].items()
        if not path.startswith("/" + PUBLIC_PREFIX)
        for method, operation in operations.items()
        if (path, method) not in WITHOUT_JSON_BODY and not _has_example(operation)
    ]
    assert missing == []


def test_it_documents_the_two_ways_to_authenticate(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth"} <= set(schemes)
