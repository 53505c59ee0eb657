"""API keys on request (issue 15, part 5): a name and an e-mail address; a link that confirms the address
issues a key of the requested-key tier at once, shown once; the 429 answer points to the request page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from public.api.throttles import KeyRequestThrottle, hash_key
from public.models import ApiKey, ApiKeyRequest, ThrottleTier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUESTS = "v1:public:key-requests"
CONFIRMATIONS = "v1:public:key-confirmations"


def link_token() -> str:
    match = re.search(r"/api-key/([^/\s]+)/", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def requested(api: APIClient, django_capture_on_commit_callbacks: Callable[..., object]) -> str:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        body = {"name": "Datos MX", "email": "datos@example.org"}
        response = api.post(reverse(REQUESTS), body, format="json")
    assert response.status_code == 202
    return link_token()


def test_it_issues_a_key_of_the_default_tier_once_the_address_is_confirmed(
    api: APIClient, requested: str
) -> None:
    assert mail.outbox[-1].to == ["datos@example.org"]
    assert not ApiKey.objects.exists()  # nothing before the confirmation

    response = api.post(reverse(CONFIRMATIONS), {"token": requested}, format="json")
    assert response.status_code == 201
    body = response.json()
    stored = ApiKey.objects.get()
    assert stored.key_hash == hash_key(body["key"]) and body["key"] not in str(stored.__dict__)
    assert (body["tier"], stored.tier.code) == ("researcher", "researcher")
    assert stored.contact_email == "datos@example.org"
    assert api.get("/api/v1/public/", HTTP_AUTHORIZATION=f"Api-Key {body['key']}").status_code == 200


def test_it_refuses_a_confirmation_link_used_twice(api: APIClient, requested: str) -> None:
    api.post(reverse(CONFIRMATIONS), {"token": requested}, format="json")
    again = api.post(reverse(CONFIRMATIONS), {"token": requested}, format="json")
    assert again.status_code == 410
    assert "already used" in again.json()["token"][0]
    assert ApiKey.objects.count() == 1


def test_it_refuses_an_expired_confirmation_link(api: APIClient, requested: str, settings: Settings) -> None:
    settings.PUBLIC_API_KEY_REQUEST_DAYS = -1
    response = api.post(reverse(CONFIRMATIONS), {"token": requested}, format="json")
    assert response.status_code == 410 and "expired" in response.json()["token"][0]
    assert not ApiKey.objects.exists()


def test_it_refuses_a_forged_token(api: APIClient) -> None:
    response = api.post(reverse(CONFIRMATIONS), {"token": "1:forged:signature"}, format="json")
    assert response.status_code == 400 and "token" in response.json()


def test_it_names_each_field_it_refuses(api: APIClient) -> None:
    response = api.post(reverse(REQUESTS), {"email": "not-an-address", "tier": "partner"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"tier"}
    assert "name, email" in response.json()["tier"][0] or "email, name" in response.json()["tier"][0]
    response = api.post(reverse(REQUESTS), {"email": "not-an-address"}, format="json")
    assert set(response.json()) == {"name", "email"}
    assert not ApiKeyRequest.objects.exists() and mail.outbox == []


def test_it_throttles_key_requests_per_address(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeyRequestThrottle, "THROTTLE_RATES", {"api_key_requests": "2/hour"})
    answers = [
        api.post(reverse(REQUESTS), {"name": "n", "email": f"a{i}@example.org"}, format="json").status_code
        for i in range(3)
    ]
    page = Client().post(reverse("pages:api-key-request"), {"name": "n", "email": "p@example.org"})
    assert answers == [202, 202, 429]
    assert page.status_code == 429  # the page and the API share the count of the address


def test_it_lets_staff_change_the_tier_of_a_requested_key(api: APIClient, requested: str) -> None:
    api.post(reverse(CONFIRMATIONS), {"token": requested}, format="json")
    key = ApiKey.objects.get()
    partner = ThrottleTier.objects.get(code="partner")
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:public_apikey_change", args=[key.pk]),
        {"name": key.name, "contact_email": key.contact_email, "tier": partner.pk},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.tier == partner


def test_it_walks_the_request_page_the_link_and_shows_the_key_once(
    client: Client, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        sent = client.post(reverse("pages:api-key-request"), {"name": "Ana", "email": "ana@example.org"})
    assert sent.status_code == 200 and "ana@example.org" in sent.content.decode()
    confirm = reverse("pages:api-key-confirm", args=[link_token()])
    assert client.get(confirm).status_code == 200
    assert not ApiKey.objects.exists()  # opening the link (a mail scanner may) issues nothing

    shown = client.post(confirm)
    key = re.search(r"rrmpub_\w{8}_[\w-]+", shown.content.decode())
    assert key is not None and ApiKey.objects.get().key_hash == hash_key(key.group(0))
    assert "no-store" in shown["Cache-Control"] or "no-cache" in shown["Cache-Control"]
    assert client.post(confirm).status_code == 410


def test_it_names_the_request_page_fields_it_refuses(client: Client) -> None:
    response = client.post(reverse("pages:api-key-request"), {"name": "", "email": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email"}


def test_it_points_a_throttled_caller_to_the_key_request_page(api: APIClient) -> None:
    """Defect of issue 15: the 429 said "ask for an API key", which only staff could issue."""
    ThrottleTier.objects.filter(code="anonymous").update(requests=1)
    api.get("/api/v1/public/cases/")
    refused = api.get("/api/v1/public/cases/")
    assert refused.status_code == 429
    assert reverse("pages:api-key-request") in refused.json()["detail"]
