"""The case officers' work queue: what waits on staff across every case (reads only).

Petitions to screen, clocks due within N days, clocks overdue, cases awaiting Mexico's answer, and the
remediation dates other apps register with the sweep (rrm.notifications.sweep.WATCHED_DATES: plan ends
and actions due). The staff page, its CSV and the API read the same items through the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Min, Q, QuerySet, TextChoices
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from rrm.api.roles import CASE_OFFICERS_GROUP
from rrm.choices import CaseRecordBasis, Initiation, Stage
from rrm.models import Case, Deadline
from rrm.notifications.sweep import WATCHED_DATES

DEFAULT_DAYS = 7
MAX_DAYS = 366


class QueueKind(TextChoices):
    SCREENING = "screening", _("Petitions to screen")
    DUE = "due", _("Clocks due soon")
    OVERDUE = "overdue", _("Overdue clocks")
    AWAITING_MEXICO = "awaiting_mexico", _("Awaiting Mexico")
    ACTIONS = "actions", _("Remediation dates due")


SCREENING_STAGES = (Stage.SUBMITTED, Stage.ILC_REVIEW)
AWAITING_MEXICO_STAGES = (Stage.REQUEST_SENT, Stage.MEXICO_REVIEW)


@dataclass(frozen=True)
class QueueItem:
    kind: QueueKind
    case_id: str
    facility: str
    stage: str
    due_on: dt.date | None
    what: str
    # The clock's rule, for a clock (its name is shown in the reader's language).
    rule_code: str = ""

    def as_row(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "case_id": self.case_id,
            "facility": self.facility,
            "stage": self.stage,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "what": self.what,
        }


# The columns of a queue item, in the order of the CSV and the API.
QUEUE_COLUMNS = ("kind", "case_id", "facility", "stage", "due_on", "what")


def _valid_values_message(values: list[str]) -> str:
    return gettext("Choose one of: %(values)s.") % {"values": ", ".join(values)}


class ValidValuesChoiceField(forms.ChoiceField):
    """A choice refused with the valid values named (Django's message names only the wrong one)."""

    def validate(self, value: Any) -> None:
        if value and not self.valid_value(value):
            valid = [str(choice) for choice, _label in self.choices if choice]  # type: ignore[misc,union-attr]
            raise forms.ValidationError(_valid_values_message(valid), code="invalid_choice")
        super().validate(value)


def case_officer_usernames() -> list[str]:
    officers = User.objects.filter(Q(groups__name=CASE_OFFICERS_GROUP) | Q(is_superuser=True))
    return sorted(set(officers.filter(is_active=True).values_list("username", flat=True)))


class QueueFilters(forms.Form):
    """The queue's filters, from a query string; every one optional."""

    days = forms.IntegerField(
        label=_("Clocks due within (days)"), min_value=1, max_value=MAX_DAYS, required=False
    )
    kind = ValidValuesChoiceField(label=_("Kind of work"), required=False)
    case = forms.CharField(label=_("Case id contains"), required=False, max_length=100)
    officer = ValidValuesChoiceField(label=_("Officer who recorded a step"), required=False)
    due_from = forms.DateField(label=_("Due on or after"), required=False)
    due_to = forms.DateField(label=_("Due on or before"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_value = [("", gettext_lazy("Any"))]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = any_value + list(QueueKind.choices)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ChoiceField)
        officer.choices = any_value + [(name, name) for name in case_officer_usernames()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("due_from"), cleaned.get("due_to")
        if start and end and end < start:
            message = gettext("The end of the range (%(end)s) is before its start.") % {"end": end}
            self.add_error("due_to", message)
        return cleaned

    @property
    def window_days(self) -> int:
        return (self.cleaned_data.get("days") if self.is_valid() else None) or DEFAULT_DAYS


def _cases(filters: dict[str, Any]) -> QuerySet[Case]:
    cases = Case.objects.select_related("facility")
    if filters.get("case"):
        cases = cases.filter(case_id__icontains=filters["case"])
    if filters.get("officer"):
        cases = cases.filter(events__recorded_by__username=filters["officer"]).distinct()
    return cases


def _item(kind: QueueKind, case: Case, due_on: dt.date | None, what: str, rule_code: str = "") -> QueueItem:
    return QueueItem(kind, case.case_id, case.facility.name, case.stage, due_on, what, rule_code)


def _clock_items(kind: QueueKind, deadlines: QuerySet[Deadline]) -> list[QueueItem]:
    return [
        _item(kind, deadline.case, deadline.due_date, deadline.rule.name, deadline.rule.code)
        for deadline in deadlines.select_related("rule", "case__facility")
    ]


def _stage_items(kind: QueueKind, cases: QuerySet[Case]) -> list[QueueItem]:
    """Cases at a stage that waits on someone, each with the earliest due date of its open clocks."""
    open_clock = Q(deadlines__status=Deadline.Status.OPEN)
    annotated = cases.annotate(next_due=Min("deadlines__due_date", filter=open_clock))
    return [_item(kind, case, case.next_due, str(Stage(case.stage).label)) for case in annotated]


def _watched_items(cases: QuerySet[Case], *, until: dt.date) -> list[QueueItem]:
    """The registered remediation dates due by `until`, overdue ones included."""
    by_pk = {case.pk: case for case in cases}
    items = []
    for watched in WATCHED_DATES.values():
        sql, params = watched.open_rows()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.case_id, w.due_date, w.name FROM ({sql}) AS w WHERE w.due_date <= %s",
                [*params, until],
            )
            for case_pk, due_on, name in cursor.fetchall():
                if case_pk in by_pk:
                    items.append(_item(QueueKind.ACTIONS, by_pk[case_pk], due_on, name))
    return items


def work_queue(*, today: dt.date, filters: QueueFilters) -> list[QueueItem]:
    """The queue's items that match valid filters, by kind, then due date (undated last), then case."""
    values = filters.cleaned_data if filters.is_valid() else {}
    window_end = today + dt.timedelta(days=filters.window_days - 1)
    cases = _cases(values)
    open_deadlines = Deadline.objects.filter(status=Deadline.Status.OPEN, case__in=cases)
    sections = {
        QueueKind.SCREENING: lambda: _stage_items(
            QueueKind.SCREENING, cases.filter(initiation=Initiation.PETITION, stage__in=SCREENING_STAGES)
        ),
        QueueKind.DUE: lambda: _clock_items(
            QueueKind.DUE, open_deadlines.filter(due_date__gte=today, due_date__lte=window_end)
        ),
        QueueKind.OVERDUE: lambda: _clock_items(
            QueueKind.OVERDUE,
            open_deadlines.filter(due_date__lt=today, case__record_basis=CaseRecordBasis.STAFF),
        ),
        QueueKind.AWAITING_MEXICO: lambda: _stage_items(
            QueueKind.AWAITING_MEXICO, cases.filter(stage__in=AWAITING_MEXICO_STAGES)
        ),
        QueueKind.ACTIONS: lambda: _watched_items(cases, until=window_end),
    }
    wanted = [QueueKind(values["kind"])] if values.get("kind") else list(QueueKind)
    items = [item for kind in wanted for item in sections[kind]() if _in_range(item, values)]
    order = list(QueueKind)
    return sorted(items, key=lambda item: (order.index(item.kind), item.due_on or dt.date.max, item.case_id))


def _in_range(item: QueueItem, values: dict[str, Any]) -> bool:
    start, end = values.get("due_from"), values.get("due_to")
    if not start and not end:
        return True
    if item.due_on is None:
        return False
    return (not start or item.due_on >= start) and (not end or item.due_on <= end)
