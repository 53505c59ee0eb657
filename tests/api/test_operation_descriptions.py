"""What the OpenAPI schema tells the API's readers about each case-management operation."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import EndpointEnumerator

from tests.api.endpoints import API_PREFIX, PUBLIC_PREFIX


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    return yaml.safe_load(Path(path).read_text())


def _folded(text: str) -> str:
    return " ".join(inspect.cleandoc(text).split())


def test_it_describes_no_operation_by_the_docstring_of_a_base_view(schema: dict[str, Any]) -> None:
    # A base view's docstring explains the code to its developers, not the operation to the API's readers.
    leaked = []
    for path, _, method, callback in EndpointEnumerator().get_api_endpoints():
        if not path.startswith("/" + API_PREFIX) or path.startswith("/" + PUBLIC_PREFIX):
            continue
        inherited = {_folded(base.__doc__) for base in callback.cls.__mro__[1:] if base.__doc__}
        description = schema["paths"][path][method.lower()].get("description", "")
        if description and _folded(description) in inherited:
            leaked.append((path, method))
    assert leaked == []
