"""Marked confidential data and a crawler that looks for it in every GET answer of the API.

A petition filed anonymously, with every confidential field, claim and piece of evidence (title, file
name and content) carrying a marker; then every GET route is called with path parameters pointing at
its records, and each answer is searched for the markers. The public-API tests reuse this: their
routes under /api/v1/public/ are crawled too when `include_public` is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from petitions import services as petition_services
from petitions.models import CONFIDENTIAL_FIELD_NAMES, Claim, Evidence, Petition
from rrm.models import Facility, Organisation
from tests.api.endpoints import Endpoint, api_endpoints
from tests.api.world import (
    PDF_BYTES,
    World,
    make_officer,
    make_user,
    pdf_upload,
    submit_as_filed_then,
    text_upload,
)
from tests.factories import FacilityFactory, OrganisationFactory

MARKER_PREFIX = "SECRET-MARK-"
# Pages of a list followed before giving up; the test world has far fewer rows than one page.
MAX_PAGES = 5


def marker(name: str) -> str:
    return f"{MARKER_PREFIX}{name}"


def marked_petition_fields() -> dict[str, str]:
    """A value carrying a marker for every field a petitioner can keep confidential."""
    values = {name: f"{marker(name)} text" for name in CONFIDENTIAL_FIELD_NAMES}
    values["contact_email"] = f"{marker('contact_email').lower()}@example.org"
    values["contact_phone"] = marker("contact_phone")
    return values


def leaked_markers(body: str) -> list[str]:
    """Markers found in an answer, compared without regard to case (an e-mail address is lower-case)."""
    text = body.lower()
    found = []
    start = text.find(MARKER_PREFIX.lower())
    while start != -1:
        end = start + len(MARKER_PREFIX)
        while end < len(text) and (text[end].isalnum() or text[end] in "_-"):
            end += 1
        found.append(body[start:end])
        start = text.find(MARKER_PREFIX.lower(), end)
    return found


@dataclass(frozen=True)
class MarkedFiling:
    organisation: Organisation
    member: User
    petition: Petition
    draft: Petition
    claim: Claim
    draft_claim: Claim
    evidence: list[Evidence]


def file_marked_petition(*, facility: Facility) -> MarkedFiling:
    """An anonymous petition with every confidential field flagged and marked, a marked confidential
    claim, and marked evidence (PDF and text, title, uploaded name and content); plus a marked draft."""
    member = make_user("marked-member")
    organisation = OrganisationFactory(name=marker("organisation"))
    organisation.members.add(member)
    values = {
        **marked_petition_fields(),
        "facility": facility,
        "anonymous": True,
        "confidential_fields": list(CONFIDENTIAL_FIELD_NAMES),
    }
    petition = petition_services.create_draft(organisation=organisation, user=member, values=values)
    claim = petition_services.add_claim(
        petition_id=petition.pk,
        values={"category": "dismissal_union_activity", "description": marker("claim"), "confidential": True},
    )
    petition = submit_as_filed_then(petition.pk)
    uploads = [
        (
            marker("evidence_pdf_title"),
            pdf_upload(f"{marker('pdf_name')}.pdf", PDF_BYTES + marker("pdf").encode()),
        ),
        (
            marker("evidence_text_title"),
            text_upload(f"{marker('text_name')}.txt", f"Statement {marker('text')}"),
        ),
    ]
    evidence = [
        petition_services.add_evidence(
            petition=petition, upload=upload, title=title, language="es", confidential=True, user=member
        )
        for title, upload in uploads
    ]
    draft_facility = FacilityFactory(name=marker("draft_facility"))
    draft = petition_services.create_draft(
        organisation=organisation,
        user=member,
        values={**values, "narrative": marker("draft_narrative"), "facility": draft_facility},
    )
    draft_claim = petition_services.add_claim(
        petition_id=draft.pk,
        values={"category": "other", "description": marker("draft_claim"), "confidential": True},
    )
    return MarkedFiling(organisation, member, petition, draft, claim, draft_claim, evidence)


SECOND_ORG_DRAFT_MARKERS = ("second_org_draft_facility", "second_org_proposed_facility", "second_org_city")


def draft_of_a_second_organisation() -> User:
    """Another organisation's draft about a facility on record that nothing else names, and its draft
    proposing a facility not on record: neither may reach anyone but that organisation. Its member."""
    member = make_user("drafting-member")
    organisation = OrganisationFactory(name="Sindicato que Redacta")
    organisation.members.add(member)
    facility = FacilityFactory(name=marker("second_org_draft_facility"), city=marker("second_org_city"))
    petition_services.create_draft(organisation=organisation, user=member, values={"facility": facility})
    proposal = {
        "name": marker("second_org_proposed_facility"),
        "operator": "Autopartes Reservadas",
        "city": marker("second_org_city"),
        "state": "COA",
    }
    petition_services.create_draft(
        organisation=organisation, user=member, values={"proposed_facility": proposal}
    )
    return member


def build_marked_world() -> World:
    """A World whose owning organisation filed the marked petition (for World.advance), beside a second
    organisation's drafts."""
    facility = FacilityFactory()
    filing = file_marked_petition(facility=facility)
    drafting_member = draft_of_a_second_organisation()
    other_member = make_user("outsider-member")
    other = OrganisationFactory(name="Sindicato Ajeno")
    other.members.add(other_member)
    assert filing.petition.case is not None
    return World(
        own_org=filing.organisation,
        other_org=other,
        users={
            "anonymous": None,
            "other_org": other_member,
            "own_org": filing.member,
            "officer": make_officer("marked-officer"),
            "admin": make_user("marked-admin", is_staff=True, is_superuser=True),
        },
        facility=facility,
        petition=filing.petition,
        case=filing.petition.case,
        draft=filing.draft,
        claim=filing.claim,
        draft_claim=filing.draft_claim,
        evidence=filing.evidence[0],
        webhook=_marked_webhook(filing.organisation),
        extras={"evidence": filing.evidence, "drafting_member": drafting_member},
    )


