"""An anonymous petition with every confidential field and document marked: no answer of the API to
anyone but staff and the owning organisation contains a marker."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.confidentiality import (
    SECOND_ORG_DRAFT_MARKERS,
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


FILED = {"narrative", "contact_name", "claim", "evidence_pdf_title", "text", "pdf"}
DRAFTED = {"draft_narrative", "draft_facility"}
SECOND_ORG_DRAFTS = set(SECOND_ORG_DRAFT_MARKERS)


def insiders(world: World, role: str) -> APIClient:
    return client_for(world.extras["drafting_member"]) if role == "drafting_org" else world.client(role)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("own_org", FILED | DRAFTED, SECOND_ORG_DRAFTS),
        # A draft is its petitioners' alone: staff read a petition once it is filed.
        ("officer", FILED, DRAFTED | SECOND_ORG_DRAFTS),
        ("admin", FILED, DRAFTED | SECOND_ORG_DRAFTS),
        ("drafting_org", SECOND_ORG_DRAFTS, FILED | DRAFTED),
    ],
)
def test_it_shows_the_marked_strings_only_to_staff_once_filed_and_to_the_owning_organisation(
    marked: World, role: str, shown: set[str], hidden: set[str]
) -> None:
    answers = crawl(insiders(marked, role), path_parameters(marked), include_public=False)
    found = {text.lower() for answer in answers for text in leaked_markers(answer.body)}
    assert {marker(name).lower() for name in shown} <= found
    assert {marker(name).lower() for name in hidden} & found == set()


def test_it_detects_a_marker_in_any_case() -> None:
    assert leaked_markers(f"x {marker('contact_email').lower()}@example.org y") == [
        "secret-mark-contact_email"
    ]
