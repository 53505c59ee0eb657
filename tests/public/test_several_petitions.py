"""A case with none, one or several petitions on the public surface: the petitioners of every filed
petition, each petition's confidentiality rules kept (an anonymous petition names nobody, a lead who
asked to stay unnamed stays unnamed), drafts never."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rrm.choices import Initiation
from rrm.models import Case
from tests.factories import CaseFactory, OrganisationFactory, PetitionerFactory, PetitionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_budget")]


@pytest.fixture
def two_petitions() -> Case:
    case: Case = CaseFactory.create(case_id="us-mx-2024-two-petitions")
    first = PetitionFactory(case=case)
    PetitionerFactory(petition=first, organisation=OrganisationFactory(name="First lead union"), role="lead")
    PetitionerFactory(
        petition=first,
        organisation=OrganisationFactory(name="First hidden co-petitioner"),
        role="co",
        identity_confidential=True,
    )
    second = PetitionFactory(case=case)
    PetitionerFactory(
        petition=second,
        organisation=OrganisationFactory(name="Second hidden lead"),
        role="lead",
        identity_confidential=True,
    )
    PetitionerFactory(
        petition=second, organisation=OrganisationFactory(name="Second co-petitioner"), role="co"
    )
    anonymous = PetitionFactory(case=case, anonymous=True)
    PetitionerFactory(
        petition=anonymous, organisation=OrganisationFactory(name="Anonymous lead"), role="lead"
    )
    draft = PetitionFactory(case=case, status="draft", submitted_at=None)
    PetitionerFactory(petition=draft, organisation=OrganisationFactory(name="Draft lead"), role="lead")
    return case


def detail(api: APIClient, case: Case) -> dict:
    return api.get(reverse("v1:public:case-detail", kwargs={"case_id": case.case_id})).json()


def test_it_lists_the_petitioners_of_every_filed_petition_and_hides_the_confidential_ones(
    api: APIClient, client: Client, two_petitions: Case
) -> None:
    shown = detail(api, two_petitions)
    assert [(row["name"], row["role"]) for row in shown["petitioners"]] == [
        ("First lead union", "lead"),
        ("Second co-petitioner", "co"),
    ]
    listed = next(
        row
        for row in api.get(reverse("v1:public:cases"), {"page_size": 100}).json()["results"]
        if row["case_id"] == two_petitions.case_id
    )
    assert [row["name"] for row in listed["petitioners"]] == ["First lead union", "Second co-petitioner"]
    page = client.get(reverse("pages:case-detail", args=[two_petitions.case_id])).content.decode()
    assert "First lead union; Second co-petitioner" in page
    for hidden in ("First hidden co-petitioner", "Second hidden lead", "Anonymous lead", "Draft lead"):
        assert hidden not in str(shown) and hidden not in str(listed) and hidden not in page


def test_it_shows_no_petitioners_for_a_case_without_a_petition(api: APIClient, client: Client) -> None:
    case: Case = CaseFactory.create(case_id="us-mx-2024-no-petition")
    assert detail(api, case)["petitioners"] == []
    assert detail(api, case)["claim_categories"] == []
    assert client.get(reverse("pages:case-detail", args=[case.case_id])).status_code == 200


def test_it_names_the_petitioners_of_a_petition_on_a_self_initiated_case(
    api: APIClient, client: Client
) -> None:
    case: Case = CaseFactory.create(
        case_id="us-mx-2024-self-with-petition", initiation=Initiation.SELF_INITIATED
    )
    petition = PetitionFactory(case=case)
    PetitionerFactory(petition=petition, organisation=OrganisationFactory(name="Later union"), role="lead")
    shown = detail(api, case)
    assert [row["name"] for row in shown["petitioners"]] == ["Later union"]
    assert shown["petitioner_type"] == "self_initiated"
    assert "Later union" in client.get(reverse("pages:case-detail", args=[case.case_id])).content.decode()
