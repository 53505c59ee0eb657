"""Fixtures of the public-API tests: a real Redis cache (db 6, a key prefix of its own per test), an
export folder per test, the real cases imported, and a way to run what a commit triggers."""

from __future__ import annotations

import csv
import importlib
import io
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from public.models import ThrottleTier
from tests.conftest import PROJECT_ROOT
from tests.reliability.services import PrivateRedis

CASES_CSV = PROJECT_ROOT / "data" / "cases.csv"
# Every public list, at its fixed path.
LISTS = tuple(
    f"/api/v1/public/{name}/"
    for name in ("cases", "facilities", "companies", "events", "deadlines", "remediation", "corrections")
)
# The statistics cache, the data version and the throttle counters live in a real Redis.
CACHE_DATABASE = 6


@pytest.fixture(autouse=True)
def public_settings(settings: Settings, tmp_path: Path, session_redis: PrivateRedis) -> Settings:
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": session_redis.url(CACHE_DATABASE),
            "KEY_PREFIX": f"test-public-{uuid.uuid4().hex}",
        }
    }
    settings.PUBLIC_EXPORT_ROOT = tmp_path / "export"
    settings.PUBLIC_EXPORT_REBUILD_ON_CHANGE = True
    settings.RRM_TRUSTED_PROXIES = 0
    return settings


@pytest.fixture(autouse=True)
def seeded_tiers(request: pytest.FixtureRequest) -> None:
    """Migration 0002 seeds the tiers, but transactional tests flush every table when they end."""
    if {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        importlib.import_module("public.migrations.0002_seed_throttle_tiers").store_initial_tiers(
            ThrottleTier
        )


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@contextmanager
def committed() -> Iterator[None]:
    """Run what a commit of the test's transaction would run once the block ends: every hook queued
    so far (also before the block), and those they queue in turn; then the queue is empty, as after
    a real commit. The data stays in the test's transaction, which rolls back at the end."""
    yield
    connection = transaction.get_connection()
    while connection.run_on_commit:
        queued, connection.run_on_commit = connection.run_on_commit, []
        for _, hook, _ in queued:
            hook()


@pytest.fixture
def imported_cases(db: None) -> None:
    """data/cases.csv through the importer, as `make run` loads it, committed."""
    with committed():
        call_command("import_cases", str(CASES_CSV), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def generous_budget(db: None) -> ThrottleTier:
    """Anonymous callers get room for a crawl of every endpoint."""
    tier, _ = ThrottleTier.objects.update_or_create(
        code="anonymous",
        defaults={"name": "Anonymous", "requests": 100_000, "period_seconds": 60, "for_anonymous": True},
    )
    return tier


Committing = Callable[[], AbstractContextManager[None]]


@pytest.fixture
def committing(db: None) -> Committing:
    return committed


def body(response: Any) -> bytes:
    """The bytes of an answer, streamed (a list as CSV) or not."""
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def csv_table(response: Any) -> list[dict[str, str]]:
    """The rows of a CSV answer (a byte-order mark, if any, left out)."""
    assert response.status_code == 200, body(response)[:500]
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def results(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert response.status_code == 200, body
    return list(body["results"])


@pytest.fixture
def get_json(api: APIClient) -> Iterator[Callable[..., Any]]:
    def get(path: str, **params: Any) -> Any:
        response = api.get(path, params)
        assert response.status_code == 200, response.content[:500]
        return response.json()

    yield get
