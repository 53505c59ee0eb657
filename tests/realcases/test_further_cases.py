"""The further cases (further_cases.csv, further_events.csv): fixtures written by hand in the format of
data/, each modelled on a real case the issue names, for what the real files lack. Every test of the
recount also runs on them; these check, one by one, the verdicts that each case was written to exercise,
in the recount and in the public API alike."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tests.realcases.conftest import Recount, on_pair
from tests.realcases.recount import Clock
from tests.realcases.surfaces import api_deadline_rows, api_deadlines, key_of, recounted_row

pytestmark = [pytest.mark.usefixtures("imported"), on_pair("further")]

HARNESS = "us-mx-2023-fixture-harness-announced-acceptance"
STAMPING = "us-mx-2024-fixture-stamping-finding-by-act"
TIRES = "us-mx-2024-fixture-tires-panel-ends-review"
LEATHER = "us-mx-2024-fixture-leather-filed-and-received"
CALL_CENTERS = "us-mx-2024-fixture-call-centers-two-facilities"
ANNEX_31B = "ca-mx-2024-fixture-31b-request-for-review"
MONTH_ONLY = "us-mx-2024-fixture-garments-month-only-request"
SILENT = "us-mx-2025-fixture-mine-silent-record"
APPROXIMATE = "us-mx-2025-fixture-assembly-approximate-answer"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def published_as_recounted(api: APIClient, recounted: Recount, case_id: str, rule: str) -> Clock:
    """The recount's clock, once the API is checked to publish it with the same due date and verdict."""
    clock = recounted.clock(case_id, rule)
    assert api_deadlines(api)[key_of(clock)] == recounted_row(clock), (case_id, rule)
    return clock


@pytest.mark.parametrize(
    ("case_id", "rule", "due_date", "verdict", "satisfied_on"),
    [
        # As Fujikura's: requested 2023-12-13, due 2023-12-23; the acceptance announced on 2023-12-22
        # happened on that day or before, so in time. The wide mexico_response_date (the finding's,
        # 2024-01-26) yields.
        (HARNESS, "mexico_response", "2023-12-23", "met", "2023-12-22"),
        # As Tecnos's: requested 2024-06-24, the finding of a denial dated by its act on 2024-08-08, day 45.
        (STAMPING, "mexico_review", "2024-08-08", "met", "2024-08-08"),
        # An acceptance 'in the second half of March' (approximate 2025-03-20) is read as March: it may
        # have come by the due date 2025-03-13, so the record proves only that it came by 2025-03-31.
        (APPROXIMATE, "mexico_response", "2025-03-13", "ended", "2025-03-31"),
    ],
    ids=[
        "an announced acceptance before the due date is met",
        "a review is met by a finding dated by act on day 45",
        "an answer dated only approximately is ended, not late",
    ],
)
def test_it_finds_the_verdict_each_dated_act_proves(
    api: APIClient,
    recounted: Recount,
    case_id: str,
    rule: str,
    due_date: str,
    verdict: str,
    satisfied_on: str,
) -> None:
    clock = published_as_recounted(api, recounted, case_id, rule)

    assert (clock.due_date, clock.verdict, clock.satisfied_on) == (day(due_date), verdict, day(satisfied_on))


@pytest.mark.parametrize("case_id", [TIRES, LEATHER])
def test_it_finds_a_review_ended_by_a_panel_request_after_45_days_timeliness_unknown(
    api: APIClient, recounted: Recount, case_id: str
) -> None:
    # As Pirelli's and Bader's: no finding in the record, a panel requested on 2024-12-18, after the due
    # date. The request proves the review had ended by then, not when: neither met, late nor overdue.
    review = published_as_recounted(api, recounted, case_id, "mexico_review")

    assert review.due_date < day("2024-12-18")
    assert (review.verdict, review.satisfied_on, review.days_late) == ("ended", day("2024-12-18"), None)


def test_it_runs_the_ilc_clock_from_receipt_not_from_filing(api: APIClient, recounted: Recount) -> None:
    # As Bader's: filed 2024-08-14 (the wide petition_date), received 2024-08-15. From receipt the 30 days
    # end on Saturday 2024-09-14 and move to Monday 2024-09-16, the day of the request: met (from the
    # filing they would end on Friday 2024-09-13, and the request would be late).
    screening = published_as_recounted(api, recounted, LEATHER, "ilc_screening")

    assert (screening.start_date, screening.due_date) == (day("2024-08-15"), day("2024-09-16"))
    assert screening.verdict == "met"


