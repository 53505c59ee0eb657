"""The petitioner's and the visitor's journeys in a real browser (the harness of test_browser.py): a member
files a petition with evidence, in English and in Spanish, and an anonymous visitor follows a case and
receives its next event. axe-core runs on every page of the journeys; no serious or critical violation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from petitions.models import Petition
from rrm import workflow
from rrm.choices import Initiation, Stage
from rrm.models import Case, Subscription
from tests.api.world import PDF_BYTES
from tests.browser import assert_accessible, assert_no_trouble, chromium, reader
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.pages.test_browser import DESKTOP, PHONE, BrowserSession

pytestmark = pytest.mark.slow


@contextmanager
def browser(
    site: str, *, language: str, viewport: dict[str, int], session_key: str = ""
) -> Iterator[BrowserSession]:
    """One reader in a browser of its own; nothing went wrong when it closes."""
    # The addresses reverse() gives are the reader's language's (/en/…, /es/…).
    with chromium() as launched, translation.override(language[:2]):
        session = reader(launched, site, language=language[:2], viewport=viewport, session_key=session_key)
        yield session
        assert_no_trouble(session)


def signed_in_member(username: str) -> str:
    """A member of an organisation and the key of a session signed in as it."""
    user: User = UserFactory(username=username)
    OrganisationFactory(name=f"Sindicato de {username}").members.add(user)
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def submit_fields(session: BrowserSession, fields: dict[str, str], *, button: str, then: str = "") -> None:
    """Fill the fields (by id; a value starting with "=" is an option to select), press the button, wait
    for the next step's page and check it."""
    for field, value in fields.items():
        if value.startswith("="):
            session.page.locator(field).select_option(value[1:])
        else:
            session.page.locator(field).fill(value)
    session.page.get_by_role("main").get_by_role("button", name=button).click()  # not the header's search
    if then:
        session.page.wait_for_url(f"**/{then}/")
        assert_accessible(session)


