"""Sign-in and sign-out, the authenticator code, two-factor authentication required of case officers
where the settings say so, and the language remembered from one sign-in to the next."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from accounts.models import Preferences
from tests.accounts.conftest import PASSWORD, authenticator_of, current_code, make_case_officer, make_person
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, **fields: str) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD, **fields})


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:home")).status_code == 200


def test_it_signs_in_with_a_password_and_out_again(client: Client) -> None:
    make_person("ana")
    response = sign_in(client, "ana")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("accounts:home")  # type: ignore[index]
    assert is_signed_in(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not is_signed_in(client)


def test_it_refuses_a_wrong_password_with_a_400(client: Client) -> None:
    make_person("ana")
    response = client.post(reverse("accounts:login"), {"username": "ana", "password": "wrong"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not is_signed_in(client)


def test_it_asks_a_user_with_an_authenticator_for_the_current_code(client: Client) -> None:
    device = authenticator_of(make_person("ana"))
    missing = sign_in(client, "ana")
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "code" in missing.context["form"].errors  # type: ignore[attr-defined]
    wrong = sign_in(client, "ana", code="000000" if current_code(device) != "000000" else "111111")
    assert "code" in wrong.context["form"].errors  # type: ignore[attr-defined]
    assert not is_signed_in(client)

    device.refresh_from_db()
    device.throttle_reset()
    assert sign_in(client, "ana", code=current_code(device)).status_code == 302  # type: ignore[attr-defined]
    assert is_signed_in(client)


def test_it_sends_a_case_officer_without_an_authenticator_to_set_one_up_where_required(
    client: Client, settings: Settings
) -> None:
    settings.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = True
    officer = make_case_officer()
    sign_in(client, "officer")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    api = client.get(reverse("v1:case-list"))
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]

    setup = client.get(reverse("accounts:two-factor"))
    assert setup.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in setup.content.decode()
    device = officer.totpdevice_set.get(confirmed=False)
    assert client.post(reverse("accounts:two-factor"), {"code": current_code(device)}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_lets_a_case_officer_who_signed_in_with_the_code_work_where_required(
    client: Client, settings: Settings
) -> None:
    settings.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = True
    device = authenticator_of(make_case_officer())
    sign_in(client, "officer", code=current_code(device))
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_does_not_ask_petitioners_for_a_code_even_where_officers_need_one(
    client: Client, settings: Settings
) -> None:
    settings.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS = True
    make_person("ana")
    sign_in(client, "ana")
    assert client.get(reverse("accounts:security")).status_code == 200


def test_it_requires_two_factor_authentication_outside_debug_by_default() -> None:
    from config.settings import base

    assert base.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS is (not base.DEBUG)
    assert settings.LOGIN_URL == "accounts:login"


def test_it_sends_the_admin_login_to_the_sign_in_page(client: Client) -> None:
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=%2Fadmin%2F" in response.redirect_chain[-1][0]


def test_it_remembers_the_language_chosen_while_signed_in_and_applies_it_at_the_next_sign_in(
    client: Client,
) -> None:
    make_person("ana")
    sign_in(client, "ana")
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert Preferences.objects.get(user__username="ana").language == "es"

    elsewhere = Client()
    response = sign_in(elsewhere, "ana")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"  # type: ignore[attr-defined]
    page = elsewhere.get(reverse("accounts:home"))
    assert page.headers["Content-Language"] == "es"
    assert "Cerrar sesión" in page.content.decode()


def test_it_shows_sign_in_and_sign_out_in_the_site_header(client: Client) -> None:
    CaseFactory()
    assert reverse("accounts:login") in client.get(reverse("pages:home")).content.decode()
    make_person("ana")
    sign_in(client, "ana")
    assert reverse("accounts:logout") in client.get(reverse("pages:home")).content.decode()
