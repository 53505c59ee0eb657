"""Statistics of the public record, computed in the database with one GROUP BY per family of figures.

Every figure is defined in FIGURE_DEFINITIONS (public.figure_definitions), which the API documentation
shows verbatim; the figures read from the cases' events are public.event_figures. Groups
report their n (cases in the group); a rate over fewer than LOW_N cases carries `low_n: true`, and so
does a duration computed from fewer than LOW_N cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Expression,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)

from public import event_figures as events

# FIGURE_DEFINITIONS and requested (a case that had a request for review) are read from here too.
from public.event_figures import requested
from public.figure_definitions import FIGURE_DEFINITIONS as FIGURE_DEFINITIONS
from public.selectors import PETITIONER_TYPE_CHOICES, case_year, petitioner_type
from rrm.choices import Annex, DeadlineStatus, EventKind, Initiation, MexicanState, Outcome, Sector, Verdict
from rrm.models import Case, Company, Deadline, DeadlineRule
from rrm.selectors import verdict_expression

LOW_N = 5
GROUPINGS = ("year", "annex", "sector", "state", "company", "petitioner_type")

# --------------------------------------------------------------------------------------------------
# SQL building blocks


class PercentilesCont(Aggregate):
    """PostgreSQL's continuous percentiles (linear interpolation between the two nearest values), several
    from one sort: percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ...)."""

    function = "percentile_cont"
    name = "PercentilesCont"
    template = "%(function)s(ARRAY[%(fractions)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Expression | str, *, fractions: tuple[float, ...]) -> None:
        super().__init__(
            expression,
            fractions=", ".join(repr(float(fraction)) for fraction in fractions),
            output_field=ArrayField(FloatField()),
        )


def count_rows(where: Q | None = None) -> Count:
    """COUNT(*), or COUNT(1) FILTER (WHERE ...): no column read, so PostgreSQL may count from an index."""
    return Count("*") if where is None else Count(Value(1), filter=where)


def group_key(group_by: str | None, prefix: str = "") -> Expression | F:
    """The value a case is grouped by; `prefix` reaches the case from another model (e.g. 'case__')."""
    if group_by is None:
        return Value("all")
    if group_by == "year":
        return case_year(prefix)
    if group_by == "petitioner_type":
        return petitioner_type(prefix)
    column = {
        "annex": "annex",
        "sector": "facility__sector",
        "state": "facility__state",
        "company": "facility__operator_id",
    }[group_by]
    return F(f"{prefix}{column}")


def case_conditions() -> dict[str, Q]:
    """Every per-case count of the statistics: the condition a case meets to be counted."""
    petition = Q(initiation=Initiation.PETITION)
    declined_by_ilc = Q(outcome=Outcome.ILC_DECLINED) | events.has_event(EventKind.ILC_DECLINED)
    conditions: dict[str, Q] = {
        "petitions_received": petition,
        "requests_petition_based": petition & requested(),
        "requests_self_initiated": Q(initiation=Initiation.SELF_INITIATED) & requested(),
        "ilc_insufficient": petition & declined_by_ilc,
        "backpay_cases": Q(backpay_usd__isnull=False),
        "backpay_floor_cases": Q(backpay_is_floor=True, backpay_usd__isnull=False),
        "workers_cases": Q(workers_covered__isnull=False),
    }
    for answer in events.MEXICO_ANSWERS:
        conditions[f"response_{answer}"] = events.answered(answer)
    for finding in events.MEXICO_FINDINGS:
        conditions[f"finding_{finding}"] = events.found(finding)
    for outcome in Outcome.values:
        conditions[f"outcome_{outcome}"] = Q(outcome=outcome)
    return conditions


# The per-case sums of the statistics: figure, and the case's column summed.
CASE_SUMS = {"backpay_total": "backpay_usd", "workers_total": "workers_covered"}


def case_aggregates() -> dict[str, Aggregate]:
    """Every per-case figure as one aggregate of a single scan of the cases (and their events)."""
    aggregates: dict[str, Aggregate] = {
        "n": count_rows(),
        **{name: count_rows(where=condition) for name, condition in case_conditions().items()},
        **{name: Sum(column) for name, column in CASE_SUMS.items()},
    }
    for duration in events.DURATIONS:
        aggregates[f"{duration.name}_n"] = Count(duration.days())
        aggregates[f"{duration.name}_percentiles"] = PercentilesCont(duration.days(), fractions=(0.5, 0.9))
    return aggregates


# --------------------------------------------------------------------------------------------------
# Queries


def case_rows(cases: QuerySet[Case], group_by: str | None) -> dict[Any, dict[str, Any]]:
    """One row of per-case figures per group (a single GROUP BY)."""
    aggregates = case_aggregates()
    rows = (
        cases.order_by()
        .annotate(group_key=group_key(group_by))
        .values("group_key")
        .annotate(**aggregates)
        .values("group_key", *aggregates)
    )
    by_key = {row.pop("group_key"): row for row in rows}
    for row in by_key.values():
        for duration in events.DURATIONS:
            median, p90 = row.pop(f"{duration.name}_percentiles") or (None, None)
            row[f"{duration.name}_median"], row[f"{duration.name}_p90"] = median, p90
    return by_key


@dataclass(frozen=True)
class ClockCount:
    rule_id: int
    verdict: str
    count: int


# The verdicts counted apart in the statistics: every one but "no longer applies".
COUNTED_VERDICTS = tuple(verdict for verdict in Verdict.values if verdict != Verdict.CANCELLED)


def clock_rows(
    deadlines: QuerySet[Deadline], group_by: str | None, *, today: dt.date
) -> dict[Any, list[ClockCount]]:
    """Deadlines counted by group, rule version and verdict (a single GROUP BY)."""
    rows = (
        deadlines.order_by()
        .exclude(status=DeadlineStatus.CANCELLED)
        .annotate(group_key=group_key(group_by, "case__"), verdict=verdict_expression(today=today))
        .values("group_key", "rule_id", "verdict")
        .annotate(count=count_rows())
    )
    by_key: dict[Any, list[ClockCount]] = defaultdict(list)
    for row in rows:
        by_key[row["group_key"]].append(ClockCount(row["rule_id"], row["verdict"], row["count"]))
    return by_key


def repeat_rows(cases: QuerySet[Case], group_by: str | None, column: str) -> dict[Any, int]:
    """Per group, how many values of `column` (facility or operator) have more than one case."""
    inner = (
        cases.order_by()
        .annotate(group_key=group_key(group_by), repeated_value=F(column))
        .values("group_key", "repeated_value")
        .annotate(case_count=count_rows())
        .filter(case_count__gt=1)
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT repeated.group_key, COUNT(*) FROM ({sql}) repeated GROUP BY repeated.group_key", params
        )
        return {key: count for key, count in cursor.fetchall()}


# --------------------------------------------------------------------------------------------------
# Assembling the answer


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "value": round(numerator / denominator, 4) if denominator else None,
        "numerator": numerator,
        "denominator": denominator,
        "low_n": denominator < LOW_N,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _durations(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        duration.name: {
            "n": row[f"{duration.name}_n"],
            "median": _rounded(row[f"{duration.name}_median"]),
            "p90": _rounded(row[f"{duration.name}_p90"]),
            "low_n": row[f"{duration.name}_n"] < LOW_N,
        }
        for duration in events.DURATIONS
    }


@dataclass(frozen=True)
class RuleLabel:
    code: str
    name: str
    citation: str
    confidence: str


def _clocks(
    counts: Iterable[ClockCount], rules_by_id: Mapping[int, RuleLabel], codes: Sequence[str]
) -> dict[str, Any]:
    tallies: dict[str, dict[str, int]] = {code: dict.fromkeys(COUNTED_VERDICTS, 0) for code in codes}
    for count in counts:
        tallies[rules_by_id[count.rule_id].code][count.verdict] += count.count
    labels = {label.code: label for label in rules_by_id.values()}
    return {
        code: {
            "name": labels[code].name,
            "citation": labels[code].citation,
            "unconfirmed": labels[code].confidence == "U",
            **tally,
            "compliance_rate": rate(tally["met"], tally["met"] + tally["late"]),
        }
        for code, tally in tallies.items()
    }


def group_figures(
    row: Mapping[str, Any],
    *,
    clocks: dict[str, Any],
    repeat_facilities: int,
    repeat_companies: int,
) -> dict[str, Any]:
    requests_petition = row["requests_petition_based"]
    requests_total = requests_petition + row["requests_self_initiated"]
    determinations = requests_petition + row["ilc_insufficient"]
    answered = sum(row[f"response_{answer}"] for answer in events.MEXICO_ANSWERS)
    backpay = row["backpay_total"]
    return {
        "n": row["n"],
        "petitions_received": row["petitions_received"],
        "ilc_determinations": {
            "total": determinations,
            "sufficient": requests_petition,
            "insufficient": row["ilc_insufficient"],
        },
        "requests_for_review": {
            "total": requests_total,
            "petition_based": requests_petition,
            "self_initiated": row["requests_self_initiated"],
        },
        "acceptance_rate": rate(requests_petition, determinations),
        "mexico_responses": {
            **{answer: row[f"response_{answer}"] for answer in events.MEXICO_ANSWERS},
            "not_in_record": requests_total - answered,
        },
        "mexico_agreement_rate": rate(row["response_accepted"], answered),
        "mexico_findings": {finding: row[f"finding_{finding}"] for finding in events.MEXICO_FINDINGS},
        "outcomes": {str(outcome): row[f"outcome_{outcome}"] for outcome in Outcome.values},
        "durations": _durations(row),
        "clocks": clocks,
        "back_pay": {
            "usd": str(Decimal(backpay).quantize(Decimal("0.01"))) if backpay is not None else None,
            "cases": row["backpay_cases"],
            "is_floor": row["backpay_floor_cases"] > 0,
        },
        "workers_covered": {"total": row["workers_total"] or 0, "cases": row["workers_cases"]},
        "repeat": {"facilities": repeat_facilities, "companies": repeat_companies},
    }


def _labels(group_by: str | None, keys: Iterable[Any]) -> dict[Any, str]:
    if group_by == "company":
        return dict(
            Company.objects.filter(pk__in=[key for key in keys if key is not None]).values_list("pk", "name")
        )
    vocabularies: dict[str, Mapping[Any, Any]] = {
        "annex": dict(Annex.choices),
        "sector": dict(Sector.choices),
        "state": dict(MexicanState.choices),
        "petitioner_type": dict(PETITIONER_TYPE_CHOICES),
    }
    vocabulary = vocabularies.get(group_by or "", {})
    return {key: str(vocabulary.get(key, key)) for key in keys}


def _label(group_by: str | None, key: Any, labels: Mapping[Any, str]) -> str:
    if group_by is None:
        return "All cases"
    if key is None:
        return "Not reported"
    return labels.get(key, str(key))


def _sort_key(key: Any) -> tuple[bool, str]:
    return (key is None or key == "", str(key))


def statistics(
    *, cases: QuerySet[Case], deadlines: QuerySet[Deadline], group_by: str | None, today: dt.date
) -> list[dict[str, Any]]:
    """The figures of FIGURE_DEFINITIONS for each group of the filtered cases (one group if not grouped)."""
    return assembled(
        group_by,
        rows=case_rows(cases, group_by),
        clocks=clock_rows(deadlines, group_by, today=today),
        facilities=repeat_rows(cases, group_by, "facility_id"),
        companies=repeat_rows(cases, group_by, "facility__operator_id"),
    )


def assembled(
    group_by: str | None,
    *,
    rows: Mapping[Any, Mapping[str, Any]],
    clocks: Mapping[Any, list[ClockCount]],
    facilities: Mapping[Any, int],
    companies: Mapping[Any, int],
) -> list[dict[str, Any]]:
    """The answer's groups from each group's per-case figures, clock counts and repeats."""
    rules_by_id, codes = rule_labels()
    labels = _labels(group_by, rows)
    groups = []
    for key in sorted(rows, key=_sort_key):
        shown_key = None if key == "" else key
        groups.append(
            {
                "key": shown_key,
                "label": _label(group_by, shown_key, labels),
                **group_figures(
                    rows[key],
                    clocks=_clocks(clocks.get(key, []), rules_by_id, codes),
                    repeat_facilities=facilities.get(key, 0),
                    repeat_companies=companies.get(key, 0),
                ),
            }
        )
    return groups


def rule_labels() -> tuple[dict[int, RuleLabel], list[str]]:
    """Every rule version labelled with its code's newest name, citation and confidence; the codes."""
    newest: dict[str, RuleLabel] = {}
    versions: list[tuple[int, str]] = []
    for rule_id, code, name, citation, confidence in DeadlineRule.objects.order_by(
        "code", "-effective_from"
    ).values_list("pk", "code", "name", "citation", "confidence"):
        newest.setdefault(code, RuleLabel(code, name, citation, confidence))
        versions.append((rule_id, code))
    return {rule_id: newest[code] for rule_id, code in versions}, list(newest)