def file_with_evidence(session: BrowserSession, *, text: dict[str, str], find: str) -> None:
    page = session.page
    with translation.override(text["lang"]):
        session.open(reverse("pages:workspace"))
    assert_accessible(session)
    page.get_by_role("link", name=text["start"]).click()
    assert_accessible(session)
    submit_fields(session, {}, button=text["start_draft"], then="facility")
    if find:
        submit_fields(session, {"#facility-q": find}, button=text["search"])
        page.get_by_role("radio").first.check()
        submit_fields(session, {}, button=text["choose"], then="claims")
    else:
        named = {"#id_name": "Planta Norte", "#id_operator": "Minera del Norte", "#id_state": "=COA"}
        submit_fields(session, named, button=text["save"], then="claims")
    claim = {"#id_category": "=dismissal_union_activity", "#id_description": "Twelve dismissals."}
    submit_fields(session, claim, button=text["add_claim"])
    session.page.get_by_text("Twelve dismissals.").wait_for()
    facts = {"#id_narrative": "On 2 February the employer dismissed twelve workers."}
    submit_fields(session, facts, button=text["save"], then="petitioners")
    contact = {"#id_contact_name": "Ana López", "#id_contact_email": "ana@example.org"}
    submit_fields(session, contact, button=text["save"], then="evidence")
    page.locator("#id_file").set_input_files(
        files=[{"name": "letters.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator("#id_title").fill(text["evidence_title"])
    page.get_by_role("button", name=text["upload"]).click()
    page.locator(".evidence li").filter(has_text=text["evidence_title"]).wait_for()
    assert_accessible(session)
    page.get_by_role("link", name=text["to_review"]).click()
    page.wait_for_url("**/review/")
    assert_accessible(session)
    session.screenshot(f"workspace-review-{text['lang']}")
    page.get_by_role("button", name=text["file"]).click()
    page.wait_for_url("**/workspace/cases/**")
    assert page.get_by_text(text["filed_event"]).first.is_visible()
    assert page.get_by_text(text["evidence_title"]).is_visible()
    assert_accessible(session)
    session.screenshot(f"workspace-case-{text['lang']}")


ENGLISH = {
    "lang": "en",
    "start": "Start a petition",
    "start_draft": "Start the draft",
    "facility_name": "Facility name",
    "search": "Search",
    "choose": "Choose this facility",
    "save": "Save and continue",
    "add_claim": "Add the claim",
    "upload": "Upload",
    "to_review": "Continue to the review",
    "file": "File the petition",
    "filed_event": "Petition filed by the petitioners",
    "evidence_title": "Dismissal letters",
}
SPANISH = {
    "lang": "es",
    "start": "Iniciar una petición",
    "start_draft": "Iniciar el borrador",
    "facility_name": "Nombre de la instalación",
    "search": "Buscar",
    "choose": "Elegir esta instalación",
    "save": "Guardar y continuar",
    "add_claim": "Añadir la reclamación",
    "upload": "Subir",
    "to_review": "Continuar a la revisión",
    "file": "Presentar la petición",
    "filed_event": "Petición presentada por los peticionarios",
    "evidence_title": "Cartas de despido",
}


def test_it_files_a_petition_with_evidence_in_english(site: str) -> None:
    session_key = signed_in_member("ana")
    with browser(site, language="en-US", viewport=DESKTOP, session_key=session_key) as session:
        file_with_evidence(session, text=ENGLISH, find="Silao")
    petition = Petition.objects.get(petitioners__organisation__members__username="ana")
    assert petition.status == Petition.Status.SUBMITTED and petition.facility is not None
    assert "Silao" in petition.facility.name and petition.evidence.get().title == "Dismissal letters"


def test_it_files_a_petition_with_evidence_in_spanish_on_a_phone(site: str) -> None:
    session_key = signed_in_member("lucia")
    with browser(site, language="es-MX", viewport=PHONE, session_key=session_key) as session:
        file_with_evidence(session, text=SPANISH, find="")
        assert session.fits_the_screen()
    petition = Petition.objects.get(petitioners__organisation__members__username="lucia")
    assert petition.case is not None and petition.case.facility.name == "Planta Norte"


def test_an_anonymous_visitor_follows_a_case_and_receives_its_next_event(site: str) -> None:
    case: Case = CaseFactory(stage=Stage.SUBMITTED, initiation=Initiation.PETITION, title="Planta Sur")
    with browser(site, language="en-US", viewport=DESKTOP) as session:
        session.open(reverse("pages:case-detail", kwargs={"case_id": case.case_id}))
        assert_accessible(session)
        feed = reverse("feeds:case-events", kwargs={"case_id": case.case_id})
        assert session.page.locator(f".follow-box a[href^='{feed}']").count() == 1
        session.page.get_by_label("Your e-mail address").fill("reader@example.org")
        session.page.get_by_role("button", name="Send me the next events").click()
        session.page.get_by_role("heading", name="Check your inbox").wait_for()
        assert_accessible(session)
        (confirmation,) = mail.outbox
        link = re.search(r"https?://\S+(/follow/confirm/\S+/)", confirmation.body)
        assert link is not None
        session.open(link.group(1))
        assert session.page.get_by_role("status").inner_text().startswith("Confirmed")
        assert_accessible(session)
    assert Subscription.objects.get(email="reader@example.org").confirmed_at is not None
    with translation.override("en"):
        workflow.transition(case_id=case.case_id, action="record_receipt", on=dt.date(2024, 3, 4))
    notice = mail.outbox[-1]
    assert notice.to == ["reader@example.org"] and "Petition received by OTLA" in notice.subject
    unsubscribe = re.search(r"https?://\S+(/unsubscribe/\S+/)", notice.body)
    assert unsubscribe is not None
    with browser(site, language="en-US", viewport=DESKTOP) as session:
        session.open(unsubscribe.group(1))
        assert_accessible(session)
        session.page.get_by_role("button", name="Stop the notices").click()
        session.page.get_by_role("status").wait_for()
        assert_accessible(session)
    assert not Subscription.objects.exists()
