"""The main navigation: each of its pages is titled by its link, which marks it as the page shown, and
only staff see the link to the staff dashboard."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CaseFactory, UserFactory
from tests.pages.addresses import in_spanish


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found is not None
    return found.group(1)


def current_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


@pytest.mark.parametrize(
    ("view_name", "english", "spanish"),
    [
        ("pages:home", "Home", "Inicio"),
        ("pages:case-list", "Cases", "Casos"),
        ("pages:statistics", "Statistics", "Estadísticas"),
    ],
)
def test_it_titles_each_public_page_of_the_navigation_by_its_link(
    db: None, client: Client, spanish_client: Client, view_name: str, english: str, spanish: str
) -> None:
    url = reverse(view_name)
    html = client.get(url).content.decode()
    assert title(html) == f"{english} · RRM case record"
    assert current_links(html) == [url]
    spanish_html = spanish_client.get(in_spanish(url)).content.decode()
    assert title(spanish_html) == f"{spanish} · Registro de casos del MLRR"
    assert current_links(spanish_html) == [in_spanish(url)]


def test_it_shows_the_staff_dashboard_link_to_staff_only(db: None, client: Client) -> None:
    link = f'href="{reverse("pages:staff-dashboard")}"'
    assert link not in client.get(reverse("pages:home")).content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert link in client.get(reverse("pages:home")).content.decode()
    html = client.get(reverse("pages:staff-dashboard")).content.decode()
    assert title(html) == "Staff deadlines · RRM case record"
    assert current_links(html) == [reverse("pages:staff-dashboard")]


def test_it_titles_a_page_outside_the_navigation_by_its_record_and_marks_no_link(
    db: None, client: Client
) -> None:
    case = CaseFactory(title="Tridonex")
    html = client.get(reverse("pages:case-detail", args=[case.case_id])).content.decode()
    assert title(html) == "Tridonex · RRM case record"
    assert current_links(html) == []
