"""A timeline event told in the reader's language.

The sources give their notes in English prose, and nothing here translates prose: that would put words
in a source's mouth. What a page says in its reader's language is composed from the event's structured
facts only (its kind, the Parties and the facility of its case, the outcome it announces), with the
templates below. The source's own note follows as a quotation: on a page in another language it is marked
as English (lang="en"), because the notes of data/events.csv are written in English. A note the import
wrote from the same facts (importer.record.restates_its_facts) adds nothing, and is not shown. A note
staff typed is shown as typed, in whatever language they wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from importer.record import restates_its_facts
from rrm.choices import EventKind, Outcome
from rrm.models import Case, TimelineEvent
from rrm.services import IMPORT_NOTE_PREFIX

# The sentence of each kind that involves a Party or the facility; any other kind is told by its name
# and the facility (GENERIC).
SENTENCES: Mapping[str, Promise] = {
    EventKind.PETITION_FILED: _("A petition was filed about %(facility)s."),
    EventKind.PETITION_RECEIVED: _("%(complainant)s received the petition about %(facility)s."),
    EventKind.REQUEST_FOR_REVIEW: _(
        "%(complainant)s asked %(respondent)s to review the situation at %(facility)s."
    ),
    EventKind.LIQUIDATION_SUSPENDED: _(
        "%(complainant)s suspended the liquidation of entries of goods from %(facility)s."
    ),
    EventKind.LIQUIDATION_RESUMED: _(
        "%(complainant)s resumed the liquidation of entries of goods from %(facility)s."
    ),
    EventKind.MEXICO_ACCEPTED: _("%(respondent)s agreed to review the situation at %(facility)s."),
    EventKind.MEXICO_DECLINED: _("%(respondent)s declined to review the situation at %(facility)s."),
    EventKind.MEXICO_FINDING_DENIAL: _("%(respondent)s found a denial of rights at %(facility)s."),
    EventKind.MEXICO_FINDING_NO_DENIAL: _("%(respondent)s found no denial of rights at %(facility)s."),
    EventKind.MEXICO_FINDING_REMEDIED: _(
        "%(respondent)s found that a denial of rights at %(facility)s was remedied during its review."
    ),
    EventKind.REMEDIATION_AGREED: _(
        "%(complainant)s and %(respondent)s agreed a course of remediation for %(facility)s."
    ),
    EventKind.PANEL_REQUESTED: _(
        "%(complainant)s requested a Rapid Response Labor Panel about %(facility)s."
    ),
    EventKind.FACILITY_CLOSED: _("%(facility)s closed."),
}
GENERIC = _("%(kind)s: %(facility)s.")
OUTCOME = _("Outcome announced for %(facility)s: %(outcome)s.")


@dataclass(frozen=True)
class EventAccount:
    sentence: str
    # The source's own note, if it says more than the sentence; `note_language` is the language it is
    # written in when known (imported notes are English), blank when staff typed it.
    note: str
    note_language: str

    @property
    def note_is_foreign(self) -> bool:
        """Whether the note is in another language than the page, and is to be marked as such."""
        return bool(self.note_language) and self.note_language != get_language()


def _sentence(event: TimelineEvent, case: Case) -> str:
    facts = {
        "facility": case.facility.name,
        "complainant": case.get_complainant_display(),
        "respondent": case.get_respondent_display(),
        "kind": event.get_kind_display(),
    }
    outcome = event.data.get("outcome") if isinstance(event.data, dict) else None
    if event.kind == EventKind.OUTCOME_ANNOUNCED and outcome in Outcome.values:
        return str(OUTCOME) % {**facts, "outcome": Outcome(outcome).label}
    return str(SENTENCES.get(event.kind, GENERIC)) % facts


def event_account(event: TimelineEvent, case: Case) -> EventAccount:
    imported = event.source_note.startswith(IMPORT_NOTE_PREFIX)
    restated = imported and restates_its_facts(
        kind=event.kind, description=event.description, data=event.data
    )
    return EventAccount(
        sentence=_sentence(event, case),
        note="" if restated else event.description,
        note_language="en" if imported else "",
    )
