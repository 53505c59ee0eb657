"""Drafts are their petitioners' alone (security review, finding 7): editing a draft, its claims or its
petitioners leaves the public version (ETag, Last-Modified) and the bulk export alone; filing it does not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from petitions import services
from petitions.models import Claim
from public import freshness
from public.models import ExportBuild
from tests.api.world import World, build_world
from tests.factories import OrganisationFactory
from tests.public.conftest import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    with committed():
        world = build_world()
        world.extras["co_petitioner"] = OrganisationFactory()
    return world


def edit_drafts(world: World) -> None:
    with committed():
        services.update_draft(
            petition_id=world.draft.pk, values={"narrative": "Facts the public never sees."}
        )
        services.add_claim(
            petition_id=world.draft.pk, values={"category": Claim.Category.OTHER, "description": "Threats."}
        )
        services.update_claim(claim_id=world.draft_claim.pk, values={"description": "Threats, again."})
        services.add_petitioner(
            petition=world.draft, organisation=world.extras["co_petitioner"], identity_confidential=False
        )
        services.create_draft(organisation=world.other_org, user=None, values={"narrative": "Another draft."})


def test_it_leaves_the_public_version_and_the_export_alone_when_drafts_change(
    world: World, api: APIClient
) -> None:
    cases = reverse("v1:public:cases")
    first = api.get(cases)
    version = freshness.current_version()
    builds = ExportBuild.objects.count()

    edit_drafts(world)

    assert freshness.current_version() == version
    assert ExportBuild.objects.count() == builds
    again = api.get(cases, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["Last-Modified"] == first["Last-Modified"]


def test_it_bumps_the_public_version_and_builds_the_export_when_a_draft_is_filed(world: World) -> None:
    version = freshness.current_version()
    builds = ExportBuild.objects.count()

    with committed():
        services.submit_petition(petition_id=world.draft.pk)

    assert freshness.current_version() != version
    assert ExportBuild.objects.count() == builds + 1
