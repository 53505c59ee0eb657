"""Who may do what, endpoint by endpoint, for the five kinds of caller.

The matrix has one row per route and method of /api/v1/ (the public surface under /api/v1/public/
belongs to the public-API tests); a route the resolver knows without a row fails the first test.

What the answers mean: 401 for a caller without credentials; 404 for an object the caller may not
see, so that another organisation's petition, evidence or case id reveals nothing (never 403), and
for staff asking for a draft (a draft is its petitioners' alone until filed); 403 for an object the
caller sees but whose change its role does not allow (a petitioner recording a workflow step, staff
retitling a petitioner's evidence); 400 for naming, in the body, an organisation the
caller does not act for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from remediation.models import Panel, RemediationAction, RemediationPlan, Remedy
from tests.api.endpoints import api_endpoints
from tests.api.world import PASSWORD, ROLES, World, pdf_upload

pytestmark = pytest.mark.django_db

Body = Callable[[World], dict[str, Any]]


def everyone(code: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


SIGNED_IN = {**everyone(200), "anonymous": 401}
READ = {"anonymous": 401, "other_org": 404, "own_org": 200, "officer": 200, "admin": 200}
STAFF_READ = {**READ, "own_org": 403}


def staff_write(code: int) -> dict[str, int]:
    return {"anonymous": 401, "other_org": 404, "own_org": 403, "officer": code, "admin": code}


def owner_write(code: int) -> dict[str, int]:
    return {"anonymous": 401, "other_org": 404, "own_org": code, "officer": 403, "admin": 403}


def draft_write(code: int) -> dict[str, int]:
    """A draft is its petitioners' alone: staff do not see it until it is filed."""
    return {"anonymous": 401, "other_org": 404, "own_org": code, "officer": 404, "admin": 404}


def own_or_staff(code: int) -> dict[str, int]:
    return {"anonymous": 401, "other_org": 404, "own_org": code, "officer": code, "admin": code}


@dataclass(frozen=True)
class Row:
    expected: dict[str, int]
    stage: str = "submitted"
    body: Body | None = None
    params: Callable[[World], dict[str, Any]] | None = None
    multipart: bool = False


def _draft(world: World) -> dict[str, Any]:
    return {"petition_id": world.draft.pk}


def _draft_claim(world: World) -> dict[str, Any]:
    return {"petition_id": world.draft.pk, "claim_id": world.draft_claim.pk}


def _deadline(world: World) -> dict[str, Any]:
    return {"case_id": world.case.case_id, "deadline_id": world.open_deadline().pk}


def _second_own_organisation(world: World) -> dict[str, Any]:
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Red de Abogados")
    organisation.members.add(world.users["own_org"])
    return {"organisation": organisation.pk, "identity_confidential": True}


def at_stage(stage: str, rows: dict[tuple[str, str], Row]) -> dict[tuple[str, str], Row]:
    """Rows of endpoints whose records exist once the case has reached `stage`."""
    return {key: replace(row, stage=stage) for key, row in rows.items()}


SIGN_IN = frozenset({"v1:auth-token", "v1:auth-session"})


def _credentials(world: World, role: str) -> dict[str, Any]:
    """The caller's own username and password; wrong ones for a caller without an account."""
    user = world.users[role]
    return (
        {"username": user.get_username(), "password": PASSWORD}
        if user
        else {"username": "x", "password": "y"}
    )


