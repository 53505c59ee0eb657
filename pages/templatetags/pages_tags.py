"""Filters that put the record's codes and computed explanations into the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from pages import charts, labels
from rrm.models import Deadline

register = template.Library()


@register.filter
def state_name(code: str) -> str:
    return labels.state_name(code)


@register.filter
def rule_name(deadline: Deadline) -> str:
    return labels.rule_name(code=deadline.rule.code, stored_name=deadline.rule.name)


@register.filter
def explanation(deadline: Deadline) -> str:
    return labels.explanation_text(deadline.explanation)


@register.filter
def cancellation_note(deadline: Deadline) -> str:
    return labels.cancellation_note(deadline.explanation)


@dataclass(frozen=True)
class Verdict:
    """What a reader needs to know about a deadline at a glance: a CSS class and a sentence."""

    css_class: str
    text: str


def _days(count: int) -> dict[str, str]:
    return {"days": number_format(count, 0, force_grouping=True)}


def _open_verdict(due: dt.date, today: dt.date) -> Verdict:
    days = (due - today).days
    if days < 0:
        text = ngettext("Open: overdue by %(days)s day", "Open: overdue by %(days)s days", -days)
        return Verdict("overdue", text % _days(-days))
    if days == 0:
        return Verdict("open", gettext("Open: due today"))
    text = ngettext("Open: due in %(days)s day", "Open: due in %(days)s days", days)
    return Verdict("open", text % _days(days))


@register.filter
def verdict(deadline: Deadline) -> Verdict:
    if deadline.status == Deadline.Status.OPEN:
        return _open_verdict(deadline.due_date, timezone.localdate())
    if deadline.status == Deadline.Status.LATE:
        late = deadline.days_late or 0
        text = ngettext("Met late, by %(days)s day", "Met late, by %(days)s days", late) % _days(late)
        return Verdict("late", text)
    return Verdict(deadline.status, str(deadline.get_status_display()))


@register.filter
def cell(value: Decimal | float | str | None, kind: str) -> str:
    """A value of a statistics table in the reader's locale; a dash where there is none."""
    if kind == charts.FLAG:
        return gettext("yes") if value else ""
    if value is None:
        return "—"
    if kind == charts.SHARE:
        # number_format truncates; the figure is rounded first.
        percent = number_format(round(float(value) * 100, 1), 1, force_grouping=True)
        return gettext("%(percent)s%%") % {"percent": percent}
    if kind == charts.DAYS:
        return number_format(round(float(value), 1), 1, force_grouping=True)
    if kind == charts.COUNT:
        return number_format(value, 0, force_grouping=True)
    return str(value)
