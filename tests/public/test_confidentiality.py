"""The confidentiality test of the case-management API (tests/api/confidentiality.py), extended to the
whole public surface: every public route as JSON and as CSV, every page, the statistics by every
grouping, and every file of the bulk export, the SQLite database read table by table.

Besides the marked anonymous petition of the case-management test and a second organisation's drafts
(one about a facility on record that nothing else names, one proposing a facility not on record), a
second petition names its petitioners, but its lead asked to stay unnamed, and its case has a
confidential document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from petitions.models import CONFIDENTIAL_FIELD_NAMES, Petition
from public import services
from public.statistics import GROUPINGS
from rrm.models import Case, Facility
from tests.api.confidentiality import (
    SECOND_ORG_DRAFT_MARKERS,
    build_marked_world,
    leaked_markers,
    marked_petition_fields,
    marker,
)
from tests.api.endpoints import PUBLIC_PREFIX, api_endpoints
from tests.api.world import World
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
)
from tests.public.conftest import body, committed

pytestmark = pytest.mark.usefixtures("generous_budget")
MAX_PAGES = 5


@pytest.fixture
def marked(db: None) -> tuple[World, Case]:
    with committed():
        world = build_marked_world()
        world.advance("remedies_in_force")
        named_case = CaseFactory(case_id="us-mx-2024-named-petition")
        petition = PetitionFactory(case=named_case, confidential_fields=list(CONFIDENTIAL_FIELD_NAMES))
        for name, value in marked_petition_fields().items():
            setattr(petition, name, value)
        petition.save()
        PetitionerFactory(
            petition=petition,
            organisation=OrganisationFactory(name=marker("unnamed_lead")),
            role="lead",
            identity_confidential=True,
        )
        PetitionerFactory(
            petition=petition, organisation=OrganisationFactory(name="Public co-petitioner"), role="co"
        )
        DocumentFactory(
            case=named_case,
            title=marker("document_title"),
            url=f"https://example.org/{marker('document_url')}.pdf",
            confidential=True,
        )
        DocumentFactory(case=world.case, title="Published letter", confidential=False)
    return world, named_case


def public_urls(case_ids: list[str], file_names: list[str]) -> list[str]:
    """Every public route with each value of its path parameters, and each list also as CSV."""
    cases = Case.objects.filter(case_id__in=case_ids).select_related("facility")
    values = {
        "case_id": case_ids,
        "name": file_names,
        "facility_id": [case.facility_id for case in cases],
        "company_id": [case.facility.operator_id for case in cases],
    }
    urls = []
    for endpoint in api_endpoints(include_public=True):
        if not endpoint.route.startswith(PUBLIC_PREFIX) or "GET" not in endpoint.methods:
            continue
        assert set(endpoint.parameters) <= set(values), f"no values for the parameters of {endpoint.name}"
        if endpoint.parameters:
            (parameter,) = endpoint.parameters
            urls += [reverse(endpoint.name, kwargs={parameter: value}) for value in values[parameter]]
        else:
            urls += [reverse(endpoint.name), reverse(endpoint.name) + "?format=csv"]
    stats = reverse("v1:public:stats")
    urls += [f"{stats}?group_by={grouping}" for grouping in GROUPINGS]
    urls += [f"{stats}?group_by={grouping}&format=csv" for grouping in GROUPINGS]
    urls += [f"{reverse('v1:public:cases')}?petitioner_type=undisclosed&format=csv"]
    urls += [f"{reverse('v1:public:deadlines')}?case={case_id}&format=csv" for case_id in case_ids]
    return urls


def answers(api: APIClient, url: str) -> Iterator[tuple[str, int, str]]:
    """The answer to `url` and to each next page, as text."""
    for _ in range(MAX_PAGES):
        response = api.get(url)
        content = body(response)
        yield url, response.status_code, content.decode("utf-8", errors="replace")
        links = response.get("Link", "")
        next_links = [part.split(";")[0].strip("<> ") for part in links.split(",") if 'rel="next"' in part]
        if not next_links:
            return
        url = next_links[0]


def sqlite_text(path: Path) -> str:
    database = sqlite3.connect(path)
    try:
        return "\n".join(database.iterdump())
    finally:
        database.close()


def test_it_shows_no_marked_string_in_any_public_answer_json_or_csv(
    marked: tuple[World, Case], api: APIClient
) -> None:
    world, named_case = marked
    build = services.latest_ready_build()
    assert build is not None, "the commit built the export"
    crawl = [
        answer
        for url in public_urls(
            [world.case.case_id, named_case.case_id], [entry["name"] for entry in build.files]
        )
        for answer in answers(api, url)
    ]

    assert len(crawl) > 40
    assert {url: status for url, status, _ in crawl if status != 200} == {}
    assert {url: found for url, _, body in crawl if (found := leaked_markers(body))} == {}


def test_it_never_publishes_a_second_organisations_draft_facility(
    marked: tuple[World, Case], api: APIClient
) -> None:
    facilities = reverse("v1:public:facilities")
    listed = [api.get(facilities, {"page_size": 100}), api.get(facilities, {"format": "csv"})]

    on_record, proposed, _ = (marker(name) for name in SECOND_ORG_DRAFT_MARKERS)
    assert Facility.objects.filter(name=on_record, cases__isnull=True).exists()
    assert Petition.objects.filter(status="draft", proposed_facility__name=proposed).exists()
    assert [answer.status_code for answer in listed] == [200, 200]
    assert [leaked_markers(body(answer).decode()) for answer in listed] == [[], []]


def test_it_shows_no_marked_string_in_any_file_of_the_bulk_export(
    marked: tuple[World, Case], tmp_path: Path
) -> None:
    build = services.latest_ready_build()
    assert build is not None
    directory = services.export_root() / build.directory
    texts = {}
    for entry in build.files:
        path = directory / entry["name"]
        texts[entry["name"]] = (
            sqlite_text(path) if path.suffix == ".sqlite3" else path.read_text(encoding="utf-8")
        )

    assert {"cases.csv", "petitioners.csv", "documents.csv", "rrm-public.sqlite3"} <= set(texts)
    assert {name: found for name, text in texts.items() if (found := leaked_markers(text))} == {}


def test_it_publishes_the_marked_cases_without_their_petitioners(
    marked: tuple[World, Case], api: APIClient
) -> None:
    world, named_case = marked

    rows: dict[str, Any] = {
        row["case_id"]: row
        for row in api.get(reverse("v1:public:cases"), {"page_size": 100}).json()["results"]
    }

    assert rows[world.case.case_id]["petitioner_type"] == "undisclosed"
    assert rows[world.case.case_id]["petitioners"] == []
    assert rows[named_case.case_id]["petitioner_type"] == "undisclosed"
    assert [p["name"] for p in rows[named_case.case_id]["petitioners"]] == ["Public co-petitioner"]


def test_it_lists_public_documents_and_withholds_confidential_ones(
    marked: tuple[World, Case], api: APIClient
) -> None:
    world, named_case = marked

    shown = api.get(reverse("v1:public:case-detail", kwargs={"case_id": world.case.case_id})).json()
    withheld = api.get(reverse("v1:public:case-detail", kwargs={"case_id": named_case.case_id})).json()

    assert [document["title"] for document in shown["documents"]] == ["Published letter"]
    assert withheld["documents"] == []
