"""The harness of the browser tests: Debian's headless Chromium driven by Playwright (tests/pages/
test_browser.py's BrowserSession: only the live server is reachable, page errors are kept), reader
sessions in a language, and axe-core's check of the page shown.

Playwright's sync API runs an event loop in the test's thread, where Django refuses database calls: a
test touches the database only before the browser starts or after it closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser, sync_playwright

from tests.pages.test_browser import CHROMIUM, CHROMIUM_ARGS, BrowserSession

SERIOUS = {"serious", "critical"}
LOCALES = {"en": "en-US", "es": "es-MX"}


def serious_violations(session: BrowserSession) -> list[str]:
    """axe-core's serious and critical violations on the page shown."""
    violations = Axe().run(session.page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v.get("impact") in SERIOUS]


def assert_accessible(session: BrowserSession) -> None:
    assert serious_violations(session) == [], session.page.url


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def reader(
    browser: Browser, site: str, *, language: str, viewport: dict[str, int], session_key: str = ""
) -> BrowserSession:
    """A browser context of its own (its own cookies) whose reader prefers `language` ("en" or "es"),
    signed in with `session_key` when one is given."""
    context = browser.new_context(viewport=viewport, locale=LOCALES[language])  # type: ignore[arg-type]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
    if session_key:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": site})
    context.add_cookies(cookies)  # type: ignore[arg-type]
    return BrowserSession(context.new_page(), site)


def assert_no_trouble(*sessions: BrowserSession) -> None:
    """No request left the live server and no page reported an error."""
    for session in sessions:
        assert (session.refused, session.errors) == ([], []), session.page.url
