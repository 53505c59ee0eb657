"""The API documentation defines every statistic and describes the public routes and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from public.statistics import FIGURE_DEFINITIONS, GROUPINGS

FIXED_PATHS = (
    "/api/v1/public/cases/",
    "/api/v1/public/cases/{case_id}/",
    "/api/v1/public/facilities/",
    "/api/v1/public/stats/",
    "/api/v1/public/export/",
)


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return dict(yaml.safe_load(Path(path).read_text()))


def test_it_documents_the_fixed_public_paths(schema: dict[str, Any]) -> None:
    assert set(FIXED_PATHS) <= set(schema["paths"])


def test_it_defines_every_figure_of_the_statistics(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/public/stats/"]["get"]
    group = schema["components"]["schemas"]["StatsGroup"]["properties"]

    for name, definition in FIGURE_DEFINITIONS.items():
        assert f"**{name}**: {definition}" in operation["description"]
        assert group[name]["description"] == definition
    group_by = next(parameter for parameter in operation["parameters"] if parameter["name"] == "group_by")
    assert set(group_by["schema"]["enum"]) == set(GROUPINGS)


def test_it_describes_the_optional_api_key(schema: dict[str, Any]) -> None:
    scheme = schema["components"]["securitySchemes"]["publicApiKey"]
    operation = schema["paths"]["/api/v1/public/cases/"]["get"]

    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": scheme["description"],
    }
    assert {} in operation["security"]
    assert {"publicApiKey": []} in operation["security"]
