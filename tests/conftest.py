"""Fixtures shared by every test package."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.utils import translation

from rrm.choices import Confidence, EventKind
from rrm.models import DeadlineRule
from tests.reliability.services import PrivateRedis
from tests.reliability.stack import run_python

PROJECT_ROOT = Path(__file__).resolve().parent.parent

RunManage = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_manage() -> RunManage:
    """Run `manage.py` in a child process with only the given settings variables set."""

    def run(*args: str, env: Mapping[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_python(["manage.py", *args], env=env, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def session_redis() -> Iterator[PrivateRedis]:
    """A Redis server of the test session's own on a free loopback port, for the tests that need a real
    one (the public cache, the Celery broker): the suite needs no Redis service running."""
    with PrivateRedis() as server:
        yield server


@pytest.fixture
def make_rule(db: None) -> Callable[..., DeadlineRule]:
    """A deadline rule version of its own code, so tests do not depend on the seeded rules."""

    def make(
        *, code: str = "test-rule", confidence: str = Confidence.CONFIRMED, **fields: object
    ) -> DeadlineRule:
        values: dict[str, object] = {
            "name": f"Test rule {code}",
            "effective_from": dt.date(2020, 7, 1),
            "citation": "Test citation, art. 1",
            "length": 10,
            "unit": DeadlineRule.Unit.CALENDAR,
            "calendar": DeadlineRule.Calendar.US,
            "start_event": EventKind.REQUEST_FOR_REVIEW,
            "satisfied_by": [EventKind.MEXICO_ACCEPTED],
            "roll_forward": DeadlineRule.RollForward.NONE,
            **fields,
        }
        return DeadlineRule.objects.create(code=code, confidence=confidence, **values)

    return make


# The migrations that seed or amend the deadline rules, in order, and the function each runs.
RULE_SEEDS = (
    ("rrm.migrations.0003_seed_deadline_rules", "store_initial_rules"),
    ("rrm.migrations.0009_deadline_verdicts", "store_ended_by"),
    ("rrm.migrations.0011_annex_31b_rules", "store_annex_31b_rules"),
)


@pytest.fixture(autouse=True)
def seeded_deadline_rules(request: pytest.FixtureRequest) -> None:
    """The migrations seed the rules, but transactional tests flush every table when they end.

    Reloading (idempotent, by code and version) keeps every database test on the seeded rules.
    """
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_database:
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        for module, seed in RULE_SEEDS:
            getattr(importlib.import_module(module), seed)(DeadlineRule)


def _back_to_the_default_language(**_kwargs: object) -> None:
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def default_language_between_requests() -> Iterator[None]:
    """The test runs in the default language (English) before and after each request of its test client:
    LocaleMiddleware leaves the request's language active in the thread, where reverse() of a page would
    then give that language's address and gettext its text, as no server thread would."""
    request_finished.connect(_back_to_the_default_language)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            yield
    finally:
        request_finished.disconnect(_back_to_the_default_language)
