"""A case belongs to the members of every organisation that filed a petition on it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_to_members_of_either_petitions_organisations_and_to_nobody_else() -> None:
    case = CaseFactory()
    members = []
    for _ in range(2):
        organisation = OrganisationFactory()
        user = UserFactory()
        organisation.members.add(user)
        PetitionerFactory(petition=PetitionFactory(case=case), organisation=organisation)
        members.append(user)
    outsider = UserFactory()
    OrganisationFactory().members.add(outsider)
    url = reverse("v1:case-detail", kwargs={"case_id": case.case_id})
    client = APIClient()
    for user in members:
        client.force_authenticate(user)
        assert client.get(url).status_code == 200
    client.force_authenticate(outsider)
    assert client.get(url).status_code == 404


def test_it_opens_a_case_without_a_petition_to_no_organisation() -> None:
    case = CaseFactory()
    user = UserFactory()
    organisation = OrganisationFactory()
    organisation.members.add(user)
    PetitionerFactory(petition=PetitionFactory(case=CaseFactory()), organisation=organisation)
    client = APIClient()
    client.force_authenticate(user)
    assert client.get(reverse("v1:case-detail", kwargs={"case_id": case.case_id})).status_code == 404
