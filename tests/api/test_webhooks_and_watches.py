"""Webhook endpoints (secret shown once, never stored; signed test delivery; past deliveries) and
watches of cases."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from rrm.models import CaseWatch, Notification, WebhookEndpoint
from rrm.notifications.signing import derive_webhook_secret, verify_webhook
from rrm.webhook_targets import NOT_ALLOWED
from tests.api.world import World
from tests.rrm.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


def register(world: World, url: str, role: str = "own_org", **fields: Any) -> Any:
    body = {"organisation": world.own_org.pk, "url": url, **fields}
    return world.client(role).post(
        reverse("v1:webhook-list"), json.dumps(body), content_type="application/json"
    )


def test_it_shows_the_signing_secret_once_and_stores_it_nowhere(world: World) -> None:
    created = register(world, "https://hooks.example.org/rrm", cases=[world.case.case_id])
    assert created.status_code == 201
    secret = created.data["secret"]
    endpoint = WebhookEndpoint.objects.get(pk=created.data["id"])
    assert secret == derive_webhook_secret(endpoint) and len(secret) == 64
    assert secret not in json.dumps(
        list(WebhookEndpoint.objects.filter(pk=endpoint.pk).values()), default=str
    )
    detail = world.client("own_org").get(reverse("v1:webhook-detail", kwargs={"webhook_id": endpoint.pk}))
    assert "secret" not in detail.data and secret not in detail.content.decode()
    assert list(endpoint.cases.all()) == [world.case]


@override_settings(RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=False)
def test_it_refuses_a_plain_http_address_and_cases_the_caller_cannot_see(world: World) -> None:
    from tests.factories import CaseFactory

    response = register(world, "http://93.184.215.14/rrm", cases=[CaseFactory().case_id])
    assert response.status_code == 400 and set(response.data) == {"url", "cases"}
    assert WebhookEndpoint.objects.count() == 1


@override_settings(RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=False)
def test_it_refuses_an_address_on_a_private_network(world: World) -> None:
    response = register(world, "https://10.0.0.7/rrm")
    assert response.status_code == 400 and response.data["url"] == [NOT_ALLOWED]
    assert WebhookEndpoint.objects.count() == 1


@override_settings(RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=False)
def test_it_refuses_a_name_without_saying_what_it_resolves_to(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "intranet.example.org":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("10.20.30.40", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    private = register(world, "https://intranet.example.org/rrm")
    unknown = register(world, "https://nowhere.example.org/rrm")

    assert private.status_code == unknown.status_code == 400
    assert private.data["url"] == unknown.data["url"] == [NOT_ALLOWED]
    assert "10.20.30.40" not in private.content.decode()
    assert "10.20.30.40" in caplog.text  # the detail is logged
    assert WebhookEndpoint.objects.count() == 1


def test_it_sends_a_signed_test_delivery_and_lists_it_as_sent(
    world: World, receiver: WebhookReceiver, django_capture_on_commit_callbacks: Any
) -> None:
    created = register(world, receiver.url).data
    url = reverse("v1:webhook-test", kwargs={"webhook_id": created["id"]})
    with django_capture_on_commit_callbacks(execute=True):
        queued = world.client("own_org").post(url)
    assert queued.status_code == 202 and queued.data["event"] == "webhook.test"
    [request] = receiver.received
    assert verify_webhook(
        body=request.body, signature_header=request.headers["X-RRM-Signature"], secret=created["secret"]
    )
    deliveries = world.client("own_org").get(
        reverse("v1:webhook-deliveries", kwargs={"webhook_id": created["id"]})
    )
    [delivery] = deliveries.data["results"]
    assert (delivery["status"], delivery["response_code"], delivery["event"]) == ("sent", 200, "webhook.test")


def test_it_lists_failed_deliveries_with_their_error(world: World) -> None:
    Notification.objects.create(
        channel="webhook",
        endpoint=world.webhook,
        payload={"event": "deadline.overdue", "case": world.case.case_id},
        status="failed",
        response_code=410,
        last_error="Webhook answered HTTP 410.",
    )
    url = reverse("v1:webhook-deliveries", kwargs={"webhook_id": world.webhook.pk})
    [delivery] = world.client("own_org").get(url, {"status": "failed"}).data["results"]
    assert (delivery["case"], delivery["last_error"]) == (world.case.case_id, "Webhook answered HTTP 410.")


def test_it_deactivates_an_endpoint_instead_of_deleting_it_and_refuses_to_test_it(world: World) -> None:
    detail = reverse("v1:webhook-detail", kwargs={"webhook_id": world.webhook.pk})
    assert world.client("own_org").patch(detail, {"active": False}, format="json").data["active"] is False
    tested = world.client("own_org").post(reverse("v1:webhook-test", kwargs={"webhook_id": world.webhook.pk}))
    assert tested.status_code == 409 and "inactive" in tested.data["detail"]
    assert world.client("own_org").delete(detail).status_code == 405


def test_it_watches_and_unwatches_a_case(world: World) -> None:
    url = reverse("v1:case-watch", kwargs={"case_id": world.case.case_id})
    client = world.client("own_org")
    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 200
    assert [w["case"] for w in client.get(reverse("v1:watch-list")).data["results"]] == [world.case.case_id]
    assert client.delete(url).status_code == 204
    assert not CaseWatch.objects.exists()
