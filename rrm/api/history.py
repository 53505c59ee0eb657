"""A case's audit trail, read from django-simple-history's tables.

Each app names the models it keeps history of and how each reaches its case; config/api_v1.py hands
the sources of every app to the case history view, so the kernel imports no other app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from rrm.models import Case, Document


@dataclass(frozen=True)
class HistorySource:
    label: str
    model: type[Model]
    # Lookup from the model to its Case; "" when the model is Case itself.
    case_path: str

    def history_of(self, case: Case) -> QuerySet[Any]:
        """The historical rows of the case's records, deleted records included: the lookup runs on the
        history table, which keeps a record's case after the record itself is gone."""
        history_manager = self.model.history  # type: ignore[attr-defined]
        condition = Q(id=case.pk) if not self.case_path else Q(**{self.case_path: case})
        return history_manager.filter(id__in=history_manager.filter(condition).values("id"))


KERNEL_SOURCES = (HistorySource("case", Case, ""), HistorySource("document", Document, "case"))

RECORD_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
TYPE_ORDER = {name: position for position, name in enumerate(RECORD_TYPES.values())}
# Bookkeeping columns that every change touches; they say nothing about what changed.
UNREPORTED_FIELDS = frozenset({"updated_at", "created_at"})


@dataclass(frozen=True)
class HistoryEntry:
    model: str
    object_id: Any
    history_id: int
    type: str
    at: dt.datetime
    actor: str | None
    changes: list[dict[str, Any]]


def case_history(*, case: Case, sources: Iterable[HistorySource]) -> list[HistoryEntry]:
    """Every recorded create, change and delete of the case and its records, newest first."""
    entries: list[HistoryEntry] = []
    for source in sources:
        entries.extend(_entries_of(source, case))
    return sorted(entries, key=_chronological, reverse=True)


def _chronological(entry: HistoryEntry) -> tuple[dt.datetime, int, int]:
    # History ids come from one sequence per table, so they cannot order records of different tables
    # written at the same instant; within one, a creation comes before a change and a change before a
    # deletion.
    return (entry.at, TYPE_ORDER.get(entry.type, len(TYPE_ORDER)), entry.history_id)


def _entries_of(source: HistorySource, case: Case) -> list[HistoryEntry]:
    records = source.history_of(case).select_related("history_user").order_by("history_date")
    by_object: dict[Any, list[Any]] = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    entries = []
    for object_records in by_object.values():
        previous = None
        for record in object_records:
            entries.append(_entry(source.label, record, previous))
            previous = record
    return entries


def _entry(label: str, record: Any, previous: Any) -> HistoryEntry:
    user = record.history_user
    return HistoryEntry(
        model=label,
        object_id=record.id,
        history_id=record.history_id,
        type=RECORD_TYPES.get(record.history_type, record.history_type),
        at=record.history_date,
        actor=user.get_username() if user is not None else None,
        changes=_changes(record, previous),
    )


def _changes(record: Any, previous: Any) -> list[dict[str, Any]]:
    if previous is None:
        return [
            {"field": name, "old": None, "new": _plain(getattr(record, name))}
            for name in _tracked_field_names(record)
            if getattr(record, name) not in (None, "", [], {})
        ]
    delta = record.diff_against(previous)
    return [
        {"field": change.field, "old": _plain(change.old), "new": _plain(change.new)}
        for change in delta.changes
        if change.field not in UNREPORTED_FIELDS
    ]


def _tracked_field_names(record: Any) -> Sequence[str]:
    return [field.attname for field in record.tracked_fields if field.attname not in UNREPORTED_FIELDS]


def _plain(value: Any) -> Any:
    # Dates, decimals and file names travel as text.
    return value if value is None or isinstance(value, bool | int | float | str | list | dict) else str(value)
