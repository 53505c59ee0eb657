"""An anonymous petition with every confidential field and document marked: no answer of the API to
anyone but staff and the owning organisation contains a marker."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.confidentiality import (
    build_marked_world,
    crawl,
    get_endpoints,
    leaked_markers,
    leaks,
    marker,
    path_parameters,
    uncrawlable,
)
from tests.api.world import World, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked() -> World:
    world = build_marked_world()
    world.advance("remedies_in_force")
    return world


def outsiders(world: World) -> dict[str, APIClient]:
    """Every caller other than staff and the owning organisation."""
    return {
        "anonymous": APIClient(),
        "member of another organisation": world.client("other_org"),
        "member of no organisation": client_for(make_user("loner")),
        "staff who is not a case officer": client_for(make_user("clerk", is_staff=True)),
    }


def test_it_reaches_every_get_route_of_the_case_management_api(marked: World) -> None:
    # Routes of the public API whose parameters are not records of the case (an export file's name)
    # get their values from the public-API tests.
    assert uncrawlable(get_endpoints(include_public=False), path_parameters(marked)) == []


@pytest.mark.parametrize(
    "caller",
    [
        "anonymous",
        "member of another organisation",
        "member of no organisation",
        "staff who is not a case officer",
    ],
)
def test_it_shows_no_marked_string_to_a_caller_outside_the_petition(marked: World, caller: str) -> None:
    answers = crawl(outsiders(marked)[caller], path_parameters(marked), include_public=True)
    assert answers, "the crawl reached nothing"
    assert leaks(answers) == {}


@pytest.mark.parametrize("role", ["own_org", "officer", "admin"])
def test_it_shows_the_marked_strings_to_staff_and_the_owning_organisation(marked: World, role: str) -> None:
    answers = crawl(marked.client(role), path_parameters(marked), include_public=False)
    found = {text.lower() for answer in answers for text in leaked_markers(answer.body)}
    expected = {
        "narrative",
        "contact_name",
        "claim",
        "evidence_pdf_title",
        "text",
        "pdf",
        "draft_narrative",
        "draft_facility",
    }
    assert {marker(name).lower() for name in expected} <= found


def test_it_detects_a_marker_in_any_case() -> None:
    assert leaked_markers(f"x {marker('contact_email').lower()}@example.org y") == [
        "secret-mark-contact_email"
    ]
