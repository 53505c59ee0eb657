"""A small world for API tests: the five callers and an organisation's petition and case, brought to
any stage of the workflow through the services (not the API), so that a test sees the records a real
case would have.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from petitions import services as petition_services
from petitions.models import Claim, Evidence, Petition
from remediation import services as remediation_services
from remediation.models import Panel, RemediationAction, RemediationPlan, Remedy
from rrm import services as rrm_services
from rrm.api.roles import CASE_OFFICERS_GROUP
from rrm.models import Case, Deadline, Facility, Organisation, TimelineEvent, WebhookEndpoint
from tests.factories import FacilityFactory, OrganisationFactory, UserFactory

PASSWORD = "correct horse battery staple"
ROLES = ("anonymous", "other_org", "own_org", "officer", "admin")

# A minimal valid PDF: the magic bytes are what the upload check reads.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Dates of the steps, in order, all in the past.
ON = {
    "filed": dt.date(2024, 3, 1),
    "receipt": dt.date(2024, 3, 4),
    "request": dt.date(2024, 4, 2),
    "response": dt.date(2024, 4, 10),
    "finding": dt.date(2024, 5, 20),
    "plan": dt.date(2024, 6, 1),
    "action_done": dt.date(2024, 6, 20),
    "panel": dt.date(2024, 8, 1),
    "constituted": dt.date(2024, 8, 20),
    "basics": dt.date(2024, 8, 27),
    "verification": dt.date(2024, 9, 10),
    "determination": dt.date(2024, 10, 1),
    "remedy": dt.date(2024, 11, 1),
}


def make_user(username: str, **fields: Any) -> User:
    user: User = UserFactory(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_officer(username: str = "officer") -> User:
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=CASE_OFFICERS_GROUP)[0])
    return user


def pdf_upload(name: str = "letters.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class World:
    own_org: Organisation
    other_org: Organisation
    users: dict[str, User | None]
    facility: Facility
    petition: Petition
    case: Case
    draft: Petition
    claim: Claim
    draft_claim: Claim
    evidence: Evidence
    webhook: WebhookEndpoint
    extras: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        return client_for(self.users[role])

    @property
    def officer(self) -> User:
        officer = self.users["officer"]
        assert officer is not None
        return officer

    def advance(self, stage: str) -> Case:
        """Bring the case from 'submitted' to `stage` with the records each step writes."""
        for step in STAGE_PATHS[stage]:
            step(self)
        self.case.refresh_from_db()
        return self.case

    def plan(self) -> RemediationPlan:
        return RemediationPlan.objects.get(case=self.case)

    def action(self) -> RemediationAction:
        return RemediationAction.objects.get(plan__case=self.case)

    def panel(self) -> Panel:
        return Panel.objects.get(case=self.case)

    def remedy(self) -> Remedy:
        return Remedy.objects.get(case=self.case)

    def event_kinds(self) -> list[str]:
        """The kinds of the case's timeline events, oldest first (the filing is always the first)."""
        return list(
            TimelineEvent.objects.filter(case=self.case).order_by("pk").values_list("kind", flat=True)
        )

    def receipt_event(self) -> TimelineEvent:
        return TimelineEvent.objects.get(case=self.case, kind="petition_received")

    def open_deadline(self) -> Deadline:
        deadline = Deadline.objects.filter(case=self.case, status=Deadline.Status.OPEN).first()
        assert deadline is not None, f"case at {self.case.stage} has no open deadline"
        return deadline


# The world's petitions are filed on this day, before the dates the tests record their steps on (a step
# cannot be dated before the filing, the first event of the case).
FILED_AT = dt.datetime.combine(ON["filed"], dt.time(9), tzinfo=dt.UTC)


def submit_as_filed_then(petition_id: int) -> Petition:
    with mock.patch("django.utils.timezone.now", return_value=FILED_AT):
        return petition_services.submit_petition(petition_id=petition_id)


def file_petition(
    *,
    organisation: Organisation,
    user: User,
    facility: Facility,
    submit: bool,
    **values: Any,
) -> Petition:
    fields = {
        "facility": facility,
        "narrative": "On 2 February 2024 the employer dismissed twelve workers after a union meeting.",
        "contact_name": "Ana López",
        "contact_email": "ana@example.org",
        "language": "es",
        **values,
    }
    petition = petition_services.create_draft(organisation=organisation, user=user, values=fields)
    if submit:
        petition = submit_as_filed_then(petition.pk)
    return petition


