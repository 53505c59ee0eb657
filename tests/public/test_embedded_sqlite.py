"""The public API in the embedded default (SQLite, tasks in-process): every route answers, the export
is built after the import, and the statistics equal those PostgreSQL computes from the same cases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import run_python
from tests.public.conftest import CASES_CSV

pytestmark = pytest.mark.slow

ROUTES = (
    "/api/v1/public/",
    "/api/v1/public/cases/",
    "/api/v1/public/cases/us-mx-2023-vu-2/",
    "/api/v1/public/facilities/",
    "/api/v1/public/companies/",
    "/api/v1/public/events/",
    "/api/v1/public/deadlines/?format=csv",
    "/api/v1/public/remediation/",
    "/api/v1/public/corrections/",
    "/api/v1/public/cases/?year=2023&state=GUA,TAM&updated_since=2020-01-01T00:00:00Z",
    "/api/v1/public/export/",
    "/api/v1/public/export/cases.csv",
)
GROUPINGS = ("", "year", "state", "sector", "petitioner_type")

# Run inside the embedded default: GET every route, then the statistics by each grouping.
PROBE = f"""
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
statuses = {{route: client.get(route).status_code for route in {ROUTES!r}}}
def groups(grouping):
    params = {{"group_by": grouping}} if grouping else {{}}
    return client.get("/api/v1/public/stats/", params).json()["groups"]
stats = {{grouping: groups(grouping) for grouping in {GROUPINGS!r}}}
print(json.dumps({{"statuses": statuses, "stats": stats}}))
"""


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("embedded-public")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PUBLIC_EXPORT_ROOT": str(folder / "export"),
    }
    for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "import_cases", str(CASES_CSV)]):
        completed = run_python(step, env=env, timeout=300)
        assert completed.returncode == 0, completed.stderr[-2000:]
    completed = run_python(["manage.py", "shell", "-c", PROBE], env=env, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def test_it_answers_every_public_route_on_sqlite_with_the_export_built(embedded: dict[str, Any]) -> None:
    assert embedded["statuses"] == dict.fromkeys(ROUTES, 200)


@pytest.mark.usefixtures("imported_cases", "generous_budget")
@pytest.mark.parametrize("grouping", GROUPINGS)
def test_it_computes_on_sqlite_the_statistics_postgresql_computes(
    embedded: dict[str, Any], api: APIClient, grouping: str
) -> None:
    on_postgres = api.get("/api/v1/public/stats/", {"group_by": grouping} if grouping else {}).json()[
        "groups"
    ]

    assert embedded["stats"][grouping] == on_postgres
