"""Invitations: an organisation's administrator, or a case officer, invites by e-mail; the link works
once, until it expires; the invitee chooses a password and joins the organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, OrganisationAdministrator
from rrm.models import Organisation
from tests.accounts.conftest import PASSWORD, make_case_officer, make_person
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase for the new member 7"
SendInvitation = Callable[..., str]


@pytest.fixture
def send_invitation(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Any
) -> SendInvitation:
    """Invite `email` into `organisation` as `inviter` (a case officer unless named); the link's path."""

    def send(
        email: str, organisation: Organisation | None = None, inviter: User | None = None, **fields: str
    ) -> str:
        client.force_login(inviter or make_case_officer())
        organisation = organisation or OrganisationFactory()
        data = {"organisation": organisation.pk, "email": email, "language": "en", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:invite"), data)
        assert response.status_code == 302, response.context["form"].errors
        return link_path()

    return send


def accept(path: str, password: str = NEW_PASSWORD, client: Client | None = None) -> Any:
    return (client or Client()).post(path, {"password1": password, "password2": password})


def test_it_lets_a_case_officer_create_an_account_by_invitation_without_a_superuser(
    send_invitation: SendInvitation,
) -> None:
    """Defect of issue 14: accounts existed only if a superuser created them."""
    organisation = OrganisationFactory()
    path = send_invitation("Ana@Example.org", organisation)
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert organisation.name in mail.outbox[-1].body

    invitee = Client()
    assert invitee.get(path).status_code == 200
    assert accept(path, client=invitee).status_code == 302
    user = User.objects.get(username="ana@example.org")
    assert not user.is_superuser and not user.is_staff
    assert list(user.organisations.all()) == [organisation]
    assert user.check_password(NEW_PASSWORD)
    assert invitee.get(reverse("accounts:home")).status_code == 200  # signed in


def test_it_lets_an_organisation_administrator_invite_into_their_organisation_only(
    client: Client, send_invitation: SendInvitation
) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    administrator = make_person("admin@own.org")
    own.members.add(administrator)
    OrganisationAdministrator.objects.create(organisation=own, user=administrator)

    client.force_login(administrator)
    refused = client.post(reverse("accounts:invite"), {"organisation": other.pk, "email": "b@example.org"})
    assert refused.status_code == 400
    assert "organisation" in refused.context["form"].errors
    accept(send_invitation("b@example.org", own, administrator, as_administrator="on"))
    joined = User.objects.get(username="b@example.org")
    assert OrganisationAdministrator.objects.filter(organisation=own, user=joined).exists()


def test_it_refuses_the_invitation_page_to_a_member_who_administers_nothing(client: Client) -> None:
    member = make_person("member")
    OrganisationFactory().members.add(member)
    client.force_login(member)
    assert client.get(reverse("accounts:invite")).status_code == 403


def test_it_refuses_an_invitation_link_used_once_already(send_invitation: SendInvitation) -> None:
    path = send_invitation("c@example.org")
    accept(path)
    again = Client().get(path)
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert accept(path, "yet another passphrase of some length").status_code == 410
    assert User.objects.filter(username="c@example.org").count() == 1


def test_it_refuses_an_expired_invitation_link(send_invitation: SendInvitation) -> None:
    path = send_invitation("d@example.org")
    sent = timezone.now() - dt.timedelta(days=8)
    Invitation.objects.update(created_at=sent, expires_at=sent + dt.timedelta(days=7))
    response = accept(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(username="d@example.org").exists()


def test_it_refuses_a_tampered_invitation_link(send_invitation: SendInvitation) -> None:
    path = send_invitation("e@example.org")
    assert Client().get(path[:-3] + "abc/").status_code == 400


def test_it_names_the_password_fields_it_refuses_and_creates_nothing(send_invitation: SendInvitation) -> None:
    path = send_invitation("f@example.org")
    short = accept(path, "short")
    assert short.status_code == 400
    assert "password1" in short.context["form"].errors
    differ = Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "password2" in differ.context["form"].errors
    assert not User.objects.filter(username="f@example.org").exists()


def test_it_names_the_invitation_fields_it_refuses(client: Client) -> None:
    client.force_login(make_case_officer())
    response = client.post(reverse("accounts:invite"), {"organisation": "", "email": "not-an-address"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"organisation", "email", "language"}
    assert not Invitation.objects.exists()


def test_it_lets_an_existing_account_join_a_second_organisation_once_signed_in(
    send_invitation: SendInvitation,
) -> None:
    person = make_person("g@example.org", email="g@example.org")
    first, second = OrganisationFactory(), OrganisationFactory()
    first.members.add(person)
    path = send_invitation("g@example.org", second)
    invitee = Client()
    assert "sign in" in invitee.get(path).content.decode().lower()
    invitee.post(reverse("accounts:login"), {"username": "g@example.org", "password": PASSWORD})
    assert invitee.post(path).status_code == 302
    assert set(person.organisations.all()) == {first, second}
