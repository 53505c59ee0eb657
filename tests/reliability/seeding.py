"""Rows the fault tests need, written inside the service's own environment (run through stack.run_script).

Each function returns plain JSON-able values for the test process, which has no connection of its own
to the service's Django settings.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from knox.models import AuthToken

from rrm import services
from rrm.api.roles import CASE_OFFICERS_GROUP
from rrm.models import Document
from tests.factories import CaseFactory, OrganisationFactory


def case_officer(*, username: str = "officer") -> dict[str, Any]:
    """A case officer with an e-mail address and an API token."""
    officer = User.objects.create_user(username, email=f"{username}@example.org", is_staff=True)
    officer.groups.add(Group.objects.get(name=CASE_OFFICERS_GROUP))
    return {"username": username, "token": AuthToken.objects.create(user=officer)[1]}


def case_with_webhook(*, webhook_url: str, cases: int = 1) -> dict[str, Any]:
    """Cases at 'submitted', each subscribed by one organisation's webhook endpoint at `webhook_url`."""
    created = [CaseFactory() for _ in range(cases)]
    registered = services.register_webhook(organisation=OrganisationFactory(), url=webhook_url, cases=created)
    return {
        "case_ids": [case.case_id for case in created],
        "endpoint_id": registered.endpoint.pk,
        "secret": registered.secret,
    }


def petition_with_evidence() -> dict[str, Any]:
    """A submitted petition with one claim, a PDF and a PNG as evidence, and a case document with a file."""
    from petitions import services as petition_services
    from petitions.models import Claim
    from tests.api.world import file_petition, make_user, pdf_upload
    from tests.factories import FacilityFactory

    member = make_user("petitioner-member")
    organisation = OrganisationFactory(name="Sindicato de respaldo")
    organisation.members.add(member)
    petition = file_petition(organisation=organisation, user=member, facility=FacilityFactory(), submit=False)
    petition_services.add_claim(
        petition_id=petition.pk, values={"category": Claim.Category.DISMISSAL, "description": "Despidos."}
    )
    petition = petition_services.submit_petition(petition_id=petition.pk)
    files = [
        pdf_upload("cartas.pdf"),
        pdf_upload("acta.pdf", PNG_BYTES),
    ]
    evidence = [
        petition_services.add_evidence(
            petition=petition, upload=upload, title=upload.name, language="es", confidential=True, user=member
        )
        for upload in files
    ]
    assert petition.case is not None
    document = Document(case=petition.case, title="Acta de inspección", language="es", confidential=True)
    document.file.save("acta-inspeccion.txt", ContentFile(b"Acta levantada el 3 de marzo."))
    return {
        "petition_id": petition.pk,
        "evidence": {item.pk: item.sha256 for item in evidence},
        "document_id": document.pk,
    }


# The smallest valid PNG (1x1 pixel): its magic bytes are what the upload check judges.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
