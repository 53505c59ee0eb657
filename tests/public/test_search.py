"""Full-text search on the public lists (q=): accents folded, Spanish and English stemming, ranking,
HTML-safe highlighted snippets, nothing confidential found, and a 400 for a bad q."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from petitions.models import Petition
from public.api.search_filter import SearchWordsField
from public.search import MAX_LENGTH, search_everything
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    DocumentFactory,
    FacilityFactory,
    PetitionerFactory,
    PetitionFactory,
    TimelineEventFactory,
)
from tests.public.conftest import results

pytestmark = pytest.mark.usefixtures("generous_budget")
CASES = "/api/v1/public/cases/"
EVENTS = "/api/v1/public/events/"
FACILITIES = "/api/v1/public/facilities/"
COMPANIES = "/api/v1/public/companies/"
SEARCHED_LISTS = (CASES, EVENTS, FACILITIES, COMPANIES)


def found_cases(api: APIClient, words: str, **params: Any) -> list[str]:
    return [row["case_id"] for row in results(api.get(CASES, {"q": words, "page_size": 100, **params}))]


@pytest.mark.usefixtures("imported_cases")
@pytest.mark.parametrize(
    ("words", "case_id"),
    [
        ("Tridonex", "us-mx-2021-tridonex"),
        ("tridonex", "us-mx-2021-tridonex"),
        ("TRIDONEX", "us-mx-2021-tridonex"),
        ("Matamoros", "us-mx-2021-tridonex"),
        ("matamoros", "us-mx-2021-tridonex"),
        ("Silao", "us-mx-2021-gm-silao"),
        ("silao", "us-mx-2021-gm-silao"),
        ("Tamaulipas", "us-mx-2021-tridonex"),
    ],
)
def test_it_finds_the_real_cases_by_name_or_place_whatever_the_case_of_the_letters(
    api: APIClient, words: str, case_id: str
) -> None:
    assert case_id in found_cases(api, words)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("El sindicato independiente pidió la revisión", "síndicato"),
        ("El síndicato independiente pidió la revisión", "sindicato"),
        ("Trabajadores de Querétaro", "queretaro"),
        ("Trabajadores de Queretaro", "Querétaro"),
    ],
)
def test_it_folds_accents_both_ways(api: APIClient, written: str, searched: str) -> None:
    case = CaseFactory(summary_es=written)
    CaseFactory(summary_es="Nada que ver")

    assert found_cases(api, searched) == [case.case_id]


# A search, and the case column and text it must find: English and Spanish stems.
STEMMED = {
    "workers": ("summary_en", "One worker was dismissed for organising"),
    "worker": ("summary_en", "The workers were dismissed"),
    "trabajadores": ("summary_es", "Un trabajador fue despedido"),
    "trabajadora despedida": ("summary_es", "Las trabajadoras fueron despedidas"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("searched", list(STEMMED))
def test_it_stems_english_and_spanish_words(api: APIClient, searched: str) -> None:
    field, written = STEMMED[searched]
    case = CaseFactory(**{field: written})
    CaseFactory(**{field: "Nothing related at all"})

    assert found_cases(api, searched) == [case.case_id]


@pytest.mark.django_db
def test_it_ranks_a_name_match_above_a_passing_mention(api: APIClient) -> None:
    mention = CaseFactory(
        case_id="us-mx-2024-aaa-mention",
        summary_en="Among many plants of the region, workers also mentioned Zacatlan once in passing.",
    )
    named = CaseFactory(case_id="us-mx-2024-zzz-named", title="Zacatlan auto parts plant")

    assert found_cases(api, "zacatlan") == [named.case_id, mention.case_id]


@pytest.mark.django_db
def test_it_keeps_an_explicit_ordering_of_a_search(api: APIClient) -> None:
    mention = CaseFactory(case_id="us-mx-2024-aaa-mention", summary_en="Zacatlan in passing.")
    named = CaseFactory(case_id="us-mx-2024-zzz-named", title="Zacatlan plant")

    assert found_cases(api, "zacatlan", ordering="case_id") == [mention.case_id, named.case_id]


@pytest.mark.django_db
def test_it_finds_a_case_by_its_facility_or_company(api: APIClient) -> None:
    facility = FacilityFactory(name="Planta Xicotepec", operator=CompanyFactory(name="Grupo Tlaxcalteca"))
    case = CaseFactory(facility=facility)
    CaseFactory()

    assert found_cases(api, "xicotepec") == [case.case_id]
    assert found_cases(api, "tlaxcalteca") == [case.case_id]


@pytest.mark.django_db
def test_it_highlights_the_matches_in_a_snippet(api: APIClient) -> None:
    CaseFactory(summary_en="USTR asked Mexico to review the denial of rights at the Zacatlan plant.")

    (row,) = results(api.get(CASES, {"q": "zacatlan"}))

    assert "<mark>Zacatlan</mark> plant" in row["snippet"]


@pytest.mark.django_db
def test_it_escapes_markup_of_the_indexed_text_in_snippets(api: APIClient) -> None:
    CaseFactory(summary_en='Zacatlan <script>alert("x")</script> & <b>bold</b>')

    (row,) = results(api.get(CASES, {"q": "zacatlan"}))

    assert "<script>" not in row["snippet"] and "<b>" not in row["snippet"]
    assert "&lt;script&gt;" in row["snippet"]
    assert "&amp;" in row["snippet"]
    assert row["snippet"].replace("<mark>", "").replace("</mark>", "").count("<") == 0


@pytest.mark.django_db
def test_it_gives_no_snippet_to_rows_of_a_list_not_searched(api: APIClient) -> None:
    CaseFactory(summary_en="Zacatlan")

    assert "snippet" not in results(api.get(CASES))[0]
    assert "snippet" in results(api.get(CASES, {"q": "zacatlan"}))[0]


@pytest.mark.django_db
def test_it_searches_events_facilities_and_companies(api: APIClient) -> None:
    facility = FacilityFactory(name="Planta Xicotepec", operator=CompanyFactory(name="Grupo Tlaxcalteca"))
    case = CaseFactory(facility=facility)
    event = TimelineEventFactory(case=case, description="Votación en Xicotepec", source_note="Comunicado")
    TimelineEventFactory(case=case, description="Something else")

    assert [row["id"] for row in results(api.get(EVENTS, {"q": "votacion"}))] == [event.pk]
    facilities = results(api.get(FACILITIES, {"q": "xicotepec"}))
    assert [row["id"] for row in facilities] == [facility.pk]
    assert "<mark>Xicotepec</mark>" in facilities[0]["snippet"]
    assert [row["id"] for row in results(api.get(COMPANIES, {"q": "tlaxcalteca"}))] == [facility.operator_id]


@pytest.mark.django_db
def test_it_never_finds_a_confidential_value(api: APIClient) -> None:
    secret = "Xochiquetzal"
    case = CaseFactory(notes=f"Internal: {secret} called staff")
    DocumentFactory(case=case, title=f"Memorando {secret}", confidential=True)
    petition = PetitionFactory(case=case, narrative=f"Narrative naming {secret}", contact_name=secret)
    PetitionerFactory(petition=petition, organisation__name=f"Sindicato {secret}", identity_confidential=True)
    draft_facility = FacilityFactory(name=f"Planta {secret}")
    PetitionFactory(
        case=CaseFactory(), facility=draft_facility, status=Petition.Status.DRAFT, submitted_at=None
    )

    for path in SEARCHED_LISTS:
        assert results(api.get(path, {"q": secret})) == [], path
    assert all(kind.total == 0 for kind in search_everything(secret))


@pytest.mark.django_db
def test_it_finds_a_public_document_but_not_a_confidential_one() -> None:
    case = CaseFactory()
    shown = DocumentFactory(case=case, title="Informe Xochiquetzal")
    DocumentFactory(case=case, title="Memorando Xochiquetzal", confidential=True)

    (documents,) = [kind for kind in search_everything("xochiquetzal") if kind.kind == "documents"]

    assert [row.pk for row in documents.rows] == [shown.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SEARCHED_LISTS)
@pytest.mark.parametrize("words", ["", "   ", "x" * (MAX_LENGTH + 1), "tri\x00donex"])
def test_it_refuses_an_empty_too_long_or_nul_holding_search_naming_q(
    api: APIClient, path: str, words: str
) -> None:
    response = api.get(path, {"q": words})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    # What q takes, last, as every filter's 400 names it (q is free text: not in test_filter_syntax's
    # refusable filters).
    assert response.json()["q"][-1] == SearchWordsField.takes()
    assert SearchWordsField.takes().startswith("Format:")


@pytest.mark.django_db
def test_it_answers_a_search_matching_nothing_with_an_empty_list(api: APIClient) -> None:
    CaseFactory(summary_en="Something")

    assert found_cases(api, "zzyzx") == []
    assert found_cases(api, '"the of"') == []


@pytest.mark.django_db
def test_it_documents_q_and_the_snippet_in_the_openapi_schema(api: APIClient) -> None:
    schema = yaml.safe_load(api.get("/api/schema/").content)

    for path in SEARCHED_LISTS:
        (q,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "q"]
        assert q["schema"]["maxLength"] == MAX_LENGTH and "Spanish or English" in q["description"]
    for name in ("Case", "Event", "Facility", "Company"):
        assert "<mark>" in schema["components"]["schemas"][name]["properties"]["snippet"]["description"]
    stats = schema["paths"]["/api/v1/public/stats/"]["get"]["parameters"]
    assert "q" not in {parameter["name"] for parameter in stats}