def test_it_lists_both_facilities_of_a_case_in_the_case_detail(api: APIClient) -> None:
    # As Atento's: facility_name lists two call centres separated by ';'. The case detail gives its
    # facilities (a list `facilities`, or else its one `facility`); both must be there, each by its name.
    body = api.get(f"/api/v1/public/cases/{CALL_CENTERS}/").json()
    facilities = body.get("facilities") or [body["facility"]]

    assert sorted(facility["name"] for facility in facilities) == [
        "Centro de contacto Fixture Mineral de la Reforma",
        "Centro de contacto Fixture Pachuca",
    ]


def test_it_runs_the_annex_31b_clocks_of_a_request_for_review(api: APIClient, recounted: Recount) -> None:
    # Canada's claim, received Thursday 2024-04-18: the NAO's 30 days end on Saturday 2024-05-18 and move
    # past the weekend and Victoria Day (a Canadian federal holiday, not a U.S. or Mexican one) to
    # 2024-05-21, the day of the request: met. Mexico's 31-B clocks mirror 31-A's: accepted on day 9
    # (met), found a denial on day 52 (late by 7), a remediation agreed 7 days after the finding (met).
    verdicts = {
        rule: (clock.due_date, clock.verdict, clock.days_late)
        for rule in (
            "nao_screening",
            "mexico_response_31b",
            "mexico_review_31b",
            "remediation_consultations_31b",
        )
        for clock in [published_as_recounted(api, recounted, ANNEX_31B, rule)]
    }

    assert verdicts == {
        "nao_screening": (day("2024-05-21"), "met", 0),
        "mexico_response_31b": (day("2024-05-31"), "met", 0),
        "mexico_review_31b": (day("2024-07-05"), "late", 7),
        "remediation_consultations_31b": (day("2024-07-22"), "met", 0),
    }


def test_it_shows_the_assumed_31b_clocks_as_unconfirmed(api: APIClient) -> None:
    # Migration 0011 tags the six mirrored rules [U]; the NAO's screening stays confirmed [C].
    unconfirmed = {
        row["rule"]["code"]: row["unconfirmed"] for row in api_deadline_rows(api) if row["case"] == ANNEX_31B
    }

    assert unconfirmed == {
        "nao_screening": False,
        "mexico_response_31b": True,
        "mexico_review_31b": True,
        "remediation_consultations_31b": True,
    }


def test_it_proves_only_what_a_month_only_request_allows(api: APIClient, recounted: Recount) -> None:
    # As Freixenet's, a request known only as March 2024. The ILC's 30 days from 2024-01-10 end on
    # 2024-02-09, before the whole month: late by at least 21 days. Mexico's 10 days end between 03-11 and
    # 04-10: an acceptance on 03-08 is met whatever the request's day. Its 45 days end by 05-15 at the
    # latest: a finding on 05-30 is late by at least 15 days.
    clocks = {
        rule: published_as_recounted(api, recounted, MONTH_ONLY, rule)
        for rule in ("ilc_screening", "mexico_response", "mexico_review")
    }

    assert {
        rule: (clock.verdict, clock.days_late, clock.days_late_is_minimum) for rule, clock in clocks.items()
    } == {
        "ilc_screening": ("late", 21, True),
        "mexico_response": ("met", 0, False),
        "mexico_review": ("late", 15, True),
    }
    assert clocks["mexico_response"].start_date == day("2024-03-01")


@pytest.mark.parametrize(
    ("case_id", "rule"),
    [(SILENT, "ilc_screening"), (APPROXIMATE, "mexico_review"), (STAMPING, "panel_constitution")],
)
def test_it_says_not_in_the_public_record_never_overdue_for_silence_past_the_due_date(
    api: APIClient, recounted: Recount, case_id: str, rule: str
) -> None:
    # Imported from public sources, past due, and no stopping or ending act in the files: the record
    # cannot say the act did not happen.
    clock = published_as_recounted(api, recounted, case_id, rule)

    assert clock.due_date < recounted.today
    assert clock.verdict == "not_in_record"
