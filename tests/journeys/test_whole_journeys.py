"""Issue 14's whole journeys in a real browser (tests/browser.py), in English and in Spanish: a case
officer invites an NGO member, who signs in and files a petition with evidence; the officer works the
case from the queue (receipt, then the ILC's determination with the request for review) and after each
step the member has a notice in their language; an anonymous visitor follows the case and receives the
next event. axe-core checks every page of the journeys: no serious or critical violation.

The README's screenshots of the petitioner's workspace and of a public case's follow box
(docs/screenshots/) are copies of the ones this journey leaves in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests.accounts.conftest import PASSWORD, make_case_officer
from tests.accounts.test_browser import NEW_PASSWORD, sign_in
from tests.accounts.test_browser import WORDS as ACCOUNT_WORDS
from tests.browser import assert_accessible, assert_no_trouble, chromium, reader
from tests.factories import OrganisationFactory
from tests.pages.test_browser import DESKTOP, BrowserSession
from tests.pages.test_petitioner_browser import ENGLISH, SPANISH, file_with_evidence
from tests.pages.test_staff_browser import WORDS as STAFF_WORDS
from tests.pages.test_staff_browser import record_step

pytestmark = pytest.mark.slow

MEMBER = "ana@example.org"
VISITOR = "lector@example.org"
ORGANISATION = "Sindicato Independiente"
# What each language calls the events the notices announce, and the words of the notices and pages.
WORDS = {
    "en": {
        "petition_received": "Petition received by OTLA",
        "request_for_review": "Request for review sent to Mexico",
        "mexico_accepted": "Mexico accepted to review",
        "subject": "[RRM]",
        "happened": "What happened:",
        "follow": "Send me the next events",
        "confirmed": "Confirmed",
    },
    "es": {
        "petition_received": "Petición recibida por la OTLA",
        "request_for_review": "Solicitud de revisión enviada a México",
        "mexico_accepted": "México aceptó realizar la revisión",
        "subject": "[MLRR]",
        "happened": "Qué pasó:",
        "follow": "Enviarme los próximos eventos",
        "confirmed": "Confirmado",
    },
}


@pytest.fixture
def site(transactional_db: None, live_server: Any, settings: Any, tmp_path: Any) -> str:
    """The live server with a case officer and an organisation, stored before the browser starts."""
    settings.MEDIA_ROOT = tmp_path
    make_case_officer()
    OrganisationFactory(name=ORGANISATION)
    return str(live_server.url)


def link_in_last_mail(to: str, pattern: str = r"https?://\S+") -> str:
    """The path of the first link matching `pattern` in the last e-mail sent to `to`."""
    body = [message for message in mail.outbox if message.to == [to]][-1].body
    match = re.search(pattern, body)
    assert match is not None, body
    return "/" + match.group(0).split("/", 3)[3]


def assert_notice(to: str, *, case_id: str, event: str, words: dict[str, str]) -> None:
    """The last e-mail to `to` tells of `event` on the case, in the reader's language."""
    notice = [message for message in mail.outbox if message.to == [to]][-1]
    assert notice.subject == f"{words['subject']} {case_id}: {words[event]}", notice.subject
    assert f"{words['happened']} {words[event]}" in notice.body, notice.body


def invite(officer: BrowserSession, language: str) -> None:
    officer.open(reverse("accounts:invite"))
    assert_accessible(officer)
    officer.page.locator("#id_organisation").select_option(label=ORGANISATION)
    officer.page.locator("#id_email").fill(MEMBER)
    officer.page.locator("#id_language").select_option(language)
    officer.page.locator("form button[type=submit]").last.click()
    officer.page.wait_for_selector(".message")
    assert_accessible(officer)


def join_and_sign_in(member: BrowserSession, language: str) -> None:
    """Open the invitation, choose a password, sign out, and sign in again."""
    words = ACCOUNT_WORDS[language]
    member.open(link_in_last_mail(MEMBER))
    assert_accessible(member)
    member.page.locator("#id_password1").fill(NEW_PASSWORD)
    member.page.locator("#id_password2").fill(NEW_PASSWORD)
    member.page.get_by_role("button", name=words["create"]).click()
    member.page.wait_for_url(f"**{reverse('accounts:home')}")
    member.page.get_by_role("button", name=words["sign_out"]).click()
    member.page.get_by_role("link", name=words["sign_in"], exact=True).click()
    assert_accessible(member)
    sign_in(member, MEMBER, NEW_PASSWORD, words)
    assert_accessible(member)


def follow(visitor: BrowserSession, case_id: str, language: str) -> None:
    """Follow the public case by e-mail and confirm the address from the e-mailed link."""
    words = WORDS[language]
    visitor.open(reverse("pages:case-detail", kwargs={"case_id": case_id}))
    assert visitor.page.locator(".follow-box").is_visible()
    assert_accessible(visitor)
    visitor.screenshot(f"public-case-follow-{language}", full_page=False)
    visitor.page.locator("#follow-email").fill(VISITOR)
    visitor.page.get_by_role("button", name=words["follow"]).click()
    visitor.page.get_by_role("status").wait_for()
    assert_accessible(visitor)
    visitor.open(link_in_last_mail(VISITOR, r"https?://\S+/follow/confirm/\S+/"))
    assert visitor.page.get_by_role("status").inner_text().startswith(words["confirmed"])
    assert_accessible(visitor)


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_walks_a_petition_from_the_invitation_to_the_notices_of_its_member_and_a_follower(
    site: str, language: str
) -> None:
    words = WORDS[language]
    staff_words = STAFF_WORDS[language]
    today = timezone.localdate()
    # The addresses reverse() gives are the reader's language's (/en/…, /es/…).
    with translation.override(language), chromium() as browser:
        officer = reader(browser, site, language=language, viewport=DESKTOP)
        officer.open(reverse("accounts:login"))
        assert_accessible(officer)
        sign_in(officer, "officer", PASSWORD, ACCOUNT_WORDS[language])
        invite(officer, language)

        member = reader(browser, site, language=language, viewport=DESKTOP)
        join_and_sign_in(member, language)
        file_with_evidence(member, text={"en": ENGLISH, "es": SPANISH}[language], find="")
        case_id = member.page.url.rstrip("/").rsplit("/", 1)[1]
        assert member.page.locator("html").get_attribute("lang") == language

        officer.open(reverse("pages:staff-queue"))
        assert_accessible(officer)
        officer.page.locator("#queue-screening").locator("xpath=..").get_by_role("link", name=case_id).click()
        officer.page.wait_for_url(f"**{reverse('pages:staff-case', args=[case_id])}")
        assert_accessible(officer)
        record_step(officer, "record_receipt", today, staff_words)
        assert_notice(MEMBER, case_id=case_id, event="petition_received", words=words)
        record_step(officer, "request_review", today, staff_words)
        assert_notice(MEMBER, case_id=case_id, event="request_for_review", words=words)

        visitor = reader(browser, site, language=language, viewport=DESKTOP)
        follow(visitor, case_id, language)
        record_step(officer, "mexico_accepts", today, staff_words)
        assert_notice(VISITOR, case_id=case_id, event="mexico_accepted", words=words)
        assert_notice(MEMBER, case_id=case_id, event="mexico_accepted", words=words)
        assert_no_trouble(officer, member, visitor)