MATRIX: dict[tuple[str, str], Row] = {
    ("v1:root", "GET"): Row(everyone(200)),
    ("v1:auth-token", "POST"): Row({**everyone(200), "anonymous": 400}),
    # The matrix's callers sign in without a token: there is none to revoke.
    ("v1:auth-token-revoke", "POST"): Row({**everyone(400), "anonymous": 401}),
    ("v1:auth-token-revoke-all", "POST"): Row({**everyone(204), "anonymous": 401}),
    ("v1:auth-session", "GET"): Row(everyone(200)),
    ("v1:auth-session", "POST"): Row({**everyone(200), "anonymous": 400}),
    ("v1:auth-session", "DELETE"): Row({**everyone(204), "anonymous": 401}),
    ("v1:case-list", "GET"): Row(SIGNED_IN),
    ("v1:case-detail", "GET"): Row(READ),
    ("v1:case-detail", "PATCH"): Row(staff_write(200), body=lambda w: {"title": "Planta Silao: dismissals"}),
    ("v1:case-timeline", "GET"): Row(READ, stage="ilc_review"),
    ("v1:case-deadlines", "GET"): Row(READ, stage="ilc_review"),
    ("v1:deadline-extension", "POST"): Row(
        staff_write(201),
        stage="ilc_review",
        params=_deadline,
        body=lambda w: {"days": 5, "on": "2024-03-10", "reason": "Agreed by letter"},
    ),
    ("v1:case-suspension", "POST"): Row(
        staff_write(201),
        stage="ilc_review",
        body=lambda w: {"start": "2024-03-10", "end": "2024-03-12", "reason": "Office closed"},
    ),
    ("v1:case-transitions", "GET"): Row(READ),
    ("v1:case-transitions", "POST"): Row(
        staff_write(201),
        stage="remediation_in_progress",
        body=lambda w: {"action": "complete_remediation", "on": "2024-07-01"},
    ),
    ("v1:case-corrections", "POST"): Row(
        staff_write(201),
        stage="ilc_review",
        body=lambda w: {
            "corrects": w.receipt_event().pk,
            "corrected_on": "2024-03-05",
            "reason": "Letter says 5th",
        },
    ),
    # Every case is public: anyone signed in may watch it.
    ("v1:case-watch", "POST"): Row({**everyone(201), "anonymous": 401}),
    ("v1:case-watch", "DELETE"): Row({**everyone(204), "anonymous": 401}),
    ("v1:watch-list", "GET"): Row(SIGNED_IN),
    ("v1:case-history", "GET"): Row(STAFF_READ),
    ("v1:work-queue", "GET"): Row(
        {"anonymous": 401, "other_org": 403, "own_org": 403, "officer": 200, "admin": 200}
    ),
    ("v1:webhook-list", "GET"): Row(SIGNED_IN),
    ("v1:webhook-list", "POST"): Row(
        {"anonymous": 401, "other_org": 400, "own_org": 201, "officer": 400, "admin": 201},
        body=lambda w: {"organisation": w.own_org.pk, "url": "https://hooks.example.org/new"},
    ),
    ("v1:webhook-detail", "GET"): Row(READ),
    ("v1:webhook-detail", "PATCH"): Row(
        {"anonymous": 401, "other_org": 404, "own_org": 200, "officer": 403, "admin": 200},
        body=lambda w: {"active": False},
    ),
    ("v1:webhook-test", "POST"): Row(
        {"anonymous": 401, "other_org": 404, "own_org": 202, "officer": 403, "admin": 202}
    ),
    ("v1:webhook-deliveries", "GET"): Row(READ),
    ("v1:facility-list", "GET"): Row(SIGNED_IN),
    ("v1:petition-list", "GET"): Row(SIGNED_IN),
    ("v1:petition-list", "POST"): Row(
        {"anonymous": 401, "other_org": 400, "own_org": 201, "officer": 400, "admin": 400},
        body=lambda w: {"organisation": w.own_org.pk, "facility": w.facility.pk, "narrative": "Facts."},
    ),
    ("v1:petition-detail", "GET"): Row(READ),
    ("v1:petition-detail", "PATCH"): Row(
        draft_write(200), params=_draft, body=lambda w: {"laws_cited": "LFT 357"}
    ),
    ("v1:petition-detail", "DELETE"): Row(draft_write(204), params=_draft),
    ("v1:petition-submit", "POST"): Row(draft_write(200), params=_draft),
    ("v1:petitioner-list", "GET"): Row(READ),
    ("v1:petitioner-list", "POST"): Row(owner_write(201), body=_second_own_organisation),
    ("v1:claim-list", "GET"): Row(READ),
    ("v1:claim-list", "POST"): Row(
        draft_write(201), params=_draft, body=lambda w: {"category": "blacklisting", "description": "Lists."}
    ),
    ("v1:claim-detail", "GET"): Row(READ),
    ("v1:claim-detail", "PATCH"): Row(
        draft_write(200), params=_draft_claim, body=lambda w: {"description": "More."}
    ),
    ("v1:evidence-list", "GET"): Row(READ),
    ("v1:evidence-list", "POST"): Row(
        owner_write(201),
        multipart=True,
        body=lambda w: {"title": "Pay slips", "language": "es", "file": pdf_upload("slips.pdf")},
    ),
    ("v1:evidence-detail", "GET"): Row(READ),
    ("v1:evidence-detail", "PATCH"): Row(owner_write(200), body=lambda w: {"title": "Dismissal letters (2)"}),
    ("v1:evidence-download", "GET"): Row(READ),
    ("v1:case-receipt", "POST"): Row(staff_write(201), body=lambda w: {"on": "2024-03-04"}),
    ("v1:case-ilc-determination", "POST"): Row(
        staff_write(201),
        stage="ilc_review",
        body=lambda w: {"determination": "insufficient", "on": "2024-03-20"},
    ),
    ("v1:case-screening", "GET"): Row(READ, stage="ilc_review"),
    ("v1:case-withdrawal", "POST"): Row(own_or_staff(201), body=lambda w: {"on": "2024-03-01"}),
    ("v1:case-request-for-review", "POST"): Row(
        staff_write(201), stage="ilc_review", body=lambda w: {"on": "2024-04-02"}
    ),
    ("v1:case-mexico-review", "GET"): Row(READ, stage="request_sent"),
    ("v1:case-mexico-response", "POST"): Row(
        staff_write(201), stage="request_sent", body=lambda w: {"response": "accepted", "on": "2024-04-10"}
    ),
    ("v1:case-mexico-finding", "POST"): Row(
        staff_write(201), stage="mexico_review", body=lambda w: {"finding": "denial", "on": "2024-05-20"}
    ),
    ("v1:case-remediation-plans", "POST"): Row(
        staff_write(201), stage="remediation_consultations", body=lambda w: {"agreed_on": "2024-06-01"}
    ),
    ("v1:case-panels", "POST"): Row(
        staff_write(201), stage="remediation_consultations", body=lambda w: {"requested_on": "2024-08-01"}
    ),
    ("v1:case-remedies", "POST"): Row(
        staff_write(201),
        stage="remedies_considered",
        body=lambda w: {"kind": "penalties", "imposed_on": "2024-11-01"},
    ),
    **at_stage(
        "remediation_in_progress",
        {
            ("v1:case-remediation-plans", "GET"): Row(READ),
            ("v1:remediation-plan-detail", "GET"): Row(READ),
            ("v1:remediation-plan-detail", "PATCH"): Row(
                staff_write(200), body=lambda w: {"summary": "Reinstatement, back pay."}
            ),
            ("v1:remediation-actions", "GET"): Row(READ),
            ("v1:remediation-actions", "POST"): Row(staff_write(201), body=lambda w: {"kind": "training"}),
            ("v1:remediation-action-detail", "GET"): Row(READ),
            ("v1:remediation-action-detail", "PATCH"): Row(
                staff_write(200), body=lambda w: {"description": "All twelve."}
            ),
            ("v1:remediation-action-verify", "POST"): Row(
                staff_write(200), body=lambda w: {"verified_on": "2024-06-25", "verified_by": "CFCRL"}
            ),
        },
    ),
    **at_stage(
        "panel_requested",
        {
            ("v1:case-panels", "GET"): Row(READ),
            ("v1:panel-detail", "GET"): Row(READ),
            ("v1:panel-steps", "POST"): Row(
                staff_write(201), body=lambda w: {"step": "constituted", "on": "2024-08-20"}
            ),
        },
    ),
    **at_stage(
        "remedies_in_force",
        {
            ("v1:case-remedies", "GET"): Row(READ),
            ("v1:remedy-detail", "GET"): Row(READ),
            ("v1:remedy-detail", "PATCH"): Row(staff_write(200), body=lambda w: {"lifted_on": "2025-01-10"}),
        },
    ),
}


