"""The audit trail staff read through the API, and the two ways to authenticate."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.world import PASSWORD, World
from tests.factories import PetitionerFactory

pytestmark = pytest.mark.django_db


def history(world: World, **params: Any) -> list[dict[str, Any]]:
    url = reverse("v1:case-history", kwargs={"case_id": world.case.case_id})
    response = world.client("officer").get(url, params)
    assert response.status_code == 200
    return list(response.data["results"])


def test_it_records_who_changed_which_fields_of_the_petitions_records(world: World) -> None:
    url = reverse("v1:evidence-detail", kwargs={"evidence_id": world.evidence.pk})
    world.client("own_org").patch(url, {"title": "Letters of dismissal"}, format="json")
    [change] = history(world, model="evidence", type="changed")
    assert change["actor"] == "own-member"
    assert change["changes"] == [
        {"field": "title", "old": "Dismissal letters", "new": "Letters of dismissal"}
    ]


def test_it_keeps_the_history_of_the_case_and_its_remediation_records(world: World) -> None:
    world.advance("remediation_in_progress")
    models = {entry["model"] for entry in history(world, page_size=200)}
    assert {"case", "petition", "petitioner", "claim", "evidence", "screening", "mexico_review"} <= models
    assert {"remediation_plan", "remediation_action"} <= models


def test_it_keeps_a_deleted_record_in_the_history_of_its_case(world: World) -> None:
    co_petitioner = PetitionerFactory(petition=world.petition, organisation=world.other_org, role="co")
    co_petitioner_id = co_petitioner.pk
    co_petitioner.delete()
    [deletion] = history(world, model="petitioner", type="deleted")
    assert deletion["object_id"] == co_petitioner_id


def test_it_names_the_officer_behind_a_workflow_step(world: World) -> None:
    url = reverse("v1:case-receipt", kwargs={"case_id": world.case.case_id})
    world.client("officer").post(url, {"on": "2024-03-04"}, format="json")
    [change] = history(world, model="case", type="changed", actor="officer")
    assert {"field": "stage", "old": "submitted", "new": "ilc_review"} in change["changes"]


def test_it_orders_the_history_oldest_first_on_request(world: World) -> None:
    entries = history(world, ordering="at")
    assert [entry["at"] for entry in entries] == sorted(entry["at"] for entry in entries)
    assert entries[0]["type"] == "created"


def test_it_gives_a_script_its_token_for_a_username_and_password(world: World) -> None:
    response = APIClient().post(
        reverse("v1:auth-token"), {"username": "own-member", "password": PASSWORD}, format="json"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    petition = client.get(reverse("v1:petition-detail", kwargs={"petition_id": world.petition.pk}))
    assert petition.status_code == 200 and petition.data["id"] == world.petition.pk


def test_it_answers_401_naming_the_token_scheme_without_credentials(world: World) -> None:
    response = APIClient().get(reverse("v1:case-list"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_it_requires_the_csrf_token_on_writes_from_a_browser_session(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["own_org"])
    url = reverse("v1:case-watch", kwargs={"case_id": world.case.case_id})
    refused = browser.post(url)
    assert refused.status_code == 403 and "CSRF" in json.loads(refused.content)["detail"]
    # What a page's script does: send back, in a header, the token of the CSRF cookie.
    token = "k" * 32
    browser.cookies["csrftoken"] = token
    assert browser.post(url, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_it_signs_a_browser_in_with_the_csrf_token_and_says_who_it_is(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    url = reverse("v1:auth-session")
    credentials = {"username": "own-member", "password": PASSWORD}
    assert browser.post(url, credentials, content_type="application/json").status_code == 403
    token = "k" * 32
    browser.cookies["csrftoken"] = token
    signed_in = browser.post(url, credentials, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert signed_in.status_code == 200
    me = json.loads(browser.get(url).content)
    assert me == {
        "username": "own-member",
        "roles": ["petitioner"],
        "organisations": [{"id": world.own_org.pk, "name": "Sindicato Propio"}],
    }
    rotated = browser.cookies["csrftoken"].value  # signing in gives the session a new token
    assert rotated != token
    assert browser.delete(url, HTTP_X_CSRFTOKEN=rotated).status_code == 204
    assert browser.get(url).json() == {"username": None, "roles": [], "organisations": []}


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(world: World) -> None:
    response = APIClient().post(
        reverse("v1:auth-session"), {"username": "own-member", "password": "nope"}, format="json"
    )
    assert response.status_code == 400 and response.data["non_field_errors"] == [
        "Unknown username or wrong password."
    ]
