"""A public column is declared once, in public.columns, and every public surface shows it."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from public import columns, selectors
from public.columns import TABLES, Api, Column, Kind, Table
from public.export import METADATA_NAME, SQLITE_NAME, write_export
from tests.factories import CaseFactory
from tests.public.conftest import csv_table

pytestmark = pytest.mark.usefixtures("generous_budget")
# Case.created_at is a stored column the registry does not publish.
ADDED = Column(
    "first_recorded_at",
    "When the case was first recorded here.",
    "Cuándo se registró aquí el caso por primera vez.",
    kind=Kind.DATETIME,
    source="created_at",
)


@pytest.fixture
def added_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "CASES", replace(columns.CASES, columns=(*columns.CASES.columns, ADDED)))


@pytest.mark.usefixtures("added_column")
def test_it_loads_a_column_added_to_the_registry_with_the_case_allowlist(db: None) -> None:
    assert "created_at" in selectors.public_case_fields()
    assert '"rrm_case"."created_at"' in str(selectors.public_cases().query)


@pytest.mark.usefixtures("added_column")
def test_it_shows_a_column_added_to_the_registry_in_the_api_json_and_csv(api: APIClient) -> None:
    case = CaseFactory.create()
    listed = api.get("/api/v1/public/cases/").json()["results"]
    detail = api.get(f"/api/v1/public/cases/{case.case_id}/").json()
    table = csv_table(api.get("/api/v1/public/cases/", {"format": "csv"}))

    assert parse_datetime(listed[0]["first_recorded_at"]) == case.created_at
    assert parse_datetime(detail["first_recorded_at"]) == case.created_at
    assert parse_datetime(table[0]["first_recorded_at"]) == case.created_at


@pytest.mark.usefixtures("added_column")
def test_it_exports_a_column_added_to_the_registry_to_csv_sqlite_and_datasette(
    tmp_path: Path,
) -> None:
    case = CaseFactory.create()
    directory = tmp_path / "export"
    write_export(directory)
    with (directory / "cases.csv").open(encoding="utf-8", newline="") as handle:
        (exported,) = csv.DictReader(handle)
    database = sqlite3.connect(directory / SQLITE_NAME)
    try:
        declared = {row[1]: row[2] for row in database.execute('PRAGMA table_info("cases")')}
        (stored,) = database.execute('SELECT "first_recorded_at" FROM "cases"').fetchone()
    finally:
        database.close()
    metadata = json.loads((directory / METADATA_NAME).read_text(encoding="utf-8"))

    assert parse_datetime(exported["first_recorded_at"]) == case.created_at
    assert declared["first_recorded_at"] == "TEXT"
    assert parse_datetime(stored) == case.created_at
    described = metadata["databases"]["rrm-public"]["tables"]["cases"]["columns"]
    assert described["first_recorded_at"] == ADDED.description


@pytest.mark.usefixtures("added_column")
def test_it_documents_a_column_added_to_the_registry_in_the_openapi_schema(db: None, tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    schemas = yaml.safe_load(path.read_text())["components"]["schemas"]

    for name in ("Case", "CaseDetail"):
        field = schemas[name]["properties"]["first_recorded_at"]
        assert field == {"type": "string", "format": "date-time", "description": ADDED.description}


def test_it_documents_every_case_column_of_the_api_in_spanish_in_the_spanish_openapi_schema(
    api: APIClient,
) -> None:
    schemas = yaml.safe_load(api.get("/api/schema/", {"lang": "es"}).content)["components"]["schemas"]
    properties = schemas["CaseDetail"]["properties"]
    shown = columns.CASES.shown(Api.LIST, Api.DETAIL)

    assert {column.name: properties[column.name]["description"] for column in shown} == {
        column.name: column.description_es for column in shown
    }


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_it_describes_every_column_of_the_registry_in_english_and_in_spanish(table: Table) -> None:
    for column in table.columns:
        assert column.description.strip(), column.name
        assert column.description_es.strip(), column.name
