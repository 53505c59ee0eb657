"""Remediation records kept in a case's audit trail (rrm.api.history)."""

from remediation.models import (
    MexicoReview,
    Panel,
    PanelVerification,
    RemediationAction,
    RemediationPlan,
    Remedy,
)
from rrm.api.history import HistorySource

HISTORY_SOURCES = (
    HistorySource("mexico_review", MexicoReview, "case"),
    HistorySource("remediation_plan", RemediationPlan, "case"),
    HistorySource("remediation_action", RemediationAction, "plan__case"),
    HistorySource("panel", Panel, "case"),
    HistorySource("panel_verification", PanelVerification, "panel__case"),
    HistorySource("remedy", Remedy, "case"),
)
