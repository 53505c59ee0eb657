"""Answers of the case-management API are confidential (security review, finding 9): every one tells
browsers and shared caches to keep no copy; the public API keeps its own caching headers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.confidentiality import get_endpoints, path_parameters
from tests.api.world import World

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def test_it_says_private_no_store_on_every_get_answer_of_the_case_management_api(world: World) -> None:
    world.advance("remedies_in_force")  # every kind of record exists
    parameters = path_parameters(world)
    member = world.client("own_org")
    answers = {}
    for endpoint in get_endpoints(include_public=False):
        url = reverse(endpoint.name, kwargs={name: parameters[name][0] for name in endpoint.parameters})
        answers[url] = member.get(url)

    petition = reverse("v1:petition-detail", kwargs={"petition_id": world.petition.pk})
    assert answers[petition].status_code == 200
    assert {url: answer["Cache-Control"] for url, answer in answers.items()} == dict.fromkeys(
        answers, PRIVATE
    )


def test_it_says_private_no_store_on_refusals_and_writes_too(world: World) -> None:
    petition = reverse("v1:petition-detail", kwargs={"petition_id": world.petition.pk})
    draft = reverse("v1:petition-detail", kwargs={"petition_id": world.draft.pk})

    answers = [
        world.client("anonymous").get(petition),
        world.client("other_org").get(petition),
        world.client("own_org").patch(draft, {"laws_cited": "LFT art. 357"}, format="json"),
    ]

    assert [answer.status_code for answer in answers] == [401, 404, 200]
    assert [answer["Cache-Control"] for answer in answers] == [PRIVATE] * 3


def test_it_leaves_the_public_apis_own_caching_headers(world: World) -> None:
    answer = world.client("anonymous").get(reverse("v1:public:cases"))

    assert answer.status_code == 200
    assert "no-store" not in answer.get("Cache-Control", "") and answer.has_header("ETag")
