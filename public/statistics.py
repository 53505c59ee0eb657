"""Statistics of the public record, computed in the database with one GROUP BY per family of figures.

Every figure is defined in FIGURE_DEFINITIONS, which the API documentation shows verbatim. Groups
report their n (cases in the group); a rate over fewer than LOW_N cases carries `low_n: true`, and so
does a duration computed from fewer than LOW_N cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen

from public.selectors import PETITIONER_TYPE_CHOICES, case_year, petitioner_type
from remediation.models import MexicoReviewFinding, MexicoReviewResponse
from rrm.choices import Annex, Initiation, MexicanState, Outcome, Sector, Stage, Verdict
from rrm.models import Case, Company, Deadline, DeadlineRule, DeadlineStatus
from rrm.selectors import verdict_expression

LOW_N = 5
GROUPINGS = ("year", "annex", "sector", "state", "company", "petitioner_type")

# Stages a case can only be in before, or without, a request for review (rrm.workflow); every other
# stage follows a request, which is how a case imported without its request date still counts as one.
STAGES_WITHOUT_REQUEST = (
    Stage.SUBMITTED,
    Stage.ILC_REVIEW,
    Stage.ILC_DECLINED,
    Stage.CLOSED_WITHOUT_REQUEST,
    Stage.WITHDRAWN,
)
PANEL_OUTCOMES = (Outcome.PANEL_NO_DENIAL, Outcome.PANEL_DENIAL_FOUND)
ANSWERED_RESPONSES = (
    MexicoReviewResponse.ACCEPTED,
    MexicoReviewResponse.DECLINED,
    MexicoReviewResponse.NO_ANSWER,
)
RECORDED_FINDINGS = (MexicoReviewFinding.DENIAL, MexicoReviewFinding.NO_DENIAL, MexicoReviewFinding.REMEDIED)

FIGURE_DEFINITIONS: dict[str, str] = {
    "n": "Cases in the group: every case of the record that matches the filters.",
    "petitions_received": "Cases that began with a petition (initiation = petition), whatever their fate.",
    "ilc_determinations": (
        "Petitions with a screening determination (the ILC's; Canada's NAO's under Annex 31-B): "
        "`sufficient` counts petition-based cases that reached a request for review (a positive "
        "determination is made public with the request), `insufficient` those closed as ilc_declined."
    ),
    "requests_for_review": (
        "Cases in which a request for review was sent to Mexico: its date is recorded, or the case is at a "
        "stage that only follows a request. `petition_based` and `self_initiated` are counted apart."
    ),
    "acceptance_rate": (
        "Requests for review that came from petitions / petitions with a screening determination "
        "(sufficient + insufficient)."
    ),
    "mexico_responses": (
        "Mexico's answer to the requests (accepted, declined, no answer within 10 days); "
        "`not_recorded` is requests whose answer is not in the record."
    ),
    "mexico_agreement_rate": "Requests Mexico accepted / requests with a recorded answer.",
    "mexico_findings": (
        "Results of Mexico's reviews as recorded: denial, no denial, denial remedied during the review. "
        "Imported cases carry their result in the outcome code instead."
    ),
    "outcomes": "Cases by outcome code (docs/mechanism.md); `open` means no outcome was found.",
    "durations": (
        "Days between two dated steps, over the cases where both dates are known: median and 90th "
        "percentile (linear interpolation, PostgreSQL percentile_cont). receipt_to_determination: "
        "petition received to the ILC's determination (the request date for a positive one, the "
        "outcome date for ilc_declined); request_to_mexico_response: request to Mexico's answer; "
        "request_to_finding: request to Mexico's finding; request_to_remediation_plan: request to the "
        "agreed course of remediation; panel_request_to_determination: panel request to the panel's "
        "outcome date."
    ),
    "clocks": (
        "Deadlines per rule, each counted once by the verdict the record proves (docs/mechanism.md, "
        "'What the record can prove'): met (stopped on or before the due date), late (stopped after "
        "it), ended (a later act proves it stopped, timeliness unknown), pending (running, not yet "
        "due), overdue (past due with no stopping act, on a case kept here by staff) and not_in_record "
        "(past due with no stopping act in the public record of an imported case). Clocks that no "
        "longer apply are left out. compliance_rate = met / (met + late): only proven verdicts count. "
        "A rule tagged U in docs/mechanism.md is marked unconfirmed."
    ),
    "back_pay": (
        "Sum of published back pay in U.S. dollars over the cases that report one; is_floor is true "
        "when any of them is a floor ('more than'), so the sum is a floor too."
    ),
    "workers_covered": "Sum of workers covered as reported by the source, over the cases that report it.",
    "repeat": "Facilities, and companies, with more than one case in the group.",
}


# --------------------------------------------------------------------------------------------------
# SQL building blocks


class DaysBetween(Func):
    """Whole days from `earlier` to `later`; NULL when either is NULL."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "  # PostgreSQL: date - date is an integer number of days


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