def build_world() -> World:
    own_user = make_user("own-member")
    other_user = make_user("other-member")
    own_org = OrganisationFactory(name="Sindicato Propio")
    other_org = OrganisationFactory(name="Sindicato Ajeno")
    own_org.members.add(own_user)
    other_org.members.add(other_user)
    users: dict[str, User | None] = {
        "anonymous": None,
        "other_org": other_user,
        "own_org": own_user,
        "officer": make_officer(),
        "admin": make_user("administrator", is_staff=True, is_superuser=True),
    }
    facility = FacilityFactory()
    webhook = rrm_services.register_webhook(
        organisation=own_org, url="https://hooks.example.org/own", cases=[]
    ).endpoint
    petition = file_petition(organisation=own_org, user=own_user, facility=facility, submit=False)
    claim = petition_services.add_claim(
        petition_id=petition.pk,
        values={"category": Claim.Category.DISMISSAL, "description": "Twelve dismissals."},
    )
    petition = submit_as_filed_then(petition.pk)
    evidence = petition_services.add_evidence(
        petition=petition,
        upload=pdf_upload(),
        title="Dismissal letters",
        language="es",
        confidential=True,
        user=own_user,
    )
    draft = file_petition(organisation=own_org, user=own_user, facility=facility, submit=False)
    draft_claim = petition_services.add_claim(
        petition_id=draft.pk, values={"category": Claim.Category.OTHER, "description": "Threats."}
    )
    assert petition.case is not None
    return World(
        own_org=own_org,
        other_org=other_org,
        users=users,
        facility=facility,
        petition=petition,
        case=petition.case,
        draft=draft,
        claim=claim,
        draft_claim=draft_claim,
        evidence=evidence,
        webhook=webhook,
    )


def _recorded(
    service: Callable[..., object], on_key: str, values: dict[str, Any], *, by_officer: bool = False
) -> Callable[[World], None]:
    """A step that `service` records on the world's case, dated ON[on_key], by the officer or by no user."""

    def run(world: World) -> None:
        user = world.officer if by_officer else None
        service(case_id=world.case.case_id, on=ON[on_key], user=user, **values)

    return run


_receipt = _recorded(petition_services.record_receipt, "receipt", {}, by_officer=True)
_find_sufficient = _recorded(
    petition_services.record_ilc_determination,
    "request",
    {
        "determination": "sufficient",
        "findings": "Sufficient, credible evidence.",
        "employer_consulted": False,
        "petitioner_notified_on": None,
        "source_url": "",
    },
    by_officer=True,
)


def _request(world: World) -> None:
    _find_sufficient(world)
    world.case.refresh_from_db()
    remediation_services.open_mexico_review(case=world.case, requested_on=ON["request"])


_accept = _recorded(
    remediation_services.record_mexico_response,
    "response",
    {"response": "accepted", "reported": "", "source_url": ""},
)
_deny = _recorded(
    remediation_services.record_mexico_finding,
    "finding",
    {"finding": "denial", "findings": "", "source_url": ""},
)


def _plan(world: World) -> None:
    plan = remediation_services.agree_plan(
        case_id=world.case.case_id, values={"agreed_on": ON["plan"], "summary": "Reinstatement."}, user=None
    )
    remediation_services.add_action(
        plan_id=plan.pk,
        values={"kind": "reinstatement", "status": "done", "completed_on": ON["action_done"]},
    )


_panel = _recorded(
    remediation_services.request_panel_for_case, "panel", {"secretariat_no": "", "source_url": ""}
)


def _panel_step(step: str, on_key: str, determination: str = "") -> Callable[[World], None]:
    def run(world: World) -> None:
        remediation_services.record_panel_step(
            panel_id=world.panel().pk, step=step, on=ON[on_key], determination=determination, user=None
        )

    return run


def _remedy(world: World) -> None:
    remediation_services.impose_remedy(
        case_id=world.case.case_id,
        values={"kind": "penalties", "imposed_on": ON["remedy"], "panel": world.panel()},
        user=None,
    )


_TO_CONSULTATIONS = [_receipt, _request, _accept, _deny]
# Remediation is agreed before the panel, so that a case at a panel stage has every kind of record.
_TO_PANEL = [*_TO_CONSULTATIONS, _plan, _panel]
_TO_REMEDIES_CONSIDERED = [
    *_TO_PANEL,
    _panel_step("constituted", "constituted"),
    _panel_step("basics_confirmed", "basics"),
    _panel_step("verification", "verification"),
    _panel_step("determination", "determination", "denial"),
]
STAGE_PATHS: dict[str, list[Callable[[World], None]]] = {
    "submitted": [],
    "ilc_review": [_receipt],
    "request_sent": [_receipt, _request],
    "mexico_review": [_receipt, _request, _accept],
    "remediation_consultations": _TO_CONSULTATIONS,
    "remediation_in_progress": [*_TO_CONSULTATIONS, _plan],
    "panel_requested": _TO_PANEL,
    "remedies_considered": _TO_REMEDIES_CONSIDERED,
    "remedies_in_force": [*_TO_REMEDIES_CONSIDERED, _remedy],
}


def text_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, io.BytesIO(text.encode()).getvalue(), content_type="text/plain")
