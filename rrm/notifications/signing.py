"""Webhook signatures: a secret derived from SECRET_KEY and the endpoint's salt, never stored."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

from rrm.models import WebhookEndpoint

SIGNATURE_PREFIX = "sha256="
SECRET_DERIVATION_SALT = "rrm.notifications.webhook-secret"


def derive_webhook_secret(endpoint: WebhookEndpoint) -> str:
    """The endpoint's signing secret: an HMAC of its salt under SECRET_KEY, recomputed at each use.

    Rotating SECRET_KEY therefore changes every endpoint's secret; receivers must be given the new one.
    """
    if not endpoint.secret_salt:
        raise ImproperlyConfigured(
            f"Webhook endpoint {endpoint.pk} has no secret_salt to derive its secret from."
        )
    return salted_hmac(
        SECRET_DERIVATION_SALT, endpoint.secret_salt, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def sign(body: bytes, secret: str) -> str:
    """Hex HMAC-SHA256 of the raw body; sent as `X-RRM-Signature: sha256=<hex>`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_webhook(*, body: bytes, signature_header: str, secret: str) -> bool:
    """What a receiver runs on the raw request body before parsing it.

    Example (any framework): `verify_webhook(body=request.body,
    signature_header=request.headers["X-RRM-Signature"], secret=MY_SECRET)`. Deduplicate on the
    `X-RRM-Delivery` header: a delivery can arrive twice if a worker died after sending it.
    """
    if not signature_header.startswith(SIGNATURE_PREFIX):
        return False
    received = signature_header[len(SIGNATURE_PREFIX) :]
    return hmac.compare_digest(received, sign(body, secret))
