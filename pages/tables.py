"""The tables the pages show, each declared once: its columns, and the template of one of its rows.

The `data_table` tag (pages_tags) draws the scrolling region, the caption and the header from these.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    label: Promise
    numeric: bool = False


def _columns(*labels: Promise, numeric: bool = False) -> tuple[Column, ...]:
    return tuple(Column(label, numeric) for label in labels)


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    row_template: str
    # On a narrow screen a stacked table shows each row as a card (site.css, table.stack).
    stacked: bool = False


TABLES: dict[str, Table] = {
    "cases": Table(
        columns=_columns(
            _("Case"), _("Company"), _("State"), _("Sector"), _("Began"), _("Stage"), _("Outcome")
        ),
        row_template="pages/_case_row.html",
        stacked=True,
    ),
    "work_queue": Table(
        columns=_columns(_("Due"), _("Case"), _("What waits"), _("Stage")),
        row_template="pages/_queue_row.html",
        stacked=True,
    ),
    "plan_actions": Table(
        columns=_columns(_("Action"), _("Due"), _("Status"), _("Verified"))
        + _columns(_("Workers covered"), _("Amount (USD)"), numeric=True),
        row_template="pages/_plan_action_row.html",
    ),
}
