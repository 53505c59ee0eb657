"""What the remediation app tells the case core (rrm.api.registry): where the steps after a request
for review are recorded, and its records in a case's audit trail."""

from __future__ import annotations

from remediation import models
from rrm.api.history import HistorySource
from rrm.api.registry import registry

PANEL_STEPS = (
    "constitute_panel",
    "confirm_panel_basics",
    "record_verification",
    "panel_finds_no_denial",
    "panel_finds_denial",
)


def register_with_case_core() -> None:
    registry.register(
        step_routes={
            "request_review": "case-request-for-review",
            "mexico_accepts": "case-mexico-response",
            "mexico_declines": "case-mexico-response",
            **dict.fromkeys(
                ("finding_no_denial", "finding_denial", "finding_remedied"), "case-mexico-finding"
            ),
            "agree_remediation": "case-remediation-plans",
            "request_panel": "case-panels",
            **dict.fromkeys(PANEL_STEPS, "panel-steps"),
            "impose_remedies": "case-remedies",
        },
        history_sources=[
            HistorySource("mexico_review", models.MexicoReview, "case"),
            HistorySource("remediation_plan", models.RemediationPlan, "case"),
            HistorySource("remediation_action", models.RemediationAction, "plan__case"),
            HistorySource("panel", models.Panel, "case"),
            HistorySource("panel_verification", models.PanelVerification, "panel__case"),
            HistorySource("remedy", models.Remedy, "case"),
        ],
    )
