"""Examples shown in the OpenAPI documentation of the kernel's endpoints."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

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
CASE_EDIT = OpenApiExample(
    "New title", value={"title": "GM Silao: legitimation vote", "workers_covered": 6000}, request_only=True
)

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
OUTCOME_STEP = OpenApiExample(
    "Close a resolved case",
    value={"action": "close", "on": "2024-09-30", "source_url": "https://ustr.gov/..."},
    request_only=True,
)
CORRECTION = OpenApiExample(
    "Receipt date was wrong",
    value={"corrects": 31, "corrected_on": "2024-03-05", "reason": "OTLA letter dates receipt 5 March."},
    request_only=True,
)
EXTENSION = OpenApiExample(
    "Ten more days",
    value={"days": 10, "on": "2024-05-02", "reason": "Parties agreed by letter"},
    request_only=True,
)
SUSPENSION = OpenApiExample(
    "Two weeks",
    value={"start": "2024-05-01", "end": "2024-05-14", "reason": "Verification postponed"},
    request_only=True,
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
WEBHOOK_REGISTRATION = OpenApiExample(
    "Register",
    value={"organisation": 7, "url": "https://hooks.example.org/rrm", "cases": [CASE_ID]},
    request_only=True,
)
WEBHOOK_REGISTERED = OpenApiExample(
    "Registered, with its secret",
    value={**WEBHOOK_VALUE, "secret": "9f2c...e1"},
    response_only=True,
    status_codes=["201"],
)
WEBHOOK_DEACTIVATION = OpenApiExample("Deactivate", value={"active": False}, request_only=True)

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
