"""The caller's network address, the one definition every throttle and the login lock-out use.

Each proxy in front of the service appends the address it was reached from to X-Forwarded-For, so with
RRM_TRUSTED_PROXIES proxies the caller is the entry the outermost of them appended, counted from the
right; anything further left is whatever the caller chose to send. Without a trusted proxy the header
is ignored and the caller is the peer of the connection.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


def client_address(request: HttpRequest | Request) -> str:
    proxies = settings.RRM_TRUSTED_PROXIES
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


class ScopedRateThrottleByAddress(ScopedRateThrottle):
    """DRF's scoped throttle counting callers without an account by client_address (DRF's own reading
    of X-Forwarded-For would let a caller pick a fresh address for each request)."""

    def get_ident(self, request: Request) -> str:
        return client_address(request)
