"""The main navigation: each of its pages is titled by its link, which marks it as the page shown, and
only staff see the link to the staff dashboard."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.world import make_officer
from tests.factories import CaseFactory
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


def test_it_shows_the_work_queue_link_to_case_officers_only(db: None, client: Client) -> None:
    queue = reverse("pages:staff-queue")
    assert f'href="{queue}"' not in client.get(reverse("pages:home")).content.decode()
    client.force_login(make_officer())
    assert f'href="{queue}"' in client.get(reverse("pages:home")).content.decode()
    html = client.get(queue).content.decode()
    assert title(html) == "Work queue · RRM case record"
    assert current_links(html) == [queue]


def test_it_shows_the_work_queue_link_once_to_a_case_officer_on_a_workspace_page(
    db: None, client: Client
) -> None:
    client.force_login(make_officer())
    queue = reverse("pages:staff-queue")
    for page in ("pages:home", "accounts:home"):
        assert client.get(reverse(page)).content.decode().count(f'href="{queue}"') == 1, page


def test_it_titles_a_page_outside_the_navigation_by_its_record_and_marks_no_link(
    db: None, client: Client
) -> None:
    case = CaseFactory(title="Tridonex")
    html = client.get(reverse("pages:case-detail", args=[case.case_id])).content.decode()
    assert title(html) == "Tridonex · RRM case record"
    assert current_links(html) == []
