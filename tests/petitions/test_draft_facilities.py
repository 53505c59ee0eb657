"""A facility named only in an organisation's draft is that draft's until it is filed (security review,
finding 1): another organisation can neither name it by id, nor find it by name, nor see it in the
browsable API's form, nor publish it by filing first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.test import APIRequestFactory, force_authenticate

from petitions.api.views import PetitionList
from petitions.models import Petition
from rrm.models import Case, Facility
from tests.api.world import World, build_world, file_petition
from tests.factories import CaseFactory, FacilityFactory

pytestmark = pytest.mark.django_db

SECRET_FACILITY = "Planta Secreta del Borrador"
SECRET_CITY = "Ciudad Secreta"


@pytest.fixture
def world() -> World:
    return build_world()


def post(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    return world.client(role).post(url, json.dumps(body), content_type="application/json")


def open_draft(world: World, role: str, **fields: Any) -> Any:
    organisation = world.own_org if role == "own_org" else world.other_org
    return post(world, role, reverse("v1:petition-list"), {"organisation": organisation.pk, **fields})


def secret_proposal(**fields: Any) -> dict[str, Any]:
    return {"name": SECRET_FACILITY, "operator": "Autopartes Reservadas", "state": "COA", **fields}


def drafted_only_facility(world: World) -> Facility:
    """A facility on record that only the own organisation's draft names (no case, no filing)."""
    facility = FacilityFactory(name=SECRET_FACILITY, city=SECRET_CITY)
    user = world.users["own_org"]
    assert user is not None
    file_petition(organisation=world.own_org, user=user, facility=facility, submit=False)
    return facility


def test_it_refuses_another_organisations_draft_facility_by_id_as_if_it_did_not_exist(world: World) -> None:
    facility = drafted_only_facility(world)
    unknown_id = Facility.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    drafts_before = Petition.objects.count()

    refused = open_draft(world, "other_org", facility=facility.pk, narrative="Facts.")
    unknown = open_draft(world, "other_org", facility=unknown_id, narrative="Facts.")

    assert refused.status_code == unknown.status_code == 400
    assert refused.json()["facility"] == [
        message.replace(str(unknown_id), str(facility.pk)) for message in unknown.json()["facility"]
    ]
    assert SECRET_FACILITY not in refused.content.decode() and SECRET_CITY not in refused.content.decode()
    assert Petition.objects.count() == drafts_before


def test_it_lets_the_owning_organisation_and_anyone_name_a_facility_of_a_case(world: World) -> None:
    facility = drafted_only_facility(world)
    public_facility = CaseFactory().facility

    own = open_draft(world, "own_org", facility=facility.pk)
    other = open_draft(world, "other_org", facility=public_facility.pk)

    assert own.status_code == other.status_code == 201
    assert (own.json()["facility"], other.json()["facility"]) == (facility.pk, public_facility.pk)


def test_it_keeps_a_facility_named_in_a_draft_off_the_record_and_out_of_others_lookups(world: World) -> None:
    facilities_before = Facility.objects.count()

    first = open_draft(world, "own_org", new_facility=secret_proposal(city=SECRET_CITY))
    second = open_draft(world, "other_org", new_facility=secret_proposal(city="Saltillo"))

    assert first.status_code == second.status_code == 201
    assert Facility.objects.count() == facilities_before
    assert first.json()["new_facility"]["city"] == SECRET_CITY
    assert (second.json()["facility"], second.json()["facility_detail"]) == (None, None)
    assert SECRET_CITY not in second.content.decode()
    listed = world.client("other_org").get(reverse("v1:facility-list"))
    assert SECRET_FACILITY not in listed.content.decode()


def test_it_publishes_only_the_filers_facility_when_a_second_organisation_files_first(world: World) -> None:
    open_draft(world, "own_org", new_facility=secret_proposal(city=SECRET_CITY))
    draft_id = open_draft(
        world, "other_org", new_facility=secret_proposal(city="Saltillo"), narrative="Facts.", anonymous=True
    ).json()["id"]

    filed = post(world, "other_org", reverse("v1:petition-submit", kwargs={"petition_id": draft_id}), {})

    assert filed.status_code == 200
    case = Case.objects.get(petitions__pk=draft_id)
    assert (case.facility.name, case.facility.city) == (SECRET_FACILITY, "Saltillo")
    public = world.client("anonymous").get(reverse("v1:public:facilities")).content.decode()
    assert SECRET_CITY not in public
    assert Petition.objects.get(status="draft", proposed_facility__city=SECRET_CITY).facility is None


def test_it_files_a_proposed_facility_under_an_existing_record_of_the_same_operator_and_name(
    world: World,
) -> None:
    existing = CaseFactory(facility=FacilityFactory(name=SECRET_FACILITY)).facility
    proposal = secret_proposal(name=SECRET_FACILITY.upper(), operator=existing.operator.name)
    draft_id = open_draft(world, "own_org", new_facility=proposal, narrative="Facts.", anonymous=True).json()[
        "id"
    ]

    post(world, "own_org", reverse("v1:petition-submit", kwargs={"petition_id": draft_id}), {})

    filed = Petition.objects.get(pk=draft_id)
    assert (filed.facility, filed.proposed_facility) == (existing, None)
    assert filed.case is not None and filed.case.facility == existing


def test_it_serves_no_browsable_api_outside_debug(world: World) -> None:
    drafted_only_facility(world)

    answer = world.client("other_org").get(reverse("v1:petition-list"), HTTP_ACCEPT="text/html")

    assert not settings.DEBUG
    assert "text/html" not in answer["Content-Type"]
    assert "<select" not in answer.content.decode() and SECRET_FACILITY not in answer.content.decode()


def test_it_lists_in_the_browsable_form_only_facilities_the_caller_may_name(world: World) -> None:
    drafted_only_facility(world)
    public_facility = CaseFactory(facility=FacilityFactory(name="Planta Publica")).facility
    request = APIRequestFactory().get(reverse("v1:petition-list"), HTTP_ACCEPT="text/html")
    force_authenticate(request, user=world.users["other_org"])
    view = PetitionList.as_view(renderer_classes=[BrowsableAPIRenderer, JSONRenderer])

    page = view(request).render().content.decode()

    assert "<select" in page and public_facility.name in page
    assert SECRET_FACILITY not in page
