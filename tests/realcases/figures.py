"""Every statistic of /api/v1/public/stats/ (one group: all cases) recounted from the recount's timeline
and clocks, by the definitions the API documents (public.figure_definitions) restated here."""

from __future__ import annotations

import math
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from tests.realcases.recount import MEXICO_FINDINGS, Clock, RealCase

LOW_N = 5
# docs/import_cases.md: the notes say "floor", or "more than"/"over" right before a dollar amount.
FLOOR = re.compile(r"floor|(more than|over) (US)?\$", re.IGNORECASE)
ANSWERS = {"accepted": "mexico_accepted", "declined": "mexico_declined", "no_answer": "mexico_no_response"}
FINDINGS = dict(zip(("no_denial", "denial", "remedied"), MEXICO_FINDINGS, strict=True))
DURATIONS = {
    "receipt_to_determination": (
        ("petition_received",),
        ("ilc_determination", "ilc_declined", "request_for_review"),
    ),
    "request_to_mexico_response": (("request_for_review",), tuple(ANSWERS.values())),
    "request_to_finding": (("request_for_review",), MEXICO_FINDINGS),
    "request_to_remediation_plan": (("request_for_review",), ("remediation_agreed",)),
    "panel_request_to_determination": (
        ("panel_requested",),
        ("panel_determination_no_denial", "panel_determination_denial"),
    ),
}
COUNTED_VERDICTS = ("met", "late", "ended", "pending", "overdue", "not_in_record")


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    value = round(numerator / denominator, 4) if denominator else None
    return {"value": value, "numerator": numerator, "denominator": denominator, "low_n": denominator < LOW_N}


def percentile(values: list[int], fraction: float) -> float:
    """Linear interpolation between the two nearest ranks, as PostgreSQL's percentile_cont."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def days_between(case: RealCase, starts: tuple[str, ...], ends: tuple[str, ...]) -> int | None:
    start, end = case.first(*starts), case.first(*ends)
    if start is None or end is None or not (start.proves_the_day and end.proves_the_day):
        return None
    return (end.on - start.on).days


def duration(cases: list[RealCase], starts: tuple[str, ...], ends: tuple[str, ...]) -> dict[str, Any]:
    values = [days for case in cases if (days := days_between(case, starts, ends)) is not None]
    median = round(percentile(values, 0.5), 2) if values else None
    p90 = round(percentile(values, 0.9), 2) if values else None
    return {"n": len(values), "median": median, "p90": p90, "low_n": len(values) < LOW_N}


def is_petition(case: RealCase) -> bool:
    return case.row["petitioners"].strip().lower() != "self-initiated"


def requested(case: RealCase) -> bool:
    return bool(case.of("request_for_review"))


def answer(case: RealCase) -> str | None:
    first = case.first(*ANSWERS.values())
    return None if first is None else next(name for name, kind in ANSWERS.items() if kind == first.kind)


def requests_and_answers(cases: list[RealCase]) -> dict[str, Any]:
    petition_requests = sum(requested(case) for case in cases if is_petition(case))
    self_initiated = sum(requested(case) for case in cases if not is_petition(case))
    declined = sum(
        is_petition(case) and (case.row["outcome"] == "ilc_declined" or bool(case.of("ilc_declined")))
        for case in cases
    )
    answers = Counter(answer(case) for case in cases if requested(case))
    answered = sum(answers[name] for name in ANSWERS)
    return {
        "petitions_received": sum(is_petition(case) for case in cases),
        "ilc_determinations": {
            "total": petition_requests + declined,
            "sufficient": petition_requests,
            "insufficient": declined,
        },
        "requests_for_review": {
            "total": petition_requests + self_initiated,
            "petition_based": petition_requests,
            "self_initiated": self_initiated,
        },
        "acceptance_rate": rate(petition_requests, petition_requests + declined),
        "mexico_responses": {
            **{name: answers[name] for name in ANSWERS},
            "not_in_record": petition_requests + self_initiated - answered,
        },
        "mexico_agreement_rate": rate(answers["accepted"], answered),
        "mexico_findings": {
            name: sum(bool(case.of(kind)) for case in cases) for name, kind in FINDINGS.items()
        },
    }


def clock_counts(clocks: list[Clock]) -> dict[str, dict[str, Any]]:
    counted: dict[str, dict[str, Any]] = {}
    for code in sorted({clock.rule for clock in clocks}):
        tally = Counter(clock.verdict for clock in clocks if clock.rule == code)
        counted[code] = {verdict: tally[verdict] for verdict in COUNTED_VERDICTS}
        counted[code]["compliance_rate"] = rate(tally["met"], tally["met"] + tally["late"])
    return counted


def money_and_repeats(cases: list[RealCase]) -> dict[str, Any]:
    paid = [case.row for case in cases if case.row["backpay_usd"]]
    workers = [int(case.row["workers_covered"]) for case in cases if case.row["workers_covered"]]
    facilities = Counter((case.row["company"].lower(), case.row["facility_name"].lower()) for case in cases)
    companies = Counter(case.row["company"].lower() for case in cases)
    return {
        "back_pay": {
            "usd": f"{sum(Decimal(row['backpay_usd']) for row in paid):.2f}" if paid else None,
            "cases": len(paid),
            "is_floor": any(FLOOR.search(row["notes"]) for row in paid),
        },
        "workers_covered": {"total": sum(workers), "cases": len(workers)},
        "repeat": {
            "facilities": sum(count > 1 for count in facilities.values()),
            "companies": sum(count > 1 for count in companies.values()),
        },
    }


def all_figures(cases: list[RealCase], clocks: list[Clock]) -> dict[str, Any]:
    return {
        "n": len(cases),
        **requests_and_answers(cases),
        "outcomes": dict(Counter(case.row["outcome"] for case in cases)),
        "durations": {name: duration(cases, *kinds) for name, kinds in DURATIONS.items()},
        "clocks": clock_counts(clocks),
        **money_and_repeats(cases),
    }
