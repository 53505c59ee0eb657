"""The statistics page's four charts, each with the table of the figures it draws and the same table as CSV.

The figures come from the public API's statistics (public.statistics), so the page and
/api/v1/public/stats/ never disagree; this module only picks the figures each chart needs and names them
in the reader's language. A chart's `spec` is what pages/static/pages/charts.js draws.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pages.selectors import public_statistics
from public.published_totals import ACCEPTANCE_CAVEAT, PUBLISHED_TOTALS, PublishedTotal
from public.statistics import COUNTED_VERDICTS, LOW_N
from rrm.choices import Outcome, Sector, Verdict
from rrm.labels import rule_name

# Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), then Paul Tol's muted
# colours for charts with more series than that; the browser (charts.js) and the SVG files draw with it.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#882255", "#44AA99", "#999933", "#AA4499", "#DDDDDD",
)  # fmt: skip

# Column kinds, which decide how a value is shown: a count, a share (0 to 1), a number of days, a
# yes/no flag, or text.
COUNT, SHARE, DAYS, FLAG, TEXT = "count", "share", "days", "flag", "text"

DURATION_NAMES: Mapping[str, Promise] = {
    "receipt_to_determination": _("Petition received to the ILC's determination"),
    "request_to_mexico_response": _("Request for review to Mexico's response"),
    "request_to_finding": _("Request for review to Mexico's finding"),
    "request_to_remediation_plan": _("Request for review to the course of remediation"),
    "panel_request_to_determination": _("Panel request to the panel's determination"),
}


class Column(NamedTuple):
    key: str
    label: str
    kind: str


@dataclass(frozen=True)
class ChartTable:
    slug: str
    title: str
    definition: str
    spec: dict[str, Any]
    columns: list[Column]
    rows: list[list[Any]]
    # The code of each row's group (a year, a sector code, a duration or a rule code); blank when the
    # record does not say.
    keys: list[str]
    # Totals published elsewhere that give the scale of the chart's figures, shown beside it.
    published_totals: tuple[PublishedTotal, ...] = ()

    @property
    def has_data(self) -> bool:
        """Whether the chart has any figure to draw (a rate of 0 is one; a rate over no case is not)."""
        return any(value is not None for dataset in self.spec["datasets"] for value in dataset["data"])

    @property
    def table_rows(self) -> list[list[tuple[Column, Any]]]:
        """Each row's values beside their column, for the page's table."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    def csv_text(self) -> str:
        """The table with stable column names and group codes, so that a script reads it the same in
        every language; the group's name in the reader's language follows its code."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.columns[0].key, "label", *(column.key for column in self.columns[1:])])
        for key, (label, *values) in zip(self.keys, self.rows, strict=True):
            writer.writerow([key, label, *(_csv_value(value) for value in values)])
        return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _code(key: Any) -> str:
    return "" if key is None else str(key)


def _sector_label(key: str | None) -> str:
    return str(Sector(key).label) if key in Sector.values else gettext("Sector not reported")


def _year_label(key: int | None) -> str:
    return str(key) if key is not None else gettext("Year not reported")


def _share(rate: Mapping[str, Any]) -> float | None:
    value = rate.get("value")
    return None if value is None else float(value)


def _cases_column() -> Column:
    return Column("cases", gettext("Cases"), COUNT)


def _low_n_column() -> Column:
    """The flag of a figure computed over fewer than LOW_N cases, explained by low_n_note()."""
    return Column("low_n", gettext("Low n"), FLAG)


def _with_low_n(text: str, low_n: bool) -> str:
    return gettext("%(figures)s · low n") % {"figures": text} if low_n else text


def _n_note(n: int, low_n: bool) -> str:
    """The second line of a bar's name: the cases a figure is computed over, and the low-n flag."""
    return _with_low_n(gettext("n = %(n)s") % {"n": number_format(n, 0, force_grouping=True)}, low_n)


def _bars(
    rows: Sequence[Sequence[Any]],
    *,
    series: Sequence[tuple[str, int]],
    value_axis: str,
    notes: Sequence[str] = (),
    **layout: bool,
) -> dict[str, Any]:
    """A bar chart of the table: a bar per row, named by its first column (and a second line of `notes`,
    such as the n the figure is computed over), in each series of bars (a label and the column it
    draws); layout sets percent, stacked or horizontal."""
    names = [
        [row[0], note] if note else row[0] for row, note in zip(rows, notes or [""] * len(rows), strict=True)
    ]
    return {
        "type": "bar",
        **layout,
        "labels": names,
        "datasets": [
            {"label": label, "data": [row[index] for row in rows], "color": PALETTE[number % len(PALETTE)]}
            for number, (label, index) in enumerate(series)
        ],
        "valueAxis": value_axis,
    }


