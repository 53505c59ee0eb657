"""A signed-out browser gets the CSRF cookie it signs in with from GET /api/v1/auth/session/, as the
README says (security review, finding 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.world import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_it_gives_a_signed_out_browser_the_csrf_cookie_and_says_nobody_is_signed_in() -> None:
    browser = Client(enforce_csrf_checks=True)

    answer = browser.get(reverse("v1:auth-session"))

    assert answer.status_code == 200
    assert answer.json() == {"username": None, "roles": [], "organisations": []}
    assert answer.cookies["csrftoken"].value
    assert "_auth_user_id" not in browser.session


def test_it_signs_in_a_browser_with_the_cookie_it_got_while_signed_out() -> None:
    make_user("ana")
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(reverse("v1:auth-session")).cookies["csrftoken"].value

    signed_in = browser.post(
        reverse("v1:auth-session"),
        {"username": "ana", "password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert signed_in.status_code == 200 and signed_in.json()["username"] == "ana"
    assert browser.get(reverse("v1:auth-session")).json()["username"] == "ana"
