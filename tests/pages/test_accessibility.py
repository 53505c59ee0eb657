"""Accessibility rules every page keeps: language, landmarks, one heading 1, a skip link, a label for every
form control, an accessible name for every chart, and colours with enough contrast (WCAG 2.2 AA)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rrm.models import Case
from tests.api.world import make_officer

CSS = Path(__file__).resolve().parents[2] / "pages" / "static" / "pages" / "site.css"

# (text colour, background colour) pairs of site.css, by custom property or literal value.
TEXT_PAIRS = [
    ("--text", "--background"),
    ("--muted", "--background"),
    ("--muted", "--surface"),
    ("--accent", "--background"),
    ("--accent", "--surface"),
    ("--met-text", "--met-bg"),
    ("--late-text", "--late-bg"),
    ("--open-text", "--open-bg"),
    ("--overdue-text", "--overdue-bg"),
    ("--cancelled-text", "--cancelled-bg"),
    ("#ffffff", "--accent-dark"),
    ("#ffffff", "--accent"),
]
# A focus ring is a graphical object: 3:1 against the background it is drawn on.
FOCUS_PAIRS = [("--focus", "--background"), ("--focus", "--surface"), ("#ffd27a", "--accent-dark")]


@dataclass
class PageOutline(HTMLParser):
    """What the rules need from a page: its language, landmarks, headings, controls and their labels."""

    lang: str = ""
    first_body_element: tuple[str, dict[str, str]] | None = None
    tags: list[str] = field(default_factory=list)
    h1_count: int = 0
    label_targets: set[str] = field(default_factory=set)
    controls: list[dict[str, str]] = field(default_factory=list)
    canvases: list[dict[str, str]] = field(default_factory=list)
    viewport: str = ""
    in_body: bool = False

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "body":
            self.in_body = True
        elif self.in_body and self.first_body_element is None:
            self.first_body_element = (tag, values)
        if tag == "meta" and values.get("name") == "viewport":
            self.viewport = values.get("content", "")
        if tag == "h1":
            self.h1_count += 1
        if tag == "label" and "for" in values:
            self.label_targets.add(values["for"])
        if tag in {"select", "textarea"} or (
            tag == "input" and values.get("type") not in {"hidden", "submit"}
        ):
            self.controls.append(values)
        if tag == "canvas":
            self.canvases.append(values)


def outline(html: str) -> PageOutline:
    parsed = PageOutline()
    parsed.feed(html)
    return parsed


def page_urls(language: str = "en") -> list[str]:
    case = Case.objects.get(case_id="us-mx-2021-gm-silao")
    with translation.override(language):
        return _page_urls(case)


def _page_urls(case: Case) -> list[str]:
    return [
        reverse("pages:home"),
        reverse("pages:case-list"),
        reverse("pages:case-list") + "?sector=shipbuilding",
        reverse("pages:case-detail", args=[case.case_id]),
        reverse("pages:facility-detail", args=[case.facility_id]),
        reverse("pages:company-detail", args=[case.facility.operator_id]),
        reverse("pages:statistics"),
        reverse("pages:staff-queue"),
        reverse("pages:staff-case", args=[case.case_id]),
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_gives_every_page_a_language_landmarks_one_heading_and_a_skip_link(
    real_cases: None, client: Client, language: str
) -> None:
    client.force_login(make_officer())
    for url in page_urls(language):
        page = outline(client.get(url).content.decode())
        assert page.lang == language, url
        assert page.first_body_element == ("a", {"class": "skip-link", "href": "#main"}), url
        assert {"header", "nav", "main", "footer"} <= set(page.tags), url
        assert page.h1_count == 1, url
        assert page.viewport == "width=device-width, initial-scale=1", url


def test_it_labels_every_form_control_and_names_every_chart(real_cases: None, client: Client) -> None:
    client.force_login(make_officer())
    for url in page_urls():
        page = outline(client.get(url).content.decode())
        unlabelled = [
            c for c in page.controls if c.get("id") not in page.label_targets and not c.get("aria-label")
        ]
        assert not unlabelled, url
        assert all(canvas.get("role") == "img" and canvas.get("aria-label") for canvas in page.canvases), url


def _custom_properties() -> dict[str, str]:
    root = CSS.read_text(encoding="utf-8").split(":root {")[1].split("}")[0]
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6});", root))


def _colour(name: str, properties: dict[str, str]) -> str:
    return properties[name] if name.startswith("--") else name


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_it_keeps_text_at_4_5_to_1_and_focus_rings_at_3_to_1_contrast() -> None:
    properties = _custom_properties()
    low_text = [
        (text, background)
        for text, background in TEXT_PAIRS
        if contrast(_colour(text, properties), _colour(background, properties)) < 4.5
    ]
    low_focus = [
        (ring, background)
        for ring, background in FOCUS_PAIRS
        if contrast(_colour(ring, properties), _colour(background, properties)) < 3
    ]
    assert not low_text and not low_focus
