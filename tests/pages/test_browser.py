"""The pages in a real browser: Debian's headless Chromium driven by Playwright against a live server with
the real cases. Nothing is downloaded: Playwright launches /usr/bin/chromium, and every request outside
the live server is refused and reported. Screenshots are kept in test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Route, sync_playwright

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Pixels of a canvas that are not fully transparent, i.e. that Chart.js has painted.
PAINTED_PIXELS_JS = """canvas => {
  const {width, height} = canvas;
  const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) painted++; }
  return painted;
}"""

# Each scrolling region of a table: how it is named and reached, whether its table is wider than it, the
# room its scrollbar takes (none for a scrollbar that appears only while scrolling), and, scrolled to the
# end, whether the last column is wholly in view and the region within the page.
SCROLL_REGIONS_JS = """() => Array.from(document.querySelectorAll(".table-scroll")).map(region => {
  region.scrollLeft = region.scrollWidth;
  const cells = region.querySelector("tbody tr").cells;
  const last = cells[cells.length - 1].getBoundingClientRect();
  const box = region.getBoundingClientRect();
  const style = getComputedStyle(region);
  const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  return {
    role: region.getAttribute("role"),
    tabindex: region.getAttribute("tabindex"),
    named: Boolean(region.getAttribute("aria-label")),
    overflows: region.scrollWidth > region.clientWidth,
    scrollbar: region.offsetHeight - region.clientHeight - borders,
    edgeShadows: style.backgroundImage.split("radial-gradient").length - 1,
    lastColumnInView: last.left >= box.left - 1 && last.right <= box.right + 1,
    withinThePage: box.left >= 0 && box.right <= window.innerWidth,
  };
})"""


class BrowserSession:
    """A page of headless Chromium that may only talk to the live server, and remembers what went wrong."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.refused: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._only_live_server)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def _only_live_server(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(self.base_url).netloc:
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, path
        self.page.wait_for_load_state("load")

    def screenshot(self, name: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def fits_the_screen(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _session(site: str, viewport: dict[str, int]) -> Iterator[BrowserSession]:
    with sync_playwright() as playwright:
        # Scrollbars are drawn as a visitor's browser draws them (Playwright hides them by default).
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            ignore_default_args=["--hide-scrollbars"],
        )
        try:
            context = browser.new_context(viewport=viewport, locale="en-US")
            yield BrowserSession(context.new_page(), site)
        finally:
            browser.close()


@pytest.fixture
def desktop(site: str) -> Iterator[BrowserSession]:
    yield from _session(site, DESKTOP)


@pytest.fixture
def phone(site: str) -> Iterator[BrowserSession]:
    yield from _session(site, PHONE)


def test_it_walks_from_the_home_page_through_a_filtered_list_to_a_case_and_the_charts(
    desktop: BrowserSession,
) -> None:
    page = desktop.page
    desktop.open(reverse("pages:home"))
    assert page.locator("h1").inner_text() == "Rapid Response Labor Mechanism: the case record"
    assert page.locator(".figures dd").first.inner_text() == "21"
    desktop.screenshot("desktop-home")

    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Year the case began").select_option("2021")
    page.get_by_label("Sector").select_option("manufacturing")
    page.get_by_role("button", name="Show cases").click()
    page.wait_for_url("**/cases/?*year=2021*")
    assert page.get_by_role("status").inner_text() == "2 cases found."  # GM Silao and Tridonex
    desktop.screenshot("desktop-case-list-2021-manufacturing")

    page.get_by_role("link", name="General Motors Silao pickup assembly plant").click()
    page.wait_for_url("**/cases/us-mx-2021-gm-silao/")
    assert page.locator("h1").inner_text() == "General Motors Silao pickup assembly plant"
    assert page.locator(".deadline").first.locator(".badge").first.inner_text() == "Met on time"
    assert "How the due date was computed:" in page.locator(".deadline").first.inner_text()
    desktop.screenshot("desktop-case-gm-silao")

    page.get_by_role("link", name="Statistics", exact=True).click()
    page.wait_for_url("**/statistics/")
    assert page.evaluate("Object.keys(Chart.instances).length") == 4
    for canvas in page.locator("canvas[data-chart]").all():
        assert canvas.evaluate(PAINTED_PIXELS_JS) > 1000, canvas.get_attribute("data-chart")
    desktop.screenshot("desktop-statistics")

    assert desktop.refused == [] and desktop.errors == []


def test_it_switches_to_spanish_with_the_language_switcher(desktop: BrowserSession) -> None:
    page = desktop.page
    desktop.open(reverse("pages:case-detail", args=["us-mx-2021-gm-silao"]))
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**/es/cases/us-mx-2021-gm-silao/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Cronología").is_visible()
    assert "Cumplido a tiempo" in page.locator(".deadline").first.inner_text()
    assert "12 de mayo de 2021" in page.locator(".timeline").inner_text()
    desktop.screenshot("desktop-case-gm-silao-es")

    page.get_by_role("link", name="Estadísticas", exact=True).click()
    page.wait_for_url("**/es/statistics/")
    assert page.get_by_role("heading", name="Aceptación a lo largo del tiempo").is_visible()
    assert page.evaluate("Object.keys(Chart.instances).length") == 4
    desktop.screenshot("desktop-statistics-es")
    assert desktop.refused == [] and desktop.errors == []


def test_it_leads_a_keyboard_user_past_the_header_with_the_skip_link(desktop: BrowserSession) -> None:
    page = desktop.page
    desktop.open(reverse("pages:case-list"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_year"


@pytest.mark.parametrize(
    ("name", "view_name", "args", "query"),
    [
        ("home", "pages:home", [], ""),
        ("case-list", "pages:case-list", [], "?year=2023"),
        ("case-gm-silao", "pages:case-detail", ["us-mx-2021-gm-silao"], ""),
        ("statistics", "pages:statistics", [], ""),
    ],
)
def test_it_fits_a_phone_screen_without_sideways_scrolling(
    phone: BrowserSession, name: str, view_name: str, args: list[str], query: str
) -> None:
    phone.open(reverse(view_name, args=args) + query)
    assert phone.page.evaluate("document.querySelector('meta[name=viewport]').content") == (
        "width=device-width, initial-scale=1"
    )
    assert phone.fits_the_screen()
    phone.screenshot(f"phone-{name}")
    assert phone.refused == [] and phone.errors == []


def test_it_scrolls_the_wide_statistics_tables_visibly_in_a_named_region_on_a_phone(
    phone: BrowserSession,
) -> None:
    phone.open(reverse("pages:statistics"))
    regions = phone.page.evaluate(SCROLL_REGIONS_JS)

    assert len(regions) == 4 and any(region["overflows"] for region in regions)
    for region in regions:
        assert (region["role"], region["tabindex"], region["named"]) == ("region", "0", True), region
        assert region["withinThePage"] and region["lastColumnInView"], region
        if region["overflows"]:
            assert region["scrollbar"] > 0 and region["edgeShadows"] == 2, region
    assert phone.fits_the_screen()
    phone.screenshot("phone-statistics-tables-scrolled")


def test_it_downloads_a_chart_as_png_drawn_in_the_browser(desktop: BrowserSession) -> None:
    desktop.open(reverse("pages:statistics"))
    button = desktop.page.get_by_role("button", name="Download the chart “Acceptance over time” as PNG")

    with desktop.page.expect_download() as download:
        button.click()

    assert download.value.suggested_filename == "rrm-acceptance-by-year.png"
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert desktop.refused == [] and desktop.errors == []