def default_parameters(world: World) -> dict[str, Any]:
    """Every path parameter, pointing at the owning organisation's records (those the stage has)."""
    later_records = {
        "plan_id": RemediationPlan.objects.filter(case=world.case),
        "action_id": RemediationAction.objects.filter(plan__case=world.case),
        "panel_id": Panel.objects.filter(case=world.case),
        "remedy_id": Remedy.objects.filter(case=world.case),
    }
    return {
        "case_id": world.case.case_id,
        "petition_id": world.petition.pk,
        "claim_id": world.claim.pk,
        "evidence_id": world.evidence.pk,
        "webhook_id": world.webhook.pk,
        **{name: records.values_list("pk", flat=True).first() for name, records in later_records.items()},
    }


def url_for(world: World, name: str, row: Row) -> str:
    endpoint = next(e for e in api_endpoints() if e.name == name)
    known = {**default_parameters(world), **(row.params(world) if row.params else {})}
    return reverse(name, kwargs={parameter: known[parameter] for parameter in endpoint.parameters})


def counts() -> dict[str, int]:
    tracked = [
        "rrm.TimelineEvent",
        "rrm.CaseWatch",
        "rrm.Subscription",
        "rrm.WebhookEndpoint",
        "rrm.Notification",
        "petitions.Petition",
        "petitions.Petitioner",
        "petitions.Claim",
        "petitions.Evidence",
        "remediation.RemediationPlan",
        "remediation.RemediationAction",
        "remediation.Panel",
        "remediation.Remedy",
    ]
    return {label: apps.get_model(label).objects.count() for label in tracked}


