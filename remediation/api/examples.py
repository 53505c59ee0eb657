"""Examples shown in the OpenAPI documentation of Mexico's review, remediation, panels and remedies."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

CASE_ID = "us-mx-2024-planta-silao"
RECORDED_AT = "2024-06-01T12:00:00Z"

REVIEW = OpenApiExample(
    "Accepted, no finding yet",
    value={
        "requested_on": "2024-04-02",
        "response": "accepted",
        "response_on": "2024-04-10",
        "response_reported": "Mexico agreed to review.",
        "investigation_started_on": None,
        "finding": "pending",
        "finding_on": None,
        "findings": "",
    },
    response_only=True,
)
REQUEST_FOR_REVIEW = OpenApiExample("Request", value={"on": "2024-04-02"}, request_only=True)
MEXICO_RESPONSE = OpenApiExample(
    "Accepted", value={"response": "accepted", "on": "2024-04-10"}, request_only=True
)
MEXICO_FINDING = OpenApiExample(
    "Denial", value={"finding": "denial", "on": "2024-05-20", "findings": "..."}, request_only=True
)

PLAN = OpenApiExample(
    "A plan",
    value={
        "id": 2,
        "case": CASE_ID,
        "kind": "government",
        "agreed_on": "2024-06-01",
        "ends_on": "2024-12-01",
        "status": "in_progress",
        "summary": "Reinstatement and back pay; neutrality statement.",
        "source_url": "https://ustr.gov/...",
        "created_at": RECORDED_AT,
    },
)
PLAN_COMPLETED = OpenApiExample("Completed", value={"status": "completed"}, request_only=True)

ACTION = OpenApiExample(
    "An action",
    value={
        "id": 5,
        "plan": 2,
        "kind": "reinstatement",
        "description": "Reinstate the twelve dismissed workers.",
        "due_on": "2024-07-01",
        "status": "done",
        "completed_on": "2024-06-20",
        "verified_on": None,
        "verified_by": "",
        "verification_notes": "",
        "workers_covered": 12,
        "amount_usd": None,
        "created_at": RECORDED_AT,
    },
)
ACTION_DONE = OpenApiExample(
    "Done", value={"status": "done", "completed_on": "2024-06-20"}, request_only=True
)
VERIFICATION = OpenApiExample(
    "Verified",
    value={"verified_on": "2024-07-05", "verified_by": "CFCRL", "notes": "All twelve back at work."},
    request_only=True,
)

PANEL = OpenApiExample(
    "A panel",
    value={
        "id": 1,
        "case": CASE_ID,
        "secretariat_no": "MEX-USA-2024-31A-01",
        "requested_on": "2024-08-01",
        "constituted_on": None,
        "basics_confirmed_on": None,
        "determination": "pending",
        "determined_on": None,
        "report_published_on": None,
        "report_url": "",
        "verifications": [],
    },
)
PANEL_REQUEST = OpenApiExample(
    "Request",
    value={"requested_on": "2024-08-01", "secretariat_no": "MEX-USA-2024-31A-01"},
    request_only=True,
)
PANEL_STEP = OpenApiExample(
    "Constituted", value={"step": "constituted", "on": "2024-08-20"}, request_only=True
)

REMEDY = OpenApiExample(
    "A remedy",
    value={
        "id": 1,
        "case": CASE_ID,
        "panel": 1,
        "kind": "suspend_preferential_tariff",
        "description": "Preferential tariff treatment suspended for the facility's goods.",
        "imposed_on": "2024-11-01",
        "lifted_on": None,
        "created_at": "2024-11-01T12:00:00Z",
    },
)
REMEDY_LIFTED = OpenApiExample("Lifted", value={"lifted_on": "2025-02-01"}, request_only=True)
