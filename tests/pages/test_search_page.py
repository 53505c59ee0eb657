"""The search box in the header of every page and the search results page: grouped by kind, with
escaped, highlighted snippets, in English and Spanish, without JavaScript, nothing confidential."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from public.search import MAX_LENGTH
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    DocumentFactory,
    FacilityFactory,
    TimelineEventFactory,
)
from tests.pages.addresses import in_spanish, pages_of_a_case


def search_page(client: Client, words: str, *, spanish: bool = False) -> str:
    address = reverse("pages:search")
    response = client.get(in_spanish(address) if spanish else address, {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, kind: str) -> str:
    found = re.search(rf'<section aria-labelledby="found-{kind}">(.*?)</section>', html, re.S)
    assert found is not None, kind
    return found.group(1)


@pytest.mark.django_db
def test_it_puts_an_accessible_search_box_that_needs_no_script_on_every_page(client: Client) -> None:
    case = CaseFactory()
    pages = [*pages_of_a_case(case), reverse("pages:search")]
    for url in pages:
        html = client.get(url).content.decode()
        form = re.search(
            r'<form class="search-form" role="search" action="([^"]+)" method="get">(.*?)</form>', html, re.S
        )
        assert form is not None, url
        assert form.group(1) == reverse("pages:search")
        assert '<label for="site-search">Search the record</label>' in form.group(2)
        assert 'id="site-search" type="search" name="q"' in form.group(2)


@pytest.mark.django_db
def test_it_groups_the_matches_by_kind_with_their_links_and_snippets(client: Client) -> None:
    facility = FacilityFactory(name="Planta Xicotepec", operator=CompanyFactory(name="Xicotepec Holdings"))
    case = CaseFactory(facility=facility, title="Xicotepec auto parts")
    TimelineEventFactory(case=case, description="Votación del sindicato en Xicotepec")
    DocumentFactory(case=case, title="Informe Xicotepec", url="https://example.org/informe.pdf")

    html = search_page(client, "xicotepec")

    cases = section(html, "cases")
    assert reverse("pages:case-detail", args=[case.case_id]) in cases
    assert "<mark>Xicotepec</mark> auto parts" in cases
    assert reverse("pages:facility-detail", args=[facility.pk]) in section(html, "facilities")
    assert reverse("pages:company-detail", args=[facility.operator_id]) in section(html, "companies")
    assert "sindicato en <mark>Xicotepec</mark>" in section(html, "events")
    assert 'href="https://example.org/informe.pdf"' in section(html, "documents")


@pytest.mark.django_db
def test_it_folds_accents_on_the_page(client: Client) -> None:
    CaseFactory(summary_es="El síndicato independiente")

    assert "<mark>síndicato</mark>" in section(search_page(client, "sindicato"), "cases")


@pytest.mark.django_db
def test_it_escapes_markup_of_the_record_in_a_snippet(client: Client) -> None:
    CaseFactory(summary_en="Xicotepec <script>alert(1)</script>")

    cases = section(search_page(client, "xicotepec"), "cases")

    assert "<script>" not in cases
    assert "&lt;script&gt;alert(1)" in cases


@pytest.mark.django_db
def test_it_finds_nothing_confidential_on_the_page(client: Client) -> None:
    case = CaseFactory(notes="Internal Xochiquetzal")
    DocumentFactory(case=case, title="Memorando Xochiquetzal", confidential=True)

    html = search_page(client, "xochiquetzal")

    assert "Xochiquetzal" not in html.replace('value="xochiquetzal"', "")
    assert html.count("Nothing found.") == 5


@pytest.mark.django_db
def test_it_shows_the_search_page_in_spanish(spanish_client: Client) -> None:
    CaseFactory(title="Planta de Xicotepec")

    html = search_page(spanish_client, "xicotepec", spanish=True)

    assert '<label for="site-search">Buscar en el registro</label>' in html
    assert "Casos" in section(html, "cases")
    assert "Eventos de la cronología" in section(html, "events")
    assert "No se encontró nada." in section(html, "events")


@pytest.mark.django_db
@pytest.mark.parametrize("words", ["", "   ", "x" * (MAX_LENGTH + 1)])
def test_it_answers_an_empty_or_too_long_search_with_the_reason(client: Client, words: str) -> None:
    response = client.get(reverse("pages:search"), {"q": words})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'aria-invalid="true" aria-describedby="search-error"' in html


@pytest.mark.django_db
def test_it_shows_only_the_form_before_a_search(client: Client) -> None:
    response = client.get(reverse("pages:search"))

    assert response.status_code == 200
    assert "<section" not in response.content.decode()