def _acceptance_note(rate: Mapping[str, Any]) -> str:
    """The counts behind a year's acceptance rate, so that a rate of 100% over one petition reads as such."""
    if rate["value"] is None:
        return ""
    counts = gettext("%(numerator)s of %(denominator)s (%(percent)s%%)") % {
        "numerator": rate["numerator"],
        "denominator": rate["denominator"],
        "percent": number_format(round(float(rate["value"]) * 100), 0),
    }
    return _with_low_n(counts, bool(rate["low_n"]))


def acceptance_over_time(groups: Sequence[Mapping[str, Any]]) -> ChartTable:
    rows = []
    for group in groups:
        rate = group["acceptance_rate"]
        rows.append(
            [
                _year_label(group["key"]),
                group["petitions_received"],
                rate["denominator"],
                rate["numerator"],
                _share(rate),
                rate["low_n"],
            ]
        )
    return ChartTable(
        slug="acceptance-by-year",
        title=gettext("Acceptance over time"),
        definition=" ".join(
            [
                gettext(
                    "Acceptance rate by the year the case began: requests for review that came from "
                    "petitions, divided by the petitions with a screening determination."
                ),
                str(ACCEPTANCE_CAVEAT),
            ]
        ),
        # The counts behind the rate are drawn, not the rate: a rate over a handful of petitions is
        # 100% year after year, which says less than how many petitions were screened and requested.
        spec=_bars(
            rows,
            series=[
                (gettext("Petitions with a determination"), 2),
                (gettext("Requests for review from petitions"), 3),
            ],
            value_axis=gettext("Petitions"),
            notes=[_acceptance_note(group["acceptance_rate"]) for group in groups],
        ),
        keys=[_code(group["key"]) for group in groups],
        columns=[
            Column("year", gettext("Year"), TEXT),
            Column("petitions_received", gettext("Petitions received"), COUNT),
            Column("petitions_with_determination", gettext("Petitions with a determination"), COUNT),
            Column("requests_from_petitions", gettext("Requests for review from petitions"), COUNT),
            Column("acceptance_rate", gettext("Acceptance rate"), SHARE),
            _low_n_column(),
        ],
        rows=rows,
        published_totals=PUBLISHED_TOTALS,
    )


def outcomes_by_sector(groups: Sequence[Mapping[str, Any]]) -> ChartTable:
    shown = [code for code in Outcome.values if any(group["outcomes"][code] for group in groups)]
    labels = [_sector_label(group["key"]) for group in groups]
    rows = [
        [label, group["n"], *(group["outcomes"][code] for code in shown)]
        for label, group in zip(labels, groups, strict=True)
    ]
    return ChartTable(
        slug="outcomes-by-sector",
        title=gettext("Outcomes by sector"),
        definition=gettext(
            "Cases by outcome in each Priority Sector of Annex 31-A. “Open” means that no outcome was "
            "found in public sources."
        ),
        spec=_bars(
            rows,
            series=[(str(Outcome(code).label), 2 + index) for index, code in enumerate(shown)],
            value_axis=gettext("Cases"),
            stacked=True,
            horizontal=True,
        ),
        keys=[_code(group["key"]) for group in groups],
        columns=[
            Column("sector", gettext("Sector"), TEXT),
            _cases_column(),
            *(Column(code, str(Outcome(code).label), COUNT) for code in shown),
        ],
        rows=rows,
    )


def _overall(groups: Sequence[Mapping[str, Any]], figure: str) -> Mapping[str, Any]:
    """One figure of the ungrouped statistics; none when there is no case at all."""
    return groups[0][figure] if groups else {}


