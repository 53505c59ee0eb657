"""What the petitions app tells the case core (rrm.api.registry): a case belongs to the members of its
petition's petitioner organisations; where its steps are recorded; its records in the audit trail."""

from __future__ import annotations

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from rrm.api.history import HistorySource
from rrm.api.registry import registry


def register_with_case_core() -> None:
    registry.register(
        organisation_paths=["petitions__petitioners__organisation"],
        member_steps=["withdraw"],
        step_routes={
            "record_receipt": "case-receipt",
            "decline_petition": "case-ilc-determination",
            "resolve_without_request": "case-ilc-determination",
            "withdraw": "case-withdrawal",
        },
        history_sources=[
            HistorySource("petition", Petition, "case"),
            HistorySource("petitioner", Petitioner, "petition__case"),
            HistorySource("claim", Claim, "petition__case"),
            HistorySource("evidence", Evidence, "petition__case"),
            HistorySource("screening", Screening, "petition__case"),
        ],
    )
