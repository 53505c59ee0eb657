"""Examples shown in the OpenAPI documentation of Mexico's review, remediation, panels and remedies."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

from rrm.api.examples import request_example

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
REQUEST_FOR_REVIEW = request_example("Request", on="2024-04-02")
MEXICO_RESPONSE = request_example("Accepted", response="accepted", on="2024-04-10")
MEXICO_FINDING = request_example("Denial", finding="denial", on="2024-05-20", findings="...")

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
PLAN_COMPLETED = request_example("Completed", status="completed")

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
ACTION_DONE = request_example("Done", status="done", completed_on="2024-06-20")
VERIFICATION = request_example(
    "Verified", verified_on="2024-07-05", verified_by="CFCRL", notes="All twelve back at work."
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
PANEL_REQUEST = request_example("Request", requested_on="2024-08-01", secretariat_no="MEX-USA-2024-31A-01")
PANEL_STEP = request_example("Constituted", step="constituted", on="2024-08-20")

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
REMEDY_LIFTED = request_example("Lifted", lifted_on="2025-02-01")