def stage_durations(groups: Sequence[Mapping[str, Any]]) -> ChartTable:
    rows = [
        [
            str(DURATION_NAMES.get(name, name)),
            figures["n"],
            figures["median"],
            figures["p90"],
            figures["low_n"],
        ]
        for name, figures in _overall(groups, "durations").items()
    ]
    return ChartTable(
        slug="stage-durations",
        title=gettext("Stage durations"),
        definition=gettext(
            "Days between two acts, over the cases where the dates of both prove the day (the date of "
            "the act itself or a source that gives the day; not an announcement, a month or an "
            "approximate date): the median and the 90th percentile."
        ),
        spec=_bars(
            rows,
            series=[(gettext("Median"), 2), (gettext("90th percentile"), 3)],
            value_axis=gettext("Days"),
            notes=[_n_note(row[1], row[4]) for row in rows],
            horizontal=True,
        ),
        keys=list(_overall(groups, "durations")),
        columns=[
            Column("duration", gettext("Stage"), TEXT),
            _cases_column(),
            Column("median_days", gettext("Median, days"), DAYS),
            Column("p90_days", gettext("90th percentile, days"), DAYS),
            _low_n_column(),
        ],
        rows=rows,
    )


def _clock_label(code: str, figures: Mapping[str, Any]) -> str:
    name = rule_name(code=code, stored_name=str(figures["name"]))
    if figures["unconfirmed"]:
        return gettext("%(name)s (unconfirmed rule)") % {"name": name}
    return name


def _compliance_note(rate: Mapping[str, Any]) -> str:
    """A clock's compliance rate beside its bar, over its n proven verdicts (met + late)."""
    if rate["value"] is None:
        return ""
    text = gettext("Compliance %(percent)s%%, n = %(n)s") % {
        "percent": number_format(round(float(rate["value"]) * 100), 0),
        "n": rate["denominator"],
    }
    return _with_low_n(text, bool(rate["low_n"]))


def clock_compliance(groups: Sequence[Mapping[str, Any]]) -> ChartTable:
    clocks = {
        code: figures
        for code, figures in _overall(groups, "clocks").items()
        if any(figures[verdict] for verdict in COUNTED_VERDICTS)
    }
    rows = [
        [
            _clock_label(code, figures),
            *(figures[verdict] for verdict in COUNTED_VERDICTS),
            _share(figures["compliance_rate"]),
            figures["compliance_rate"]["low_n"],
        ]
        for code, figures in clocks.items()
    ]
    verdict_labels = [str(Verdict(verdict).label) for verdict in COUNTED_VERDICTS]
    return ChartTable(
        slug="clock-compliance",
        title=gettext("Clock compliance"),
        definition=gettext(
            "Deadlines of each rule by what the record proves: met, late, ended by a later act (timeliness "
            "unknown), still running, overdue on a case kept here, or past due with no stopping act in the "
            "public record. Clocks that no longer apply are left out. Compliance = met / (met + late)."
        ),
        spec=_bars(
            rows,
            series=[(label, 1 + index) for index, label in enumerate(verdict_labels)],
            value_axis=gettext("Deadlines"),
            notes=[_compliance_note(figures["compliance_rate"]) for figures in clocks.values()],
            stacked=True,
            horizontal=True,
        ),
        keys=list(clocks),
        columns=[
            Column("clock", gettext("Clock"), TEXT),
            *(
                Column(verdict, label, COUNT)
                for verdict, label in zip(COUNTED_VERDICTS, verdict_labels, strict=True)
            ),
            Column("compliance_rate", gettext("Compliance"), SHARE),
            _low_n_column(),
        ],
        rows=rows,
    )


CHART_BUILDERS: Mapping[str, tuple[str | None, Callable[[list[dict[str, Any]]], ChartTable]]] = {
    "acceptance-by-year": ("year", acceptance_over_time),
    "outcomes-by-sector": ("sector", outcomes_by_sector),
    "stage-durations": (None, stage_durations),
    "clock-compliance": (None, clock_compliance),
}


def chart(slug: str) -> ChartTable:
    group_by, build = CHART_BUILDERS[slug]
    return build(public_statistics(group_by))


def all_charts() -> list[ChartTable]:
    """Every chart; the ungrouped statistics are computed once for the two charts that share them."""
    by_grouping: dict[str | None, list[dict[str, Any]]] = {}
    charts = []
    for group_by, build in CHART_BUILDERS.values():
        if group_by not in by_grouping:
            by_grouping[group_by] = public_statistics(group_by)
        charts.append(build(by_grouping[group_by]))
    return charts


LOW_N_NOTE = _("“Low n”: a rate or a duration computed over fewer than %(low_n)s cases.")


def low_n_note() -> str:
    return str(LOW_N_NOTE) % {"low_n": LOW_N}
