import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from rrm.models import WebhookEndpoint
from rrm.notifications.signing import derive_webhook_secret, sign, verify_webhook

BODY = b'{"case":"us-mx-2021-tridonex","event":"deadline.due_soon","lead_days":3}'


def endpoint(salt: str) -> WebhookEndpoint:
    return WebhookEndpoint(url="https://hooks.example.org/rrm", secret_salt=salt)


def test_it_derives_the_same_secret_for_the_same_salt_and_key():
    assert derive_webhook_secret(endpoint("salt-a")) == derive_webhook_secret(endpoint("salt-a"))


def test_it_derives_a_different_secret_per_salt():
    assert derive_webhook_secret(endpoint("salt-a")) != derive_webhook_secret(endpoint("salt-b"))


def test_it_derives_a_different_secret_under_another_secret_key():
    before = derive_webhook_secret(endpoint("salt-a"))

    with override_settings(SECRET_KEY="another-secret-key-that-is-long-enough-for-django-0123456789"):
        after = derive_webhook_secret(endpoint("salt-a"))

    assert before != after


def test_it_derives_a_256_bit_hex_secret_that_is_not_the_salt_or_the_key():
    secret = derive_webhook_secret(endpoint("salt-a"))

    assert len(secret) == 64
    assert int(secret, 16) >= 0
    assert "salt-a" not in secret


def test_it_refuses_to_derive_a_secret_without_a_salt():
    with pytest.raises(ImproperlyConfigured, match="no secret_salt"):
        derive_webhook_secret(endpoint(""))


def test_it_signs_with_hmac_sha256_of_the_raw_body():
    expected = hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()

    assert sign(BODY, "s3cret") == expected


def test_it_verifies_a_signature_made_with_the_same_secret():
    assert verify_webhook(body=BODY, signature_header=f"sha256={sign(BODY, 's3cret')}", secret="s3cret")


@pytest.mark.parametrize(
    ("body", "header", "secret"),
    [
        (BODY + b" ", f"sha256={sign(BODY, 's3cret')}", "s3cret"),
        (BODY, f"sha256={sign(BODY, 's3cret')}", "other"),
        (BODY, sign(BODY, "s3cret"), "s3cret"),
        (BODY, f"sha1={sign(BODY, 's3cret')}", "s3cret"),
        (BODY, f"sha256={sign(BODY, 's3cret')[:-2]}", "s3cret"),
        (BODY, "", "s3cret"),
    ],
    ids=["tampered-body", "wrong-secret", "no-prefix", "wrong-algorithm", "truncated", "empty"],
)
def test_it_rejects_a_signature_that_does_not_match(body, header, secret):
    assert not verify_webhook(body=body, signature_header=header, secret=secret)
