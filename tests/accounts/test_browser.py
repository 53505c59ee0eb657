"""The invitation journey in a real browser (Debian's Chromium through Playwright, as in
tests/pages/test_browser.py), in English and in Spanish: a case officer invites, the invitee chooses a
password from the e-mailed link, signs out and signs in again. axe-core checks every page on the way:
no serious or critical violation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser

from tests.accounts.conftest import PASSWORD, make_case_officer
from tests.browser import chromium, reader, serious_violations
from tests.factories import OrganisationFactory
from tests.pages.test_browser import PHONE, BrowserSession

pytestmark = pytest.mark.slow

NEW_PASSWORD = "una frase larga y poco común 2024"
# What each language calls the buttons and pages the journey goes through.
WORDS = {
    "en": {
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "create": "Create my account",
        "home": "Your workspace",
    },
    "es": {
        "sign_in": "Iniciar sesión",
        "sign_out": "Cerrar sesión",
        "create": "Crear mi cuenta",
        "home": "Su espacio de trabajo",
    },
}


@pytest.fixture
def people(transactional_db: None) -> None:
    """A case officer and an organisation, stored before the browser starts (Playwright's event loop
    forbids database calls in this thread once it runs)."""
    make_case_officer()
    OrganisationFactory(name="Sindicato Independiente")


@pytest.fixture
def browser(people: None) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def session(browser: Browser, site: str, language: str) -> BrowserSession:
    """A phone-sized browser whose reader prefers `language`."""
    return reader(browser, site, language=language, viewport=PHONE)


def accessible(browser_session: BrowserSession, name: str) -> None:
    """No serious or critical axe-core violation on the page shown; a screenshot of it for docs/."""
    assert serious_violations(browser_session) == [], name
    assert browser_session.fits_the_screen(), name
    browser_session.screenshot(name)


def sign_in(browser_session: BrowserSession, username: str, password: str, words: dict[str, str]) -> None:
    """Fill the sign-in page shown and land on the workspace."""
    browser_session.page.locator("#id_username").fill(username)
    browser_session.page.locator("#id_password").fill(password)
    browser_session.page.get_by_role("button", name=words["sign_in"], exact=True).click()
    browser_session.page.wait_for_url(f"**{reverse('accounts:home')}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_walks_an_invitation_to_a_signed_in_member_in_each_language(
    browser: Browser, live_server: object, language: str
) -> None:
    site = str(live_server.url)  # type: ignore[attr-defined]
    words = WORDS[language]

    officer = session(browser, site, language)
    officer.open(reverse("accounts:login"))
    accessible(officer, f"{language}-sign-in")
    sign_in(officer, "officer", PASSWORD, words)
    officer.open(reverse("accounts:invite"))
    accessible(officer, f"{language}-invite")
    officer.page.locator("#id_organisation").select_option(label="Sindicato Independiente")
    officer.page.locator("#id_email").fill("ana@example.org")
    officer.page.locator("#id_language").select_option(language)
    officer.page.locator("form button[type=submit]").last.click()
    officer.page.wait_for_selector(".message")

    link = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert link is not None
    invitee = session(browser, site, language)
    invitee.open(link.group(0).removeprefix(site))
    assert "Sindicato Independiente" in invitee.page.locator("h1").inner_text()
    accessible(invitee, f"{language}-accept-invitation")
    invitee.page.locator("#id_password1").fill(NEW_PASSWORD)
    invitee.page.locator("#id_password2").fill(NEW_PASSWORD)
    invitee.page.get_by_role("button", name=words["create"]).click()
    invitee.page.wait_for_url(f"**{reverse('accounts:home')}")
    assert invitee.page.locator("h1").inner_text() == words["home"]
    assert invitee.page.locator("html").get_attribute("lang") == language
    accessible(invitee, f"{language}-workspace")

    invitee.page.get_by_role("button", name=words["sign_out"]).click()
    invitee.page.get_by_role("link", name=words["sign_in"], exact=True).click()
    sign_in(invitee, "ana@example.org", NEW_PASSWORD, words)
    invitee.open(reverse("accounts:security"))
    accessible(invitee, f"{language}-security")
    assert invitee.refused == [] and invitee.errors == []
    assert officer.refused == [] and officer.errors == []
