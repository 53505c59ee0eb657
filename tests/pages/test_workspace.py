"""The petitioner workspace: a petition in steps through the services of the API, drafts discarded, the
case page of the organisation's cases, and the subscriptions to notices."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from petitions.models import Petition
from rrm.choices import EventKind
from rrm.models import Subscription, TimelineEvent
from tests.api.world import pdf_upload
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def member() -> User:
    user: User = UserFactory(username="ana")
    OrganisationFactory(name="Sindicato Minero").members.add(user)
    return user


@pytest.fixture
def spanish_addresses(settings: Any) -> Any:
    """reverse() gives the Spanish addresses (under /es/), whose pages answer in Spanish: the default
    language too, as tests/conftest.py brings the default language back after each request."""
    settings.LANGUAGE_CODE = "es"
    with translation.override("es"):
        yield


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step(petition: Petition, name: str) -> str:
    return reverse("pages:petition-step", kwargs={"petition_id": petition.pk, "step": name})


def start_draft(client: Client, user: User) -> Petition:
    organisation = user.organisations.get()
    answer = client.post(
        reverse("pages:petition-start"), {"organisation": organisation.pk, "annex": "31-A", "language": "es"}
    )
    petition = Petition.objects.get(petitioners__organisation=organisation)
    assert answer.status_code == 302 and answer["Location"] == step(petition, "facility")
    return petition


def fill_every_step(client: Client, petition: Petition) -> None:
    answers = [
        client.post(
            step(petition, "facility"),
            {
                "new_facility": "1",
                "name": "Planta Norte",
                "operator": "Minera del Norte",
                "city": "Saltillo",
                "state": "COA",
            },
        ),
        client.post(
            step(petition, "claims"),
            {"claim": "1", "category": "dismissal_union_activity", "description": "Doce despidos."},
        ),
        client.post(
            step(petition, "claims"), {"facts": "1", "narrative": "El 2 de febrero despidieron a doce."}
        ),
        client.post(
            step(petition, "petitioners"),
            {"contact": "1", "contact_name": "Ana López", "contact_email": "ana@example.org"},
        ),
        client.post(
            step(petition, "evidence"),
            {"file": pdf_upload(), "title": "Cartas de despido", "language": "es", "confidential": "on"},
        ),
    ]
    assert [answer.status_code for answer in answers] == [302] * len(answers)


def test_it_files_a_petition_in_steps_and_shows_its_case_with_the_filing(member: User) -> None:
    client = signed_in(member)
    petition = start_draft(client, member)
    fill_every_step(client, petition)
    review = client.get(step(petition, "review"))
    assert b"Planta Norte" in review.content and b"Before you can file" not in review.content
    filed = client.post(reverse("pages:petition-file", kwargs={"petition_id": petition.pk}))
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED and petition.case is not None
    assert filed["Location"] == reverse("pages:workspace-case", kwargs={"case_id": petition.case.case_id})
    page = client.get(filed["Location"]).content.decode()
    assert "Petition filed by the petitioners" in page and "Cartas de despido" in page
    assert "Petition received by OTLA" in page  # what comes next
    assert petition.claims.get().description == "Doce despidos."
    assert petition.evidence.get().confidential


@pytest.mark.usefixtures("spanish_addresses")
def test_it_lists_what_keeps_a_draft_from_being_filed_in_the_reader_s_language(member: User) -> None:
    client = signed_in(member)
    petition = start_draft(client, member)
    review = client.get(step(petition, "review")).content.decode()
    assert "Antes de poder presentarla" in review
    assert "Identifique la instalación cubierta" in review


def test_it_keeps_a_refused_upload_out_and_says_why(member: User) -> None:
    client = signed_in(member)
    petition = start_draft(client, member)
    fake = pdf_upload(name="letters.pdf", content=b"<html><script>alert(1)</script></html>")
    answer = client.post(step(petition, "evidence"), {"file": fake, "title": "Fake", "language": "en"})
    assert answer.status_code == 200 and b"not a recognised document" in answer.content
    assert not petition.evidence.exists()


def test_it_discards_a_draft(member: User) -> None:
    client = signed_in(member)
    petition = start_draft(client, member)
    answer = client.post(reverse("pages:petition-discard", kwargs={"petition_id": petition.pk}))
    assert answer["Location"] == reverse("pages:workspace")
    assert not Petition.objects.filter(pk=petition.pk).exists()


def test_it_shows_a_draft_to_no_one_outside_its_organisations(member: User) -> None:
    petition = start_draft(signed_in(member), member)
    stranger = signed_in(UserFactory(username="stranger"))
    assert stranger.get(step(petition, "facility")).status_code == 404
    assert (
        stranger.post(reverse("pages:petition-discard", kwargs={"petition_id": petition.pk})).status_code
        == 404
    )
    anonymous = Client().get(step(petition, "facility"))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]


@pytest.mark.usefixtures("spanish_addresses")
def test_it_sends_an_organisation_s_subscriber_each_stage_change_of_its_cases_in_spanish(
    member: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(member)
    organisation = member.organisations.get()
    subscribed = client.post(
        reverse("pages:notices"), {"scope": "organisation", "organisation": organisation.pk}
    )
    assert subscribed.status_code == 302
    assert Subscription.objects.get().language == "es"
    petition = start_draft(client, member)
    fill_every_step(client, petition)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pages:petition-file", kwargs={"petition_id": petition.pk}))
    petition.refresh_from_db()
    assert petition.case is not None
    filed = TimelineEvent.objects.get(case=petition.case)
    assert filed.kind == EventKind.PETITION_FILED
    (message,) = mail.outbox
    assert message.to == [member.email] and "Petición presentada por los peticionarios" in message.subject
    assert re.search(r"Etapa: \S", message.body)


def test_it_removes_only_the_member_s_own_subscription(member: User) -> None:
    client = signed_in(member)
    client.post(reverse("pages:notices"), {"scope": "public"})
    subscription = Subscription.objects.get()
    other = signed_in(UserFactory(username="other"))
    other.post(reverse("pages:notice-remove", kwargs={"subscription_id": subscription.pk}))
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    client.post(reverse("pages:notice-remove", kwargs={"subscription_id": subscription.pk}))
    assert not Subscription.objects.exists()


def test_it_refuses_a_subscription_to_one_case_without_the_case(member: User) -> None:
    answer = signed_in(member).post(reverse("pages:notices"), {"scope": "case"})
    assert answer.status_code == 200 and b"Choose the case." in answer.content
    assert not Subscription.objects.exists()
