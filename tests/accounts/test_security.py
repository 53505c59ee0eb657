"""The security page: the user's browser sessions and API tokens, each revocable; nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import SignedInSession
from tests.accounts.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def signed_in_client(username: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client


def test_it_lists_the_sessions_of_the_user_and_ends_another_one() -> None:
    make_person("ana")
    laptop = signed_in_client("ana", "Laptop browser")
    phone = signed_in_client("ana", "Phone browser")
    page = laptop.get(reverse("accounts:security"))
    assert {session.user_agent for session in page.context["sessions"]} == {"Laptop browser", "Phone browser"}

    phone_session = SignedInSession.objects.get(user_agent="Phone browser")
    response = laptop.post(reverse("accounts:end-session", args=[phone_session.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("accounts:home")).status_code == 302  # signed out
    assert laptop.get(reverse("accounts:home")).status_code == 200
    remaining = laptop.get(reverse("accounts:security")).context["sessions"]
    assert [session.user_agent for session in remaining] == ["Laptop browser"]


def test_it_does_not_end_a_session_of_another_user() -> None:
    make_person("ana"), make_person("ben")
    ana = signed_in_client("ana", "Ana's browser")
    ben = signed_in_client("ben", "Ben's browser")
    bens = SignedInSession.objects.get(user__username="ben")
    ana.post(reverse("accounts:end-session", args=[bens.pk]))
    assert ben.get(reverse("accounts:home")).status_code == 200


def test_it_forgets_a_session_signed_out() -> None:
    make_person("ana")
    client = signed_in_client("ana", "browser")
    client.post(reverse("accounts:logout"))
    assert not SignedInSession.objects.exists()


def test_it_revokes_an_api_token_from_the_page(client: Client) -> None:
    ana, ben = make_person("ana"), make_person("ben")
    token, key = AuthToken.objects.create(user=ana)
    bens, _ = AuthToken.objects.create(user=ben)
    client.force_login(ana)
    page = client.get(reverse("accounts:security"))
    assert token.token_key in page.content.decode()
    assert bens.token_key not in page.content.decode()

    assert client.get(reverse("v1:auth-session"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.post(reverse("accounts:revoke-token", args=[bens.token_key]))
    client.post(reverse("accounts:revoke-token", args=[token.token_key]))
    assert not AuthToken.objects.filter(user=ana).exists()
    assert AuthToken.objects.filter(user=ben).exists()
    scripted = Client().get(reverse("v1:case-list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert scripted.status_code == 401


def test_it_refuses_a_revocation_by_get(client: Client) -> None:
    ana = make_person("ana")
    token, _ = AuthToken.objects.create(user=ana)
    client.force_login(ana)
    assert client.get(reverse("accounts:revoke-token", args=[token.token_key])).status_code == 405
    assert AuthToken.objects.filter(user=ana).exists()