def call(world: World, role: str, name: str, method: str, row: Row) -> Any:
    client = world.client(role)
    url = url_for(world, name, row)
    body = _credentials(world, role) if name in SIGN_IN else (row.body(world) if row.body else None)
    if row.multipart:
        return client.post(url, body, format="multipart")
    return client.generic(
        method, url, data=json.dumps(body) if body is not None else "", content_type="application/json"
    )


def test_it_has_a_row_for_every_route_and_method_of_the_api() -> None:
    routes = {(endpoint.name, method) for endpoint in api_endpoints() for method in endpoint.methods}
    assert routes == set(MATRIX), "add a row to MATRIX for each new endpoint"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", list(MATRIX), ids=[f"{name}-{method}" for name, method in MATRIX])
def test_it_answers_each_role_as_the_matrix_says(world: World, key: tuple[str, str], role: str) -> None:
    name, method = key
    row = MATRIX[key]
    world.advance(row.stage)
    before = counts()
    response = call(world, role, name, method, row)
    assert response.status_code == row.expected[role], getattr(response, "data", response)
    if response.status_code >= 400:
        assert counts() == before, "a refused request stored something"


@pytest.mark.parametrize(
    "key", [k for k in MATRIX if k[1] == "GET"], ids=[n for n, m in MATRIX if m == "GET"]
)
def test_it_hides_the_owning_organisations_records_from_another_organisation(
    world: World, key: tuple[str, str]
) -> None:
    name, _ = key
    row = MATRIX[key]
    world.advance(row.stage)
    response = call(world, "other_org", name, "GET", row)
    body = response.content.decode(errors="replace")
    assert world.case.case_id not in body or name == "v1:root"
    assert "Dismissal letters" not in body
