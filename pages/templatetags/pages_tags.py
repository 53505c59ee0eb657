"""Filters that put the record's codes and computed explanations into the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import get_language_from_path, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.navigation import WorkspaceLink, workspace_links
from pages import charts, tables
from pages.events import EventAccount
from pages.events import event_account as account_of
from rrm import labels
from rrm.api.roles import is_case_officer
from rrm.choices import DatePrecision, Stage, Verdict
from rrm.models import Case, Deadline, TimelineEvent
from rrm.selectors import verdict_of
from rrm.work_queue import QueueItem

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    view_name: str
    label: Promise
    staff_only: bool = False


# The pages of the main navigation; the label of each is also the title of its page.
NAV_LINKS = (
    NavLink("pages:home", _("Home")),
    NavLink("pages:case-list", _("Cases")),
    NavLink("pages:statistics", _("Statistics")),
    NavLink("pages:staff-queue", _("Work queue"), staff_only=True),
)


@dataclass(frozen=True)
class SiteNav:
    links: Sequence[NavLink | WorkspaceLink]
    current: NavLink | WorkspaceLink | None


def _navigation(request: HttpRequest, links: Sequence[NavLink | WorkspaceLink]) -> SiteNav:
    match = request.resolver_match
    view_name = match.view_name if match else ""
    return SiteNav(links=links, current=next((link for link in links if link.view_name == view_name), None))


@register.simple_tag
def site_nav(request: HttpRequest) -> SiteNav:
    """The links of the main navigation this reader may follow, and the one of the page shown."""
    officer = is_case_officer(request.user)
    return _navigation(request, [link for link in NAV_LINKS if officer or not link.staff_only])


@register.simple_tag
def workspace_nav(request: HttpRequest) -> SiteNav:
    """The workspace links (accounts.navigation) this signed-in user may follow, and the one shown."""
    return _navigation(request, workspace_links(request.user))


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


def unprefixed(path: str) -> str:
    """The address without its language prefix, which sends each visitor to the page in their language."""
    language = get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


@register.simple_tag
def language_alternates(request: HttpRequest) -> list[Alternate]:
    """This page in each language (same path and query), and the address that picks the visitor's."""
    path = request.get_full_path()
    alternates = [
        Alternate(code, request.build_absolute_uri(translate_url(path, code)))
        for code, _name in settings.LANGUAGES
    ]
    return [*alternates, Alternate("x-default", request.build_absolute_uri(unprefixed(path)))]


@register.inclusion_tag("pages/_table.html")
def data_table(name: str, rows: Iterable[object], *, caption: str, caption_id: str) -> dict[str, object]:
    """The table `name` of pages.tables with these rows, labelled by its caption."""
    return {"table": tables.TABLES[name], "rows": rows, "caption": caption, "caption_id": caption_id}


@register.filter
def state_name(code: str) -> str:
    return labels.state_name(code)


@register.filter
def rule_name(deadline: Deadline) -> str:
    return labels.rule_name(code=deadline.rule.code, stored_name=deadline.rule.name)


@register.filter
def queue_what(item: QueueItem) -> str:
    """What a queue item is about: a clock's rule in the reader's language, else as the queue says it."""
    return labels.rule_name(code=item.rule_code, stored_name=item.what) if item.rule_code else item.what


@register.filter
def rule_code_name(code: str, stored_name: str) -> str:
    return labels.rule_name(code=code, stored_name=stored_name)


@register.filter
def stage_label(code: str) -> str:
    return str(Stage(code).label)


@register.filter
def verdict_label(code: str) -> str:
    return str(Verdict(code).label)


def _as_known(day: dt.date, precision: str) -> str:
    return date_format(day, "F Y") if precision == DatePrecision.MONTH else date_format(day)


@register.filter
def known_date(fact: TimelineEvent) -> str:
    """A fact's date no more precise than its source: the month alone where only the month is known."""
    return _as_known(fact.occurred_on, fact.date_precision)


@register.filter
def event_account(event: TimelineEvent, case: Case) -> EventAccount:
    """The event told in the reader's language from its facts, and the source's own note (pages.events)."""
    return account_of(event, case)


@register.filter
def clock_start(deadline: Deadline) -> str:
    """When a clock started, as precisely as the act that started it is known."""
    return _as_known(deadline.start_date, deadline.explanation.get("start_precision", DatePrecision.DAY))


@register.filter
def explanation(deadline: Deadline) -> str:
    return labels.explanation_text(deadline.explanation)


@register.filter
def cancellation_note(deadline: Deadline) -> str:
    return labels.cancellation_note(deadline.explanation)


@dataclass(frozen=True)
class VerdictBadge:
    """What a reader needs to know about a deadline at a glance: a CSS class and a sentence."""

    css_class: str
    text: str


def _days(count: int) -> dict[str, str]:
    return {"days": number_format(count, 0, force_grouping=True)}


def _open_verdict(deadline: Deadline, today: dt.date) -> VerdictBadge:
    days = (deadline.due_date - today).days
    shown = verdict_of(deadline, today=today)
    if shown == Verdict.NOT_IN_RECORD:
        date = date_format(deadline.due_date)
        return VerdictBadge("unknown", gettext("Due %(date)s: not in the public record") % {"date": date})
    if shown == Verdict.OVERDUE:
        text = ngettext("Open: overdue by %(days)s day", "Open: overdue by %(days)s days", -days)
        return VerdictBadge("overdue", text % _days(-days))
    if days == 0:
        return VerdictBadge("open", gettext("Open: due today"))
    text = ngettext("Open: due in %(days)s day", "Open: due in %(days)s days", days)
    return VerdictBadge("open", text % _days(days))


def _late_verdict(deadline: Deadline) -> VerdictBadge:
    late = deadline.days_late or 0
    if deadline.days_late_is_minimum:
        text = ngettext("Late, by at least %(days)s day", "Late, by at least %(days)s days", late)
    else:
        text = ngettext("Met late, by %(days)s day", "Met late, by %(days)s days", late)
    return VerdictBadge("late", text % _days(late))


def _ended_verdict(deadline: Deadline, ended_on: dt.date) -> VerdictBadge:
    date = {"date": date_format(ended_on)}
    if ended_on <= deadline.due_date:
        return VerdictBadge("unknown", gettext("Ended by %(date)s, before it was due") % date)
    return VerdictBadge("unknown", gettext("Ended by %(date)s, timeliness unknown") % date)


@register.filter
def verdict(deadline: Deadline) -> VerdictBadge:
    if deadline.status == Deadline.Status.OPEN:
        return _open_verdict(deadline, timezone.localdate())
    if deadline.status == Deadline.Status.LATE:
        return _late_verdict(deadline)
    if deadline.status == Deadline.Status.ENDED and deadline.satisfied_on is not None:
        return _ended_verdict(deadline, deadline.satisfied_on)
    return VerdictBadge(deadline.status, str(deadline.get_status_display()))


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
