"""API tokens for scripts: a new one at each login, stored only as a hash, expiring, and revoked by a
password change, a deactivation, signing out and the revoke endpoints (security review, finding 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework.test import APIClient

from tests.api.world import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a different and longer passphrase"


def issued_token(username: str, password: str = PASSWORD) -> Any:
    response = APIClient().post(
        reverse("v1:auth-token"), {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.data
    return response.data


def holder_of(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def answers(token: str) -> int:
    return holder_of(token).get(reverse("v1:auth-session")).status_code


def test_it_revokes_every_token_of_a_user_whose_password_changes() -> None:
    user = make_user("ana")
    old = issued_token("ana")["token"]

    user.set_password(NEW_PASSWORD)
    user.save()
    new = issued_token("ana", NEW_PASSWORD)["token"]

    assert answers(old) == 401
    assert new != old and answers(new) == 200


def test_it_revokes_the_tokens_of_a_deactivated_user_for_good() -> None:
    user = make_user("ana")
    token = issued_token("ana")["token"]

    user.is_active = False
    user.save()
    refused_while_inactive = answers(token)
    User.objects.filter(pk=user.pk).update(is_active=True)

    assert refused_while_inactive == 401
    assert answers(token) == 401  # reactivating the account does not bring the token back
    assert not AuthToken.objects.filter(user=user).exists()


def test_it_issues_a_new_token_at_each_login() -> None:
    make_user("ana")

    first, second = issued_token("ana")["token"], issued_token("ana")["token"]

    assert first != second
    assert (answers(first), answers(second)) == (200, 200)


def test_it_stores_only_a_hash_of_the_token() -> None:
    make_user("ana")
    token = issued_token("ana")["token"]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = [str(value) for row in cursor.fetchall() for value in row]

    assert stored and not any(token in value for value in stored)


def test_it_refuses_a_token_once_its_lifetime_has_passed() -> None:
    make_user("ana")
    before = timezone.now()
    issued = issued_token("ana")
    lifetime = knox_settings.TOKEN_TTL
    assert lifetime == dt.timedelta(hours=settings.RRM_API_TOKEN_LIFETIME_HOURS)
    expiry = dt.datetime.fromisoformat(issued["expiry"])
    assert before + lifetime <= expiry <= timezone.now() + lifetime

    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))

    assert answers(issued["token"]) == 401


def test_it_revokes_the_token_a_request_carries_and_no_other() -> None:
    make_user("ana")
    revoked, kept = issued_token("ana")["token"], issued_token("ana")["token"]

    response = holder_of(revoked).post(reverse("v1:auth-token-revoke"))

    assert response.status_code == 204
    assert (answers(revoked), answers(kept)) == (401, 200)


def test_it_says_a_session_has_no_token_to_revoke() -> None:
    user = make_user("ana")
    AuthToken.objects.create(user=user)
    client = APIClient()
    client.force_authenticate(user)

    response = client.post(reverse("v1:auth-token-revoke"))

    assert response.status_code == 400 and "Authorization: Token" in response.data["detail"]
    assert AuthToken.objects.count() == 1


def test_it_revokes_every_token_of_the_caller_and_only_theirs() -> None:
    make_user("ana")
    make_user("bob")
    first, second = issued_token("ana")["token"], issued_token("ana")["token"]
    others = issued_token("bob")["token"]

    response = holder_of(first).post(reverse("v1:auth-token-revoke-all"))

    assert response.status_code == 204
    assert (answers(first), answers(second), answers(others)) == (401, 401, 200)


def test_it_revokes_the_token_of_a_script_that_signs_out() -> None:
    make_user("ana")
    token = issued_token("ana")["token"]

    signed_out = holder_of(token).delete(reverse("v1:auth-session"))

    assert signed_out.status_code == 204
    assert answers(token) == 401


def test_it_answers_401_not_500_to_a_token_that_is_not_utf8() -> None:
    response = APIClient().get(reverse("v1:case-list"), HTTP_AUTHORIZATION="Token caf\xe9")

    assert response.status_code == 401
