"""API keys and request budgets.

A key is sent as `Authorization: Api-Key <key>` (or `X-Api-Key: <key>`); only its SHA-256 is stored.
Budgets come from ThrottleTier rows, read through the cache for a minute at most; saving a tier or a
key drops its cached copy (public.signals), so a change made in the admin applies to the next request.
The count is a fixed window per caller held in the cache with an atomic increment, so that every
process serving the API shares it (CACHE_URL at Redis).
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from public.models import ApiKey, ThrottleTier
from rrm.api.network import client_address

KEY_PATTERN = re.compile(r"rrmpub_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{32,64}")
KEY_HEADER = "HTTP_X_API_KEY"
AUTHORIZATION_SCHEME = "Api-Key"
BUDGET_CACHE_SECONDS = 60


def hash_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough: there is nothing to guess from it.
    return hashlib.sha256(key.encode()).hexdigest()


def _key_cache_key(key_hash: str) -> str:
    return f"public:apikey:{key_hash}"


ANONYMOUS_TIER_CACHE_KEY = "public:tier:anonymous"


def cache_keys_for(instance: models.Model) -> list[str]:
    """Cached copies a saved key or tier makes stale: the key's own, or those of every key of the tier."""
    if isinstance(instance, ApiKey):
        return [_key_cache_key(instance.key_hash)]
    hashes = ApiKey.objects.filter(tier_id=instance.pk).values_list("key_hash", flat=True)
    return [ANONYMOUS_TIER_CACHE_KEY, *(_key_cache_key(key_hash) for key_hash in hashes)]


@dataclass(frozen=True)
class Budget:
    requests: int
    period_seconds: int
    tier: str


@dataclass(frozen=True)
class KeyHolder:
    """What a request authenticated with an API key carries as request.auth: the key and its budget."""

    key_id: int
    prefix: str
    budget: Budget


def presented_key(request: Request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == AUTHORIZATION_SCHEME.lower():
        return value.strip()
    value = request.META.get(KEY_HEADER, "").strip()
    return value or None


@dataclass(frozen=True)
class StoredKey:
    key_id: int
    prefix: str
    revoked: bool
    budget: Budget


def _stored_key(key_hash: str) -> StoredKey | None:
    """The key with its tier's budget: one cache read per request."""
    cached = cache.get(_key_cache_key(key_hash))
    if cached is not None:
        key_id, prefix, revoked, requests, period, tier = cached
        return StoredKey(key_id, prefix, revoked, Budget(requests, period, tier))
    row = (
        ApiKey.objects.filter(key_hash=key_hash)
        .values_list("pk", "prefix", "revoked_at", "tier__requests", "tier__period_seconds", "tier__code")
        .first()
    )
    if row is None:
        return None
    key_id, prefix, revoked_at, requests, period, tier = row
    cache.set(
        _key_cache_key(key_hash),
        (key_id, prefix, revoked_at is not None, requests, period, tier),
        BUDGET_CACHE_SECONDS,
    )
    return StoredKey(key_id, prefix, revoked_at is not None, Budget(requests, period, tier))


class ApiKeyAuthentication(BaseAuthentication):
    """No key: an anonymous caller. A key that is malformed, unknown or revoked: 401, never anonymous."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, KeyHolder] | None:
        key = presented_key(request)
        if key is None:
            return None
        if not KEY_PATTERN.fullmatch(key):
            raise exceptions.AuthenticationFailed(
                _("The API key is malformed: expected rrmpub_<8 characters>_<secret>, as issued.")
            )
        stored = _stored_key(hash_key(key))
        if stored is None:
            raise exceptions.AuthenticationFailed(_("The API key is not recognised."))
        if stored.revoked:
            raise exceptions.AuthenticationFailed(_("The API key was revoked; ask for a new one."))
        return AnonymousUser(), KeyHolder(key_id=stored.key_id, prefix=stored.prefix, budget=stored.budget)

    def authenticate_header(self, request: Request) -> str:
        return f'{AUTHORIZATION_SCHEME} realm="public API"'


def parse_rate(rate: str) -> Budget:
    """'60/60' (requests/seconds) from the settings fallback."""
    requests, _, seconds = rate.partition("/")
    return Budget(int(requests), int(seconds), "anonymous")


def anonymous_budget() -> Budget:
    cached = cache.get(ANONYMOUS_TIER_CACHE_KEY)
    if cached is not None:
        return Budget(*cached)
    row = (
        ThrottleTier.objects.filter(for_anonymous=True)
        .values_list("requests", "period_seconds", "code")
        .first()
    )
    budget = Budget(*row) if row is not None else parse_rate(settings.PUBLIC_API_FALLBACK_ANONYMOUS_RATE)
    cache.set(
        ANONYMOUS_TIER_CACHE_KEY, (budget.requests, budget.period_seconds, budget.tier), BUDGET_CACHE_SECONDS
    )
    return budget


def _count_request(counter_key: str, period_seconds: int) -> int:
    timeout = period_seconds + 1
    atomic_count = getattr(cache, "incr_with_expiry", None)  # config.cache.RedisCache: one round trip
    if atomic_count is not None:
        return int(atomic_count(counter_key, timeout))
    try:
        return int(cache.incr(counter_key))
    except ValueError:
        if cache.add(counter_key, 1, timeout=timeout):
            return 1
        return int(cache.incr(counter_key))


class TierThrottle(BaseThrottle):
    """Fixed-window budget per API key, or per address for anonymous callers."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        holder = request.auth if isinstance(request.auth, KeyHolder) else None
        self.budget = holder.budget if holder is not None else anonymous_budget()
        caller = f"key:{holder.key_id}" if holder else f"ip:{client_address(request)}"
        now = time.time()
        window = int(now // self.budget.period_seconds)
        used = _count_request(
            f"public:throttle:{caller}:{self.budget.period_seconds}:{window}", self.budget.period_seconds
        )
        self.wait_seconds = (window + 1) * self.budget.period_seconds - now
        self.remaining = max(0, self.budget.requests - used)
        return used <= self.budget.requests

    def wait(self) -> float:
        return self.wait_seconds

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.budget.requests),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.wait_seconds)),
        }

    def refusal(self) -> dict[str, Any]:
        who = "this API key" if self.budget.tier != "anonymous" else "anonymous callers"
        return {
            "wait": self.wait_seconds,
            "detail": (
                f"Rate limit exceeded: {self.budget.requests} requests per {self.budget.period_seconds} s "
                f"for {who} (tier '{self.budget.tier}'). Retry after {math.ceil(self.wait_seconds)} s, "
                f"or ask for an API key of a higher tier at {reverse('pages:api-key-request')} "
                f"(POST name and email to {reverse('v1:public:key-requests')}): it is issued as soon as you "
                "confirm your e-mail address."
            ),
        }


class KeyRequestThrottle(SimpleRateThrottle):
    """Requests for an API key per address (the page and the API share the count): each sends an e-mail."""

    scope = "api_key_requests"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def allows_page_request(self, request: HttpRequest) -> bool:
        """The same count for the request page, a Django view: the count reads only the address."""
        return self.allow_request(request, None)  # type: ignore[arg-type]
