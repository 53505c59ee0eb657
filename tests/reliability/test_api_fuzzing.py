"""API fuzzing with schemathesis against /api/schema/: every operation, as an anonymous caller, as a
case officer (staff token) and as a member of a petitioner organisation (token). No answer may be a
5xx, and every answer must match what the schema documents for it (body against the documented
response schema, content type).

The application runs in this process (WSGI) on the test database, filled with the API tests' small
world (an organisation's petition and case, evidence, a webhook). Requests commit as in production (no
test transaction around them: a view that is not atomic and answers 400 would otherwise mark the
test's own transaction for rollback). Bounded for CI: MAX_EXAMPLES cases
per operation and caller, no deadline. Each operation is fuzzed with its own Hypothesis run, so that
one failure does not hide the others: the test fails listing every operation that failed and why.
(schemathesis' own pytest loader runs operations as pytest subtests, which this pytest version breaks.)
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api.world import build_world

pytestmark = pytest.mark.slow

# Derandomized: CI replays the same examples each run; raise RRM_FUZZ_EXAMPLES to explore further.
MAX_EXAMPLES = int(os.environ.get("RRM_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(transactional_db: None) -> Iterator[Any]:
    # As Django's test client does: a request must not close the test's connection (and transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(transactional_db: None, settings: Any) -> dict[str, dict[str, str]]:
    """Each caller's headers, in a world where every role has something to see."""
    # The throttles would answer 429 to a fuzzer long before it had tried every operation.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    cache.clear()
    world = build_world()
    headers: dict[str, dict[str, str]] = {}
    for caller in ("anonymous", "officer", "own_org"):
        user = world.users[caller]
        headers[caller] = (
            {} if user is None else {"Authorization": f"Token {AuthToken.objects.create(user=user)[1]}"}
        )
    return headers


def fuzz_operation(operation: Any, headers: dict[str, str], statuses: Counter[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    run()


# Operations that revoke the caller's token: fuzzed last, so that every other one runs signed in.
REVOKING = frozenset(
    {"DELETE /api/v1/auth/session/", "POST /api/v1/auth/token/revoke/", "POST /api/v1/auth/token/revoke-all/"}
)


def fuzz_every_operation(api_schema: Any, headers: dict[str, str]) -> tuple[dict[str, str], Counter[int]]:
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in sorted(operations, key=lambda operation: operation.label in REVOKING):
        try:
            fuzz_operation(operation, headers, statuses)
        # schemathesis' FailureGroup is a BaseExceptionGroup, not an Exception.
        except (Exception, BaseExceptionGroup) as error:
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    return failures, statuses


@pytest.mark.parametrize("caller", ["anonymous", "officer", "own_org"])
def test_it_answers_every_operation_without_5xx_and_as_documented(
    api_schema: Any, credentials: dict[str, dict[str, str]], caller: str, measured: dict[str, object]
) -> None:
    failures, statuses = fuzz_every_operation(api_schema, credentials[caller])
    measured.update(
        operations=len(list(api_schema.get_all_operations())),
        requests=sum(statuses.values()),
        statuses=dict(sorted(statuses.items())),
        failures=failures,
    )
    assert failures == {}, "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
