"""Budgets: anonymous callers per address, API keys per key and tier, limits read from the database."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.db import connection
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from public import services
from public.models import ApiKey, ThrottleTier

INDEX = "/api/v1/public/"


def tier(code: str, requests: int, *, for_anonymous: bool = False) -> ThrottleTier:
    # update_or_create: a transactional test may have flushed the tiers the migration seeded.
    row, _ = ThrottleTier.objects.update_or_create(
        code=code,
        defaults={"name": code, "requests": requests, "period_seconds": 60, "for_anonymous": for_anonymous},
    )
    return row


@pytest.fixture
def anonymous_tier(db: None) -> ThrottleTier:
    return tier("anonymous", 3, for_anonymous=True)


@pytest.fixture
def researcher_tier(db: None) -> ThrottleTier:
    return tier("researcher", 5)


def keyed(api: APIClient, key: str) -> APIClient:
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return api


def test_it_answers_429_with_retry_after_once_the_anonymous_budget_is_spent(
    api: APIClient, anonymous_tier: ThrottleTier
) -> None:
    statuses = [api.get(INDEX).status_code for _ in range(3)]

    refused = api.get(INDEX)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "3 requests per 60 s" in refused.json()["detail"]
    assert "API key" in refused.json()["detail"]
    assert refused["X-RateLimit-Remaining"] == "0"


def test_it_counts_the_remaining_budget_in_headers(api: APIClient, anonymous_tier: ThrottleTier) -> None:
    remaining = [api.get(INDEX)["X-RateLimit-Remaining"] for _ in range(3)]

    assert remaining == ["2", "1", "0"]


# A refusal marks the request's transaction for rollback (DRF); these tests write after one, so each
# request runs in a transaction of its own.
@pytest.mark.django_db(transaction=True)
def test_it_gives_a_key_of_a_higher_tier_its_own_larger_budget(
    api: APIClient, anonymous_tier: ThrottleTier, researcher_tier: ThrottleTier
) -> None:
    for _ in range(3):
        api.get(INDEX)
    assert api.get(INDEX).status_code == 429
    _, key = services.issue_api_key(name="Newsroom", tier=researcher_tier)

    statuses = [keyed(api, key).get(INDEX).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


@pytest.mark.django_db(transaction=True)
def test_it_applies_a_tier_changed_in_the_database_on_the_next_request(
    api: APIClient, anonymous_tier: ThrottleTier
) -> None:
    for _ in range(3):
        api.get(INDEX)
    assert api.get(INDEX).status_code == 429

    anonymous_tier.requests = 10
    anonymous_tier.save()

    assert api.get(INDEX).status_code == 200


def test_it_stores_only_the_hash_of_an_api_key(researcher_tier: ThrottleTier) -> None:
    api_key, key = services.issue_api_key(
        name="Research group", tier=researcher_tier, contact_email="a@b.org"
    )

    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM public_apikey")
        raw_rows = cursor.fetchall()

    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(f"rrmpub_{api_key.prefix}_")
    assert not any(key in str(value) for row in raw_rows for value in row)


@pytest.mark.parametrize(
    ("presented", "message"),
    [
        ("not-a-key", "malformed"),
        ("rrmpub_AbCdEfGh_" + "x" * 43, "not recognised"),
    ],
)
def test_it_refuses_a_malformed_or_unknown_key_with_401(
    api: APIClient, db: None, presented: str, message: str
) -> None:
    response = keyed(api, presented).get(INDEX)

    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_it_refuses_a_revoked_key_with_401(api: APIClient, researcher_tier: ThrottleTier) -> None:
    api_key, key = services.issue_api_key(name="Former partner", tier=researcher_tier)
    assert keyed(api, key).get(INDEX).status_code == 200

    services.revoke_api_key(api_key_id=api_key.pk)
    response = keyed(api, key).get(INDEX)

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_it_accepts_the_key_in_the_x_api_key_header(api: APIClient, researcher_tier: ThrottleTier) -> None:
    _, key = services.issue_api_key(name="Script", tier=researcher_tier)

    response = api.get(INDEX, HTTP_X_API_KEY=key)

    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "5"


def test_it_ignores_a_forwarded_address_unless_a_proxy_is_trusted(
    api: APIClient, anonymous_tier: ThrottleTier, settings: Settings
) -> None:
    spoofed = [api.get(INDEX, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]
    settings.RRM_TRUSTED_PROXIES = 1
    behind_proxy = [api.get(INDEX, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code for _ in range(4)]

    assert spoofed == [200, 200, 200, 429]
    assert behind_proxy == [200, 200, 200, 429]


def test_it_counts_requests_in_a_window_that_expires_after_its_first_count(db: None) -> None:
    counts = [cache.incr_with_expiry("public:test-window", 30) for _ in range(3)]  # type: ignore[attr-defined]

    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    ttl = client.ttl(cache.make_key("public:test-window"))

    assert counts == [1, 2, 3]
    assert 0 < ttl <= 30


def test_it_throttles_with_a_cache_that_has_no_atomic_counter(
    api: APIClient, anonymous_tier: ThrottleTier, settings: Settings
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}
    }

    statuses = [api.get(INDEX).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