def requested(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}stage__in": STAGES_WITHOUT_REQUEST})


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


@dataclass(frozen=True)
class Duration:
    name: str
    days: Callable[[], Expression]


DURATIONS = (
    Duration(
        "receipt_to_determination",
        lambda: CaseWhen(
            When(
                Q(initiation=Initiation.PETITION) & requested(),
                then=DaysBetween(F("request_for_review_on"), F("petition_received_on")),
            ),
            When(
                Q(outcome=Outcome.ILC_DECLINED),
                then=DaysBetween(F("outcome_date"), F("petition_received_on")),
            ),
            output_field=IntegerField(),
        ),
    ),
    Duration(
        "request_to_mexico_response",
        lambda: DaysBetween(F("mexico_response_on"), F("request_for_review_on")),
    ),
    Duration(
        "request_to_finding",
        lambda: DaysBetween(F("mexico_review__finding_on"), F("mexico_review__requested_on")),
    ),
    Duration(
        "request_to_remediation_plan",
        lambda: DaysBetween(F("remediation_agreed_on"), F("request_for_review_on")),
    ),
    Duration(
        "panel_request_to_determination",
        lambda: CaseWhen(
            When(
                Q(outcome__in=PANEL_OUTCOMES),
                then=DaysBetween(F("outcome_date"), F("panel_requested_on")),
            ),
            output_field=IntegerField(),
        ),
    ),
)


def case_aggregates() -> dict[str, Aggregate]:
    """Every per-case figure as one aggregate of a single scan of the cases (and their Mexican review)."""
    petition = Q(initiation=Initiation.PETITION)
    aggregates: dict[str, Aggregate] = {
        "n": count_rows(),
        "petitions_received": count_rows(where=petition),
        "requests_petition_based": count_rows(where=petition & requested()),
        "requests_self_initiated": count_rows(where=Q(initiation=Initiation.SELF_INITIATED) & requested()),
        "ilc_insufficient": count_rows(where=petition & Q(outcome=Outcome.ILC_DECLINED)),
        "backpay_total": Sum("backpay_usd"),
        "backpay_cases": Count("backpay_usd"),
        "backpay_floor_cases": count_rows(where=Q(backpay_is_floor=True, backpay_usd__isnull=False)),
        "workers_total": Sum("workers_covered"),
        "workers_cases": Count("workers_covered"),
    }
    for response in ANSWERED_RESPONSES:
        aggregates[f"response_{response}"] = count_rows(where=Q(mexico_review__response=response))
    for finding in RECORDED_FINDINGS:
        aggregates[f"finding_{finding}"] = count_rows(where=Q(mexico_review__finding=finding))
    for outcome in Outcome.values:
        aggregates[f"outcome_{outcome}"] = count_rows(where=Q(outcome=outcome))
    for duration in DURATIONS:
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
        for duration in DURATIONS:
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
        for duration in DURATIONS
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
    answered = sum(row[f"response_{response}"] for response in ANSWERED_RESPONSES)
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
            **{str(response): row[f"response_{response}"] for response in ANSWERED_RESPONSES},
            "not_recorded": requests_total - answered,
        },
        "mexico_agreement_rate": rate(row[f"response_{MexicoReviewResponse.ACCEPTED}"], answered),
        "mexico_findings": {str(finding): row[f"finding_{finding}"] for finding in RECORDED_FINDINGS},
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
    rows = case_rows(cases, group_by)
    clocks = clock_rows(deadlines, group_by, today=today)
    facilities = repeat_rows(cases, group_by, "facility_id")
    companies = repeat_rows(cases, group_by, "facility__operator_id")
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
