"""Examples shown in the OpenAPI documentation of petition filing and the ILC's screening."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

from rrm.api.examples import FACILITY, request_example

FACILITY_RECORD = OpenApiExample("A facility", value=FACILITY, response_only=True)

LEAD_PETITIONER = {
    "id": 3,
    "organisation": 7,
    "organisation_name": "Sindicato",
    "role": "lead",
    "identity_confidential": True,
}
NARRATIVE = "On 2 February 2024 the employer dismissed ..."

DRAFT = request_example(
    "A draft",
    organisation=7,
    annex="31-A",
    new_facility={"name": "Planta Norte", "operator": "Autopartes S.A.", "state": "COA"},
    narrative=NARRATIVE,
    language="es",
    anonymous=True,
    confidential_fields=["narrative"],
)
PETITION = OpenApiExample(
    "A submitted petition",
    value={
        "id": 12,
        "status": "submitted",
        "annex": "31-A",
        "facility": 4,
        "new_facility": None,
        "facility_detail": FACILITY,
        "narrative": NARRATIVE,
        "language": "es",
        "anonymous": True,
        "confidential_fields": ["narrative"],
        "case": "us-mx-2024-planta-silao",
        "petitioners": [LEAD_PETITIONER],
        "submitted_at": "2024-03-01T10:00:00Z",
        "received_on": None,
    },
    response_only=True,
)
PETITION_FACTS = request_example("Add facts", laws_cited="LFT art. 357")

# Shown on the list only: what POST adds is a co-petitioner.
PETITIONER = OpenApiExample("Lead", value=LEAD_PETITIONER, response_only=True, status_codes=["200"])
CO_PETITIONER = request_example("Co-petitioner", organisation=9, identity_confidential=True)

CLAIM = OpenApiExample(
    "A claim",
    value={
        "category": "dismissal_union_activity",
        "description": "Twelve workers dismissed after a union meeting.",
        "began_on": "2024-02-02",
        "ended_on": None,
        "confidential": True,
    },
)

EVIDENCE = OpenApiExample(
    "Stored evidence",
    value={
        "id": 21,
        "petition": 12,
        "title": "Dismissal letters",
        "content_type": "application/pdf",
        "size": 48213,
        "sha256": "3b1f...9a",
        "language": "es",
        "confidential": True,
        "download": "/api/v1/evidence/21/download/",
        "created_at": "2024-03-01T10:00:00Z",
    },
    response_only=True,
)
EVIDENCE_UPLOAD = request_example(
    "Upload", title="Dismissal letters", language="es", confidential=True, file="(binary)"
)
EVIDENCE_PUBLICATION = request_example("Make public", confidential=False)

RECEIPT = request_example("Receipt", on="2024-03-04")
FINDINGS = "Sufficient, credible evidence."
ILC_DETERMINATION = request_example(
    "Sufficient", determination="sufficient", on="2024-04-02", findings=FINDINGS
)
PENDING_SCREENING = {
    "started_on": "2024-03-04",
    "determination": "pending",
    "determined_on": None,
    "findings": "",
    "employer_consulted": False,
    "petitioner_notified_on": None,
    "certified_to_congress_on": None,
}
SCREENING_PENDING = OpenApiExample("Pending", value=PENDING_SCREENING, response_only=True)
SCREENING_DETERMINED = OpenApiExample(
    "Screening",
    value={
        **PENDING_SCREENING,
        "determination": "sufficient",
        "determined_on": "2024-04-02",
        "findings": FINDINGS,
    },
    response_only=True,
)
WITHDRAWAL = request_example("Withdraw", on="2024-03-20", description="Agreement reached.")
