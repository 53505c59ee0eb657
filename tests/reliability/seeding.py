"""Rows the fault tests need, written inside the service's own environment (run through stack.run_script).

Each function returns plain JSON-able values for the test process, which has no connection of its own
to the service's Django settings.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token

from rrm import services
from rrm.api.roles import CASE_OFFICERS_GROUP
from tests.factories import CaseFactory, OrganisationFactory


def case_officer(*, username: str = "officer") -> dict[str, Any]:
    """A case officer with an e-mail address and an API token."""
    officer = User.objects.create_user(username, email=f"{username}@example.org", is_staff=True)
    officer.groups.add(Group.objects.get(name=CASE_OFFICERS_GROUP))
    return {"username": username, "token": Token.objects.create(user=officer).key}


def case_with_webhook(*, webhook_url: str, cases: int = 1) -> dict[str, Any]:
    """Cases at 'submitted', each subscribed by one organisation's webhook endpoint at `webhook_url`."""
    created = [CaseFactory() for _ in range(cases)]
    registered = services.register_webhook(organisation=OrganisationFactory(), url=webhook_url, cases=created)
    return {
        "case_ids": [case.case_id for case in created],
        "endpoint_id": registered.endpoint.pk,
        "secret": registered.secret,
    }
