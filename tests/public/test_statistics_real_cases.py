"""/api/v1/public/stats/ over the real cases of data/cases.csv, against figures this test recomputes
from the CSV itself, with the definitions of the API documentation and nothing from the service.

The ILC's clock is worked out here from its rule alone: 30 calendar days after the petition date; a
due date on a Saturday, Sunday or U.S. federal holiday moves to the next day that is none of these.
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics as pystats
from collections import Counter
from typing import Any

import holidays
import pytest
from django.utils import timezone

from public.statistics import LOW_N
from tests.public.conftest import CASES_CSV

pytestmark = pytest.mark.usefixtures("imported_cases")

STATE_CODES = {
    "Aguascalientes": "AGU",
    "Chihuahua": "CHH",
    "Ciudad de México": "CMX",
    "Coahuila": "COA",
    "Estado de México": "MEX",
    "Guanajuato": "GUA",
    "Morelos": "MOR",
    "Nuevo León": "NLE",
    "Querétaro": "QUE",
    "San Luis Potosí": "SLP",
    "Tamaulipas": "TAM",
    "Zacatecas": "ZAC",
}
# Outcomes that only follow a request for review (docs/mechanism.md).
OUTCOMES_AFTER_REQUEST = {
    "mexico_declined_review",
    "mexico_found_no_denial_closed",
    "remedied_during_review",
    "resolved_company_agreement",
    "resolved_facility_actions",
    "course_of_remediation_completed",
    "facility_closed",
    "panel_no_denial",
    "panel_denial_found",
    "panel_pending",
}


def rows() -> list[dict[str, str]]:
    with CASES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days_between(row: dict[str, str], later: str, earlier: str) -> int | None:
    if not row[later] or not row[earlier]:
        return None
    return (day(row[later]) - day(row[earlier])).days


def is_petition(row: dict[str, str]) -> bool:
    return row["petitioners"].strip().lower() != "self-initiated"


def was_requested(row: dict[str, str]) -> bool:
    return bool(row["ilc_request_for_review_date"]) or row["outcome"] in OUTCOMES_AFTER_REQUEST


def ilc_due(received: dt.date) -> dt.date:
    due = received + dt.timedelta(days=30)
    federal = holidays.country_holidays("US", years=range(due.year, due.year + 2))
    while due.weekday() >= 5 or due in federal:
        due += dt.timedelta(days=1)
    return due


def median_and_p90(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    if len(values) == 1:
        return float(values[0]), float(values[0])
    return float(pystats.median(values)), round(pystats.quantiles(values, n=10, method="inclusive")[8], 2)


def all_cases(get_json: Any, **params: Any) -> dict[str, Any]:
    groups = get_json("/api/v1/public/stats/", **params)["groups"]
    assert len(groups) == 1
    return dict(groups[0])


def test_it_counts_cases_by_outcome_as_the_csv_does(get_json: Any) -> None:
    expected = Counter(row["outcome"] for row in rows())

    figures = all_cases(get_json)

    assert figures["n"] == len(rows())
    assert {code: count for code, count in figures["outcomes"].items() if count} == dict(expected)


def test_it_counts_cases_by_state_as_the_csv_does(get_json: Any) -> None:
    assert {row["state"] for row in rows()} <= set(STATE_CODES), "a new state in the CSV needs its code here"
    expected = Counter(STATE_CODES[row["state"]] for row in rows())

    groups = get_json("/api/v1/public/stats/", group_by="state")["groups"]

    assert {group["key"]: group["n"] for group in groups} == dict(expected)


def test_it_computes_the_acceptance_rate_from_petition_based_requests_and_determinations(
    get_json: Any,
) -> None:
    petition_rows = [row for row in rows() if is_petition(row)]
    requested = sum(1 for row in petition_rows if was_requested(row))
    declined = sum(1 for row in petition_rows if row["outcome"] == "ilc_declined")
    self_initiated_requests = sum(1 for row in rows() if not is_petition(row) and was_requested(row))

    figures = all_cases(get_json)

    assert figures["petitions_received"] == len(petition_rows)
    assert figures["requests_for_review"] == {
        "total": requested + self_initiated_requests,
        "petition_based": requested,
        "self_initiated": self_initiated_requests,
    }
    assert figures["ilc_determinations"]["total"] == requested + declined
    assert figures["acceptance_rate"]["numerator"] == requested
    assert figures["acceptance_rate"]["denominator"] == requested + declined
    assert figures["acceptance_rate"]["value"] == pytest.approx(requested / (requested + declined))
    assert figures["acceptance_rate"]["low_n"] is False


@pytest.mark.parametrize(
    ("name", "later", "earlier", "only"),
    [
        ("receipt_to_determination", "ilc_request_for_review_date", "petition_date", is_petition),
        ("request_to_mexico_response", "mexico_response_date", "ilc_request_for_review_date", None),
        ("request_to_remediation_plan", "remediation_agreed_date", "ilc_request_for_review_date", None),
    ],
)
def test_it_gives_the_median_and_90th_percentile_of_stage_durations(
    get_json: Any, name: str, later: str, earlier: str, only: Any
) -> None:
    values = [
        days
        for row in rows()
        if (only is None or only(row)) and (days := days_between(row, later, earlier)) is not None
    ]
    median, p90 = median_and_p90(values)

    duration = all_cases(get_json)["durations"][name]

    assert duration["n"] == len(values)
    assert duration["median"] == pytest.approx(median)
    assert duration["p90"] == pytest.approx(p90)
    assert duration["low_n"] is (len(values) < LOW_N)


def test_it_measures_panel_request_to_determination_on_panel_outcomes(get_json: Any) -> None:
    values = [
        days_between(row, "outcome_date", "panel_request_date")
        for row in rows()
        if row["outcome"] in {"panel_no_denial", "panel_denial_found"} and row["panel_request_date"]
    ]

    duration = all_cases(get_json)["durations"]["panel_request_to_determination"]

    assert duration["n"] == len(values)
    assert duration["median"] == pytest.approx(pystats.median(values))
    assert duration["low_n"] is True


def test_it_reports_ilc_clock_compliance_worked_out_from_the_rule(get_json: Any) -> None:
    today = timezone.localdate()
    expected = Counter()
    for row in rows():
        if row["annex"] != "31-A" or not row["petition_date"]:
            continue
        due = ilc_due(day(row["petition_date"]))
        if row["ilc_request_for_review_date"]:
            expected["met" if day(row["ilc_request_for_review_date"]) <= due else "late"] += 1
        elif row["outcome"] == "open":
            expected["pending"] += 1
            expected["overdue"] += due < today

    clock = all_cases(get_json)["clocks"]["ilc_screening"]

    assert {key: clock[key] for key in ("met", "late", "pending", "overdue")} == {
        key: expected[key] for key in ("met", "late", "pending", "overdue")
    }
    assert clock["compliance_rate"]["value"] == pytest.approx(
        expected["met"] / (expected["met"] + expected["late"])
    )
    assert clock["unconfirmed"] is False


def test_it_flags_rates_over_fewer_than_five_cases_as_low_n(get_json: Any) -> None:
    groups = get_json("/api/v1/public/stats/", group_by="state")["groups"]

    for group in groups:
        rate = group["acceptance_rate"]
        assert rate["low_n"] is (rate["denominator"] < LOW_N)
    assert any(group["acceptance_rate"]["low_n"] for group in groups)


def test_it_marks_clocks_of_rules_tagged_u_as_unconfirmed(get_json: Any) -> None:
    clocks = all_cases(get_json)["clocks"]

    assert clocks["panel_constitution"]["unconfirmed"] is True
    assert clocks["panel_determination"]["unconfirmed"] is True
    assert clocks["mexico_review"]["unconfirmed"] is False


def test_it_sums_back_pay_as_a_floor_and_workers_covered(get_json: Any) -> None:
    paid = [row for row in rows() if row["backpay_usd"]]
    counted = [int(row["workers_covered"]) for row in rows() if row["workers_covered"]]

    figures = all_cases(get_json)

    assert figures["back_pay"]["usd"] == f"{sum(float(row['backpay_usd']) for row in paid):.2f}"
    assert figures["back_pay"]["cases"] == len(paid)
    assert figures["back_pay"]["is_floor"] is True  # Tridonex: "more than US$600,000"
    assert figures["workers_covered"] == {"total": sum(counted), "cases": len(counted)}


def test_it_counts_repeat_facilities_and_companies(get_json: Any) -> None:
    by_facility = Counter((row["company"], row["facility_name"]) for row in rows())
    by_company = Counter(row["company"] for row in rows())

    figures = all_cases(get_json)

    assert figures["repeat"] == {
        "facilities": sum(1 for count in by_facility.values() if count > 1),
        "companies": sum(1 for count in by_company.values() if count > 1),
    }


def test_it_splits_the_cases_by_year_with_every_case_in_one_group(get_json: Any) -> None:
    def year_of(row: dict[str, str]) -> int | None:
        first = row["petition_date"] or row["ilc_request_for_review_date"]
        return day(first).year if first else None

    expected = Counter(year_of(row) for row in rows())

    groups = get_json("/api/v1/public/stats/", group_by="year")["groups"]

    assert {group["key"]: group["n"] for group in groups} == dict(expected)


def test_it_applies_the_list_filters_to_the_statistics(get_json: Any) -> None:
    expected = sum(
        1 for row in rows() if row["state"] == "Tamaulipas" and row["outcome"] == "resolved_facility_actions"
    )

    figures = all_cases(get_json, state="TAM", outcome="resolved_facility_actions")

    assert figures["n"] == expected
