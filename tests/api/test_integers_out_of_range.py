"""A number outside the database's integer range, in any numeric query or path parameter of any
operation of the OpenAPI schema, is refused before it reaches the database: 400 naming the filter, 404
for a record id that cannot exist; never 500, and nothing changes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction

from public.models import ThrottleTier
from tests.api.test_permission_matrix import counts, default_parameters
from tests.api.world import World

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1
OUT_OF_RANGE = (str(BIGINT_MAX + 1), str(-BIGINT_MAX - 2), "-1.9184342019008733e+230")
NUMERIC_TYPES = frozenset({"integer", "number"})
# Pagination never reaches the database: a page that does not exist is a 404 (DRF's answer to every
# page past the end) and a page size is cut to the largest allowed.
PAGINATION_ANSWERS = {"page": 404, "page_size": 200}


@dataclass(frozen=True)
class NumericParameter:
    path: str
    method: str
    location: str
    name: str
    anonymous_allowed: bool


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    return dict(yaml.safe_load(Path(path).read_text()))


@pytest.fixture
def generous_public_budget(db: None) -> None:
    """Room for the crawl in the public API's budget (saved one by one, which drops the cached copy)."""
    for tier in ThrottleTier.objects.filter(for_anonymous=True):
        tier.requests = 100_000
        tier.save()


def _is_numeric(parameter: dict[str, Any]) -> bool:
    schema = parameter.get("schema", {})
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    return schema.get("type") in NUMERIC_TYPES


def _is_read(method: str, parameter: dict[str, Any]) -> bool:
    # A list view documents its pagination on a POST too, where no page is read.
    return parameter["name"] not in PAGINATION_ANSWERS or method == "get"


def numeric_parameters(schema: dict[str, Any]) -> list[NumericParameter]:
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous_allowed = {} in operation.get("security", [])
            found.extend(
                NumericParameter(path, method, parameter["in"], parameter["name"], anonymous_allowed)
                for parameter in operation.get("parameters", [])
                if parameter["in"] in ("query", "path")
                and _is_numeric(parameter)
                and _is_read(method, parameter)
            )
    return found


def expected_statuses(parameter: NumericParameter, role: str) -> set[int]:
    anonymous = role == "anonymous" and not parameter.anonymous_allowed
    if parameter.location == "path":
        # The id cannot exist (404; a negative one matches no route), or the caller may not use the
        # operation at all, whichever record it names (401 signed out, 403).
        return {404, 401} if anonymous else {404, 403}
    if anonymous:
        return {401}
    return {PAGINATION_ANSWERS.get(parameter.name, 400)}


def request(world: World, role: str, parameter: NumericParameter, value: str) -> Any:
    known = {**default_parameters(world)}
    if parameter.location == "path":
        known[parameter.name] = value
    path = re.sub(r"\{(\w+)\}", lambda match: str(known[match.group(1)]), parameter.path)
    if parameter.location == "query":
        path += "?" + urlencode({parameter.name: value})
    # Each request in a transaction of its own, as outside tests: a refusal rolls back only its own.
    with transaction.atomic():
        return world.client(role).generic(
            parameter.method.upper(),
            path,
            data=json.dumps({}) if parameter.method in ("post", "put", "patch") else "",
            content_type="application/json",
        )


def _names_the_parameter(response: Any, name: str) -> bool:
    return response.status_code != 400 or name in response.json()


@pytest.mark.usefixtures("generous_public_budget")
@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_it_refuses_every_numeric_parameter_outside_the_integer_range(
    world: World, schema: dict[str, Any], role: str
) -> None:
    world.advance("remedies_in_force")
    parameters = numeric_parameters(schema)
    assert {("/api/v1/public/cases/", "facility"), ("/api/v1/petitions/{petition_id}/", "petition_id")} <= {
        (parameter.path, parameter.name) for parameter in parameters
    }
    before = counts()

    wrong = [
        (parameter.method, parameter.path, parameter.name, value, response.status_code)
        for parameter in parameters
        for value in OUT_OF_RANGE
        if (response := request(world, role, parameter, value)).status_code
        not in expected_statuses(parameter, role)
        or not _names_the_parameter(response, parameter.name)
    ]

    assert wrong == []
    assert counts() == before
