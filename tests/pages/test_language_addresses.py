"""The language is in the address of every page (/en/…, /es/…), so that a shared link opens the page in
the language it was shared in; an address without one sends each visitor to their own language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import CaseFactory
from tests.pages.addresses import in_spanish


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


@pytest.mark.django_db
def test_it_shows_a_shared_spanish_address_in_spanish_whatever_the_visitors_language(client: Client) -> None:
    case = CaseFactory()
    address = in_spanish(reverse("pages:case-detail", args=[case.case_id]))

    response = client.get(address, HTTP_ACCEPT_LANGUAGE="en-US")

    assert address == f"/es/cases/{case.case_id}/"
    assert response.status_code == 200 and '<html lang="es">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "accept_language", "language"),
    [(None, "es-MX,es;q=0.9", "es"), (None, "en-GB", "en"), ("es", "en-US", "es"), ("en", "es", "en")],
)
def test_it_redirects_an_address_without_a_language_to_the_visitors_language(
    client: Client, cookie: str | None, accept_language: str, language: str
) -> None:
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    response = client.get("/cases/?year=2023", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/cases/?year=2023"


@pytest.mark.django_db
def test_it_links_each_page_to_its_other_languages_and_to_the_address_that_picks_one(client: Client) -> None:
    html = client.get(reverse("pages:case-list") + "?year=2023").content.decode()

    assert alternates(html) == {
        "en": "http://testserver/en/cases/?year=2023",
        "es": "http://testserver/es/cases/?year=2023",
        "x-default": "http://testserver/cases/?year=2023",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/public/cases/", "/feeds/cases/", "/healthz", "/admin/login/"])
def test_it_keeps_the_addresses_of_the_api_the_feeds_health_and_the_admin(client: Client, path: str) -> None:
    """No language prefix; the admin's sign-in page sends the reader to the one sign-in of the site."""
    response = client.get(path, follow=True)

    assert response.status_code == 200
    if path == "/admin/login/":
        assert [url for url, _status in response.redirect_chain][-1].startswith(reverse("accounts:login"))