def _marked_webhook(organisation: Organisation) -> Any:
    from rrm import services as rrm_services

    return rrm_services.register_webhook(
        organisation=organisation, url=f"https://hooks.example.org/{marker('webhook').lower()}", cases=[]
    ).endpoint


def path_parameters(world: World) -> dict[str, list[Any]]:
    """Values for each path parameter: every marked record of the world, plus its later records."""
    from remediation.models import Panel, RemediationAction, RemediationPlan, Remedy
    from rrm.models import Deadline

    case = world.case
    return {
        "case_id": [case.case_id],
        "petition_id": [world.petition.pk, world.draft.pk],
        "claim_id": [world.claim.pk],
        "evidence_id": [item.pk for item in world.extras.get("evidence", [world.evidence])],
        "webhook_id": [world.webhook.pk],
        "deadline_id": list(Deadline.objects.filter(case=case).values_list("pk", flat=True)),
        "plan_id": list(RemediationPlan.objects.filter(case=case).values_list("pk", flat=True)),
        "action_id": list(RemediationAction.objects.filter(plan__case=case).values_list("pk", flat=True)),
        "panel_id": list(Panel.objects.filter(case=case).values_list("pk", flat=True)),
        "remedy_id": list(Remedy.objects.filter(case=case).values_list("pk", flat=True)),
    }


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    body: str


def _urls(endpoint: Endpoint, parameters: Mapping[str, list[Any]]) -> list[str]:
    """One URL per value of each parameter (the others at their first value)."""
    if any(not parameters.get(name) for name in endpoint.parameters):
        return []
    first = {name: parameters[name][0] for name in endpoint.parameters}
    urls = {reverse(endpoint.name, kwargs=first)}
    for name in endpoint.parameters:
        for value in parameters[name][1:]:
            urls.add(reverse(endpoint.name, kwargs={**first, name: value}))
    return sorted(urls)


def get_endpoints(*, include_public: bool) -> list[Endpoint]:
    return [
        endpoint for endpoint in api_endpoints(include_public=include_public) if "GET" in endpoint.methods
    ]


def uncrawlable(endpoints: Iterable[Endpoint], parameters: Mapping[str, list[Any]]) -> list[str]:
    """Routes the crawl cannot reach: a path parameter with no value (say so rather than skip quietly)."""
    return [endpoint.name for endpoint in endpoints if not _urls(endpoint, parameters)]


def crawl(client: APIClient, parameters: Mapping[str, list[Any]], *, include_public: bool) -> list[Answer]:
    """Every GET route, every page of every list (up to MAX_PAGES), as text."""
    answers = []
    for endpoint in get_endpoints(include_public=include_public):
        for url in _urls(endpoint, parameters):
            answers.extend(_pages(client, url))
    return answers


def _pages(client: APIClient, url: str) -> list[Answer]:
    answers = []
    next_url: str | None = url
    while next_url and len(answers) < MAX_PAGES:
        response = client.get(next_url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers.append(Answer(next_url, response.status_code, body.decode("latin-1")))
        data = getattr(response, "data", None)
        next_url = data.get("next") if isinstance(data, dict) else None
    return answers


def leaks(answers: Iterable[Answer]) -> dict[str, list[str]]:
    return {answer.url: found for answer in answers if (found := leaked_markers(answer.body))}
