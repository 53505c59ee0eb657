"""Examples shown in the OpenAPI documentation of the kernel's endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample


def request_example(summary: str, **body: Any) -> OpenApiExample:
    """An example request body, whose fields are the keywords; shown only where a body is sent."""
    return OpenApiExample(summary, value=body, request_only=True)


CASE_ID = "us-mx-2024-petition-12"
RECORDED_AT = "2024-03-04T15:02:11Z"

FACILITY = {
    "id": 4,
    "name": "Planta Silao",
    "operator": "General Motors de México",
    "city": "Silao",
    "state": "GUA",
    "sector": "manufacturing",
    "subsector": "auto_assembly",
    "headcount": 6000,
}

CASE = OpenApiExample(
    "A case at ILC review",
    value={
        "case_id": CASE_ID,
        "facility": FACILITY,
        "annex": "31-A",
        "initiation": "petition",
        "stage": "ilc_review",
        "outcome": "open",
        "petition_received_on": "2024-03-04",
        "title": "",
    },
    response_only=True,
)
CASE_EDIT = request_example("New title", title="GM Silao: legitimation vote", workers_covered=6000)

TIMELINE_EVENT = OpenApiExample(
    "Receipt recorded",
    value={
        "id": 31,
        "kind": "petition_received",
        "occurred_on": "2024-03-04",
        "from_stage": "submitted",
        "to_stage": "ilc_review",
        "description": "",
        "source_url": "",
        "source_note": "recorded by staff",
        "data": {},
        "corrects": None,
        "recorded_at": RECORDED_AT,
        "recorded_by": "officer1",
    },
    response_only=True,
)

DEADLINE = OpenApiExample(
    "ILC screening",
    value={
        "id": 8,
        "rule": "ilc_screening",
        "rule_name": "ILC screening of a petition",
        "citation": "19 U.S.C. §4691; ILC Procedural Guidelines, 88 FR 40914",
        "unconfirmed": False,
        "start_date": "2024-03-04",
        "due_date": "2024-04-03",
        "status": "open",
        "satisfied_on": None,
        "days_late": None,
        "explanation": {"text": "30 calendar days from 2024-03-04: due 2024-04-03."},
    },
    response_only=True,
)

TRANSITIONS = OpenApiExample(
    "Allowed steps at ILC review",
    value={
        "case_id": CASE_ID,
        "stage": "ilc_review",
        "allowed": [
            {"action": "decline_petition", "endpoint": f"/api/v1/cases/{CASE_ID}/ilc-determination/"},
            {"action": "withdraw", "endpoint": f"/api/v1/cases/{CASE_ID}/withdrawal/"},
        ],
    },
    response_only=True,
)
OUTCOME_STEP = request_example(
    "Close a resolved case", action="close", on="2024-09-30", source_url="https://ustr.gov/..."
)
CORRECTION = request_example(
    "Receipt date was wrong",
    corrects=31,
    corrected_on="2024-03-05",
    reason="OTLA letter dates receipt 5 March.",
)
EXTENSION = request_example("Ten more days", days=10, on="2024-05-02", reason="Parties agreed by letter")
SUSPENSION = request_example(
    "Two weeks", start="2024-05-01", end="2024-05-14", reason="Verification postponed"
)

WATCH = OpenApiExample(
    "Watching", value={"id": 5, "case": CASE_ID, "created_at": RECORDED_AT}, response_only=True
)

WEBHOOK_VALUE = {
    "id": 3,
    "organisation": 7,
    "url": "https://hooks.example.org/rrm",
    "active": True,
    "cases": [CASE_ID],
    "created_at": RECORDED_AT,
    "updated_at": RECORDED_AT,
}
WEBHOOK = OpenApiExample("An endpoint", value=WEBHOOK_VALUE, response_only=True)
WEBHOOK_REGISTRATION = request_example(
    "Register", organisation=7, url="https://hooks.example.org/rrm", cases=[CASE_ID]
)
WEBHOOK_REGISTERED = OpenApiExample(
    "Registered, with its secret",
    value={**WEBHOOK_VALUE, "secret": "9f2c...e1"},
    response_only=True,
    status_codes=["201"],
)
WEBHOOK_DEACTIVATION = request_example("Deactivate", active=False)

DELIVERY_VALUE = {
    "id": 90,
    "event": "deadline.due_soon",
    "case": CASE_ID,
    "status": "sent",
    "attempts": 1,
    "created_at": "2024-03-27T06:00:00Z",
    "sent_at": "2024-03-27T06:00:01Z",
    "response_code": 200,
    "last_error": "",
}
DELIVERY_SENT = OpenApiExample("Sent", value=DELIVERY_VALUE, response_only=True)
DELIVERY_QUEUED = OpenApiExample(
    "Queued",
    value={
        **DELIVERY_VALUE,
        "id": 91,
        "event": "webhook.test",
        "case": None,
        "status": "pending",
        "attempts": 0,
        "created_at": RECORDED_AT,
        "sent_at": None,
        "response_code": None,
    },
    response_only=True,
    status_codes=["202"],
)

HISTORY_ENTRY = OpenApiExample(
    "A draft's narrative changed",
    value={
        "model": "petition",
        "object_id": 12,
        "history_id": 77,
        "type": "changed",
        "at": "2024-03-01T10:00:00Z",
        "actor": "sindicato-member",
        "changes": [{"field": "narrative", "old": "", "new": "On 2 February ..."}],
    },
    response_only=True,
)

QUEUE_ITEM = OpenApiExample(
    "A clock due soon",
    value={
        "kind": "due",
        "case_id": CASE_ID,
        "facility": "Planta Silao",
        "stage": "request_sent",
        "due_on": "2024-04-12",
        "what": "Mexico's answer to the request for review",
    },
    response_only=True,
)
