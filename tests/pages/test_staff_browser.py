"""A case officer works a case from the work queue in a real browser (Debian's Chromium, driven by
Playwright), in English and in Spanish: records OTLA's receipt, then the ILC's positive determination with
the request for review (one step of the transition table), then Mexico's acceptance, previewing each step's
clocks before recording it. axe-core checks every page of the journey: no serious or critical violation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rrm.models import Case, TimelineEvent
from tests.api.world import ON, World, build_world
from tests.browser import chromium, reader, serious_violations
from tests.pages.test_browser import DESKTOP, PHONE, BrowserSession

pytestmark = pytest.mark.slow

StaffSite = tuple[str, World, str]
# What the pages say in each language, where the journey reads them.
WORDS = {
    "en": {"queue": "Work queue", "screen": "Petitions to screen", "preview": "Before you record it"},
    "es": {
        "queue": "Cola de trabajo",
        "screen": "Peticiones por examinar",
        "preview": "Antes de registrarlo",
    },
}


@pytest.fixture
def staff_site(
    transactional_db: None, live_server: Any, settings: Any, tmp_path: Any
) -> tuple[str, World, str]:
    """The live server, a petition filed and waiting for receipt, and a signed-in officer's session
    (made before the browser starts: the browser must not run while the test touches the database)."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = Client()
    client.force_login(world.officer)
    return str(live_server.url), world, client.cookies[settings.SESSION_COOKIE_NAME].value


def _officer_browser(
    site: str, session: str, language: str, viewport: dict[str, int]
) -> Iterator[BrowserSession]:
    with chromium() as launched, translation.override(language):
        yield reader(launched, site, language=language, viewport=viewport, session_key=session)


def record_step(
    session: BrowserSession, action: str, on: dt.date, words: dict[str, str], screenshot: str = ""
) -> None:
    """Choose the step, date it, preview it (checked by axe-core), then record it."""
    page = session.page
    page.locator(f'input[name="step-action"][value="{action}"]').check()
    page.locator("#id_step-on").fill(on.isoformat())
    page.locator('form:has(input[name="form"][value="step"]) button[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert words["preview"] in page.locator("#preview-heading").inner_text()
    assert serious_violations(session) == [], (action, "preview")
    if screenshot:
        session.screenshot(screenshot)
    page.locator('button[name="commit"]').click()
    page.wait_for_load_state("load")
    assert page.locator(".messages").is_visible()
    assert serious_violations(session) == [], (action, "recorded")


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_lets_a_case_officer_work_a_case_from_the_queue(staff_site: StaffSite, language: str) -> None:
    site, world, session_key = staff_site
    words = WORDS[language]
    for officer in _officer_browser(site, session_key, language, DESKTOP):
        page = officer.page
        with translation.override(language):
            queue, case_page = (
                reverse("pages:staff-queue"),
                reverse("pages:staff-case", args=[world.case.case_id]),
            )
        officer.open(queue)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").inner_text() == words["queue"]
        assert serious_violations(officer) == []
        screening = page.locator("#queue-screening").locator("xpath=..")
        assert words["screen"] in screening.locator("h2").inner_text()
        officer.screenshot(f"staff-queue-{language}")

        screening.get_by_role("link", name=world.case.case_id).click()
        page.wait_for_url(f"**{case_page}")
        assert serious_violations(officer) == []
        offered = page.locator('input[name="step-action"]').evaluate_all("inputs => inputs.map(i => i.value)")
        assert offered == ["record_receipt", "withdraw"]

        record_step(officer, "record_receipt", ON["receipt"], words)
        record_step(officer, "request_review", ON["request"], words, f"staff-case-preview-{language}")
        record_step(officer, "mexico_accepts", ON["response"], words)
        officer.screenshot(f"staff-case-{language}")
        assert officer.refused == [] and officer.errors == []

    kinds = list(TimelineEvent.objects.filter(case=world.case).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "petition_filed",
        "petition_received",
        "request_for_review",
        "liquidation_suspended",
        "mexico_accepted",
    ]
    assert Case.objects.get(pk=world.case.pk).stage == "mexico_review"


def test_it_fits_the_staff_case_page_on_a_phone(staff_site: StaffSite) -> None:
    site, world, session_key = staff_site
    for officer in _officer_browser(site, session_key, "en", PHONE):
        officer.open(reverse("pages:staff-case", args=[world.case.case_id]))
        assert officer.fits_the_screen()
        officer.open(reverse("pages:staff-queue"))
        assert officer.fits_the_screen()
        officer.screenshot("phone-staff-queue")
        assert officer.refused == [] and officer.errors == []
