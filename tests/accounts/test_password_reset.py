"""Password reset by e-mail: a link that works once; the new password signs in, the old one does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh passphrase nobody guesses 19"


def test_it_resets_a_forgotten_password_through_the_e_mailed_link(
    client: Client, link_path: Callable[[], str]
) -> None:
    make_person("ana", email="ana@example.org")
    response = client.post(reverse("accounts:password-reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert "ana" in mail.outbox[-1].body

    form_page = client.get(link_path(), follow=True)
    assert form_page.context["validlink"]
    set_password = form_page.redirect_chain[-1][0]
    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302

    old = Client().post(reverse("accounts:login"), {"username": "ana", "password": PASSWORD})
    assert old.status_code == 400
    new = Client().post(reverse("accounts:login"), {"username": "ana", "password": NEW_PASSWORD})
    assert new.status_code == 302
    again = Client().get(link_path(), follow=True)
    assert not again.context["validlink"]


def test_it_sends_nothing_for_an_unknown_address_and_says_the_same(client: Client) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
