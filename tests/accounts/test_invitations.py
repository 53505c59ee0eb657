"""Invitations: an organisation's administrator, or a case officer, invites by e-mail; the link works
once, until it expires; the invitee chooses a password and joins the organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, OrganisationAdministrator
from tests.accounts.conftest import PASSWORD, make_case_officer, make_person
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase for the new member 7"


def invite(client: Client, organisation_id: int, email: str, **fields: str) -> object:
    data = {"organisation": organisation_id, "email": email, "language": "en", **fields}
    return client.post(reverse("accounts:invite"), data)


def accept(client: Client, path: str, password: str = NEW_PASSWORD) -> object:
    return client.post(path, {"password1": password, "password2": password})


def test_it_lets_a_case_officer_create_an_account_by_invitation_without_a_superuser(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    """Defect of issue 14: accounts existed only if a superuser created them."""
    organisation = OrganisationFactory()
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = invite(client, organisation.pk, "Ana@Example.org")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert organisation.name in mail.outbox[-1].body

    invitee = Client()
    assert invitee.get(link_path()).status_code == 200
    response = accept(invitee, link_path())
    assert response.status_code == 302  # type: ignore[attr-defined]
    user = User.objects.get(username="ana@example.org")
    assert not user.is_superuser and not user.is_staff
    assert list(user.organisations.all()) == [organisation]
    assert user.check_password(NEW_PASSWORD)
    assert invitee.get(reverse("accounts:home")).status_code == 200  # signed in


def test_it_lets_an_organisation_administrator_invite_into_their_organisation_only(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    administrator = make_person("admin@own.org")
    own.members.add(administrator)
    OrganisationAdministrator.objects.create(organisation=own, user=administrator)
    client.force_login(administrator)

    refused = invite(client, other.pk, "b@example.org")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "organisation" in refused.context["form"].errors  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, own.pk, "b@example.org", as_administrator="on")
    accept(Client(), link_path())
    joined = User.objects.get(username="b@example.org")
    assert OrganisationAdministrator.objects.filter(organisation=own, user=joined).exists()


def test_it_refuses_the_invitation_page_to_a_member_who_administers_nothing(client: Client) -> None:
    member = make_person("member")
    OrganisationFactory().members.add(member)
    client.force_login(member)
    assert client.get(reverse("accounts:invite")).status_code == 403


def test_it_refuses_an_invitation_link_used_once_already(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, OrganisationFactory().pk, "c@example.org")
    path = link_path()
    accept(Client(), path)
    again = Client().get(path)
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert accept(Client(), path, "yet another passphrase of some length").status_code == 410  # type: ignore[attr-defined]
    assert User.objects.filter(username="c@example.org").count() == 1


def test_it_refuses_an_expired_invitation_link(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, OrganisationFactory().pk, "d@example.org")
    sent = timezone.now() - dt.timedelta(days=8)
    Invitation.objects.update(created_at=sent, expires_at=sent + dt.timedelta(days=7))
    response = accept(Client(), link_path())
    assert response.status_code == 410  # type: ignore[attr-defined]
    assert "expired" in response.content.decode()  # type: ignore[attr-defined]
    assert not User.objects.filter(username="d@example.org").exists()


def test_it_refuses_a_tampered_invitation_link(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, OrganisationFactory().pk, "e@example.org")
    assert Client().get(link_path()[:-3] + "abc/").status_code == 400


def test_it_names_the_password_fields_it_refuses_and_creates_nothing(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, OrganisationFactory().pk, "f@example.org")
    short = accept(Client(), link_path(), "short")
    assert short.status_code == 400  # type: ignore[attr-defined]
    assert "password1" in short.context["form"].errors  # type: ignore[attr-defined]
    differ = Client().post(link_path(), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "password2" in differ.context["form"].errors
    assert not User.objects.filter(username="f@example.org").exists()


def test_it_names_the_invitation_fields_it_refuses(client: Client) -> None:
    client.force_login(make_case_officer())
    response = client.post(reverse("accounts:invite"), {"organisation": "", "email": "not-an-address"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"organisation", "email", "language"}
    assert not Invitation.objects.exists()


def test_it_lets_an_existing_account_join_a_second_organisation_once_signed_in(
    client: Client, link_path: Callable[[], str], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    person = make_person("g@example.org", email="g@example.org")
    first, second = OrganisationFactory(), OrganisationFactory()
    first.members.add(person)
    client.force_login(make_case_officer())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        invite(client, second.pk, "g@example.org")
    invitee = Client()
    assert "sign in" in invitee.get(link_path()).content.decode().lower()
    invitee.post(reverse("accounts:login"), {"username": "g@example.org", "password": PASSWORD})
    assert invitee.post(link_path()).status_code == 302
    assert set(person.organisations.all()) == {first, second}
