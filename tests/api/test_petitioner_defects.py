"""What a petitioner met on the API before issue 14: no notice of a stage change, a webhook without a case
list that received nothing, an empty timeline after filing, a staff step offered to the petitioner, drafts
that could not be discarded, public cases nobody could follow, English alerts for a Spanish reader and
error answers in two languages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from petitions.models import Petition
from petitions.services import MISSING_CONTACT
from rrm.choices import EventKind
from rrm.models import Notification, WebhookEndpoint
from rrm.notifications import sweep
from tests.api.world import World
from tests.factories import DeadlineFactory

pytestmark = pytest.mark.django_db

RECEIVED_ON = "2024-03-04"
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def post(world: World, role: str, route: str, body: dict[str, Any], **kwargs: Any) -> Any:
    url = reverse(route, kwargs=kwargs)
    return world.client(role).post(url, json.dumps(body), content_type="application/json")


def test_it_tells_the_case_s_watchers_and_webhooks_when_staff_record_a_step(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = world.case.case_id
    assert post(world, "own_org", "v1:case-watch", {}, case_id=case).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        receipt = post(world, "officer", "v1:case-receipt", {"on": RECEIVED_ON}, case_id=case)
    assert receipt.status_code == 201
    notices = Notification.objects.filter(
        payload__event="case.stage_changed", payload__case=case, payload__kind="petition_received"
    )
    assert {(n.channel, n.payload["to_stage"]) for n in notices} == {
        ("email", "ilc_review"),
        ("webhook", "ilc_review"),
    }
    (message,) = [m for m in mail.outbox if case in m.subject]
    assert "OTLA" in message.subject and "List-Unsubscribe" in message.extra_headers


def test_it_sends_a_webhook_registered_without_a_case_list_every_case_of_its_organisation(
    world: World,
) -> None:
    registered = post(
        world,
        "own_org",
        "v1:webhook-list",
        {"organisation": world.own_org.pk, "url": "https://hooks.example.org/all"},
    )
    assert registered.status_code == 201
    endpoint = WebhookEndpoint.objects.get(pk=registered.data["id"])
    today = dt.date(2026, 3, 2)
    DeadlineFactory(case=world.case, due_date=today + dt.timedelta(days=3))
    sweep.sweep_deadlines(today=today)
    assert Notification.objects.filter(endpoint=endpoint, payload__case=world.case.case_id).count() == 1


def test_it_starts_the_timeline_with_the_filing(world: World) -> None:
    timeline = world.client("own_org").get(
        reverse("v1:case-timeline", kwargs={"case_id": world.case.case_id})
    )
    first = timeline.data["results"][0]
    assert first["kind"] == EventKind.PETITION_FILED
    assert first["occurred_on"] == world.petition.submitted_at.date().isoformat()


def test_it_offers_a_petitioner_only_the_steps_a_petitioner_may_take(world: World) -> None:
    url = reverse("v1:case-transitions", kwargs={"case_id": world.case.case_id})
    offered = [step["action"] for step in world.client("own_org").get(url).data["allowed"]]
    to_staff = [step["action"] for step in world.client("officer").get(url).data["allowed"]]
    assert offered == ["withdraw"]
    assert "record_receipt" in to_staff


def test_it_discards_a_draft_and_keeps_a_filed_petition(world: World) -> None:
    client = world.client("own_org")
    draft = client.delete(reverse("v1:petition-detail", kwargs={"petition_id": world.draft.pk}))
    filed = client.delete(reverse("v1:petition-detail", kwargs={"petition_id": world.petition.pk}))
    assert draft.status_code == 204 and not Petition.objects.filter(pk=world.draft.pk).exists()
    assert filed.status_code == 409 and Petition.objects.filter(pk=world.petition.pk).exists()


def test_it_lets_anyone_signed_in_watch_a_public_case(world: World) -> None:
    answer = post(world, "other_org", "v1:case-watch", {}, case_id=world.case.case_id)
    assert answer.status_code == 201 and answer.data["case"] == world.case.case_id


def test_it_writes_a_deadline_warning_in_the_language_the_watcher_reads(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("v1:case-watch", kwargs={"case_id": world.case.case_id})
    assert world.client("own_org").post(url, **SPANISH).status_code == 201
    today = dt.date(2026, 3, 2)
    DeadlineFactory(case=world.case, due_date=today + dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        sweep.sweep_deadlines(today=today)
    (message,) = mail.outbox
    assert "vence el 2026-03-05 (en 3 días)" in message.subject
    assert "Fuente legal:" in message.body and "Legal source" not in message.body


def test_it_answers_an_error_in_the_request_s_language_only(world: World) -> None:
    client = world.client("own_org")
    created = client.post(
        reverse("v1:petition-list"),
        json.dumps({"organisation": world.own_org.pk}),
        content_type="application/json",
        **SPANISH,
    )
    submit = reverse("v1:petition-submit", kwargs={"petition_id": created.data["id"]})
    refused = client.post(submit, **SPANISH)
    with translation.override("es"):
        contact = str(MISSING_CONTACT)
    with translation.override("en"):
        english = str(MISSING_CONTACT)
    assert refused.status_code == 400
    assert refused.data["contact_name"] == [contact] and contact != english
    assert refused.data["narrative"] == [
        "Exponga los hechos concretos de la presunta denegación de derechos."
    ]
    step = world.client("officer").post(
        reverse("v1:case-transitions", kwargs={"case_id": world.case.case_id}),
        json.dumps({"action": "close", "on": RECEIVED_ON}),
        content_type="application/json",
        **SPANISH,
    )
    assert step.status_code == 409 and step.data["detail"].startswith("El caso")
