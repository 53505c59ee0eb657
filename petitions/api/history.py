"""Petition records kept in a case's audit trail (rrm.api.history)."""

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from rrm.api.history import HistorySource

HISTORY_SOURCES = (
    HistorySource("petition", Petition, "case"),
    HistorySource("petitioner", Petitioner, "petition__case"),
    HistorySource("claim", Claim, "petition__case"),
    HistorySource("evidence", Evidence, "petition__case"),
    HistorySource("screening", Screening, "petition__case"),
)
