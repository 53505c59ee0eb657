"""Staff issue API keys in the admin (the key shown once), revoke them, and change tiers there."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from public.models import ApiKey, ThrottleTier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 16))
    return client


def test_it_shows_a_new_key_once_and_stores_only_its_hash(admin_client: Client) -> None:
    tier = ThrottleTier.objects.get(code="researcher")

    response = admin_client.post(
        "/admin/public/apikey/add/", {"name": "Newsroom", "contact_email": "", "tier": tier.pk}, follow=True
    )
    (key,) = re.findall(r"rrmpub_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+", response.content.decode())
    stored = ApiKey.objects.get(name="Newsroom")
    page = admin_client.get(f"/admin/public/apikey/{stored.pk}/change/").content.decode()

    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in page
    assert stored.prefix in page


def test_it_revokes_the_selected_keys(admin_client: Client) -> None:
    tier = ThrottleTier.objects.get(code="researcher")
    admin_client.post("/admin/public/apikey/add/", {"name": "Old partner", "tier": tier.pk})
    stored = ApiKey.objects.get(name="Old partner")

    admin_client.post(
        "/admin/public/apikey/", {"action": "revoke", "_selected_action": [stored.pk]}, follow=True
    )

    stored.refresh_from_db()
    assert stored.revoked_at is not None


def test_it_lets_staff_change_a_tier_without_a_deploy(admin_client: Client) -> None:
    tier = ThrottleTier.objects.get(code="anonymous")

    admin_client.post(
        f"/admin/public/throttletier/{tier.pk}/change/",
        {
            "code": "anonymous",
            "name": "Anonymous",
            "requests": 30,
            "period_seconds": 60,
            "for_anonymous": "on",
        },
    )

    tier.refresh_from_db()
    assert (tier.requests, tier.period_seconds) == (30, 60)
