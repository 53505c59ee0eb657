"""One client address for every throttle and the login lock-out, and who a lock-out shuts out
(security review, finding 4): X-Forwarded-For counts only as far as the trusted proxies wrote it, and
failed logins lock out the address they came from, not the account they named."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from pytest_django.fixtures import Settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.api.world import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "192.0.2.10"
PROXY = "198.51.100.30"


@pytest.fixture(autouse=True)
def empty_throttle_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def token_request_limit() -> int:
    return int(str(api_settings.DEFAULT_THROTTLE_RATES["token_requests"]).split("/")[0])


@pytest.mark.parametrize(
    ("trusted_proxies", "forwarded_for"),
    [(0, "10.9.{n}.1"), (1, "10.9.{n}.1, " + PROXY)],
    ids=["no-proxy", "behind-one-proxy"],
)
def test_it_throttles_token_requests_by_address_whatever_x_forwarded_for_the_caller_invents(
    settings: Settings, trusted_proxies: int, forwarded_for: str
) -> None:
    settings.RRM_TRUSTED_PROXIES = trusted_proxies
    make_user("script-user")
    api = APIClient(REMOTE_ADDR=ATTACKER)
    limit = token_request_limit()

    statuses = [
        api.post(
            reverse("v1:auth-token"),
            {"username": "script-user", "password": PASSWORD},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded_for.format(n=n),
        ).status_code
        for n in range(limit + 1)
    ]

    assert statuses == [200] * limit + [429]
    assert AuthToken.objects.count() == limit  # the refused request issued nothing


def admin_login(address: str, username: str, password: str, forwarded_for: str = "") -> int:
    """A staff sign-in (the admin login redirects to it): 302 in, 400 refused, 429 locked out."""
    browser = Client(REMOTE_ADDR=address)
    form = {"username": username, "password": password, "next": "/admin/"}
    proxy_headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    return browser.post(reverse("accounts:login"), form, headers=proxy_headers).status_code


def test_it_does_not_lock_an_account_out_for_failures_from_another_address() -> None:
    make_user("clerk", is_staff=True)

    failures = [admin_login(ATTACKER, "clerk", "wrong-guess") for _ in range(settings.AXES_FAILURE_LIMIT)]
    owner = admin_login(OWNER, "clerk", PASSWORD)
    attacker_with_right_password = admin_login(ATTACKER, "clerk", PASSWORD)

    assert failures == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert owner == 302  # signed in
    assert attacker_with_right_password == 429


def test_it_locks_out_an_address_that_tries_many_usernames() -> None:
    make_user("clerk", is_staff=True)
    guesses = [f"user-{n}" for n in range(settings.AXES_FAILURE_LIMIT)]

    failures = [admin_login(ATTACKER, username, "wrong-guess") for username in guesses]
    from_the_attacker = admin_login(ATTACKER, "clerk", PASSWORD)
    from_the_owner = admin_login(OWNER, "clerk", PASSWORD)

    assert failures[-1] == 429
    assert (from_the_attacker, from_the_owner) == (429, 302)


def test_it_locks_out_the_address_the_trusted_proxy_reported_not_the_ones_the_caller_invented(
    settings: Settings,
) -> None:
    settings.RRM_TRUSTED_PROXIES = 1
    make_user("clerk", is_staff=True)

    def attempt(n: int, password: str) -> int:
        return admin_login(PROXY, "clerk", password, forwarded_for=f"10.9.{n}.1, {ATTACKER}")

    failures = [attempt(n, "wrong-guess") for n in range(settings.AXES_FAILURE_LIMIT)]
    invented_address = attempt(99, PASSWORD)
    another_caller = admin_login(PROXY, "clerk", PASSWORD, forwarded_for=OWNER)

    assert failures[-1] == invented_address == 429
    assert another_caller == 302
