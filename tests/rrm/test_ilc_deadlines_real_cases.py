"""The ILC's 30-day screening clock checked against every real case with a petition and a request date.

Each expected row was worked out by hand: petition date + 30 calendar days, its weekday, and whether it
is a U.S. federal holiday (holidays list for the year); a Saturday, Sunday or holiday moves the due
date to the next U.S. business day. Days late = request date - due date, if positive.
"""

import csv
import importlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from rrm.clock import compute_due
from rrm.models import DeadlineRule

PROJECT_ROOT = Path(__file__).resolve().parents[2]

INITIAL_RULES = importlib.import_module("rrm.migrations.0003_seed_deadline_rules").INITIAL_RULES
SCREENING_RULE_BY_ANNEX = {
    "31-A": DeadlineRule(**next(rule for rule in INITIAL_RULES if rule["code"] == "ilc_screening")).spec,
    "31-B": DeadlineRule(**next(rule for rule in INITIAL_RULES if rule["code"] == "nao_screening")).spec,
}


def weekend(saturday: date) -> tuple[tuple[date, str], ...]:
    """The two days a due date falling on `saturday` is moved past."""
    return ((saturday, "Saturday"), (saturday + timedelta(days=1), "Sunday"))


# case_id -> (due date, skipped days with reasons, days late)
EXPECTED = {
    # 2021-05-10 Mon + 30 = 2021-06-09 Wed, no holiday; request 2021-06-09.
    "us-mx-2021-tridonex": (date(2021, 6, 9), (), 0),
    # 2022-04-18 Mon + 30 = 2022-05-18 Wed; request 2022-05-18.
    "us-mx-2022-panasonic-reynosa": (date(2022, 5, 18), (), 0),
    # 2022-05-05 Thu + 30 = 2022-06-04 Sat -> Sun 06-05 -> Mon 2022-06-06; request 2022-06-06.
    "us-mx-2022-teksid-frontera": (date(2022, 6, 6), weekend(date(2022, 6, 4)), 0),
    # 2022-06-21 Tue + 30 = 2022-07-21 Thu; request 2022-07-21.
    "us-mx-2022-vu-1": (date(2022, 7, 21), (), 0),
    # 2023-05-15 Mon + 30 = 2023-06-14 Wed (Flag Day is not a federal holiday); request Fri 2023-06-16.
    "us-mx-2023-san-martin-mine": (date(2023, 6, 14), (), 2),
    # 2023-07-31 Mon + 30 = 2023-08-30 Wed; request 2023-08-30.
    "us-mx-2023-mas-air": (date(2023, 8, 30), (), 0),
    # 2023-09-20 Wed + 30 = 2023-10-20 Fri; request Mon 2023-10-23.
    "us-mx-2023-asiaway-slp": (date(2023, 10, 20), (), 3),
    # 2024-03-04 Mon + 30 = 2024-04-03 Wed; request 2024-04-03.
    "us-mx-2024-minera-tizapa": (date(2024, 4, 3), (), 0),
    # The rows below gained their petition dates in the cases.csv corrected on 2026-11-30.
    # 2022-12-29 Thu + 30 = 2023-01-28 Sat -> Sun 01-29 -> Mon 2023-01-30; request 2023-01-30.
    "us-mx-2023-vu-2": (date(2023, 1, 30), weekend(date(2023, 1, 28)), 0),
    # 2023-08-24 Thu + 30 = 2023-09-23 Sat -> Sun 09-24 -> Mon 2023-09-25; request 2023-09-25.
    "us-mx-2023-teklas-aguascalientes": (date(2023, 9, 25), weekend(date(2023, 9, 23)), 0),
    # 2023-10-18 Wed + 30 = 2023-11-17 Fri; request Mon 2023-11-20.
    "us-mx-2023-autoliv-el-marques": (date(2023, 11, 17), (), 3),
    # 2024-02-29 Thu + 30 = 2024-03-30 Sat -> Sun 03-31 -> Mon 2024-04-01; request 2024-04-01.
    "us-mx-2024-servicios-industriales-gonzalez": (date(2024, 4, 1), weekend(date(2024, 3, 30)), 0),
    # 2024-10-10 Thu + 30 = 2024-11-09 Sat -> Sun 11-10 -> Mon 11-11 Veterans Day -> Tue 2024-11-12;
    # request Fri 2024-11-08, before the due date.
    "us-mx-2024-vdo-matamoros": (
        date(2024, 11, 12),
        (*weekend(date(2024, 11, 9)), (date(2024, 11, 11), "Veterans Day")),
        0,
    ),
    # 2024-10-24 Thu + 30 = 2024-11-23 Sat -> Sun 11-24 -> Mon 2024-11-25; request Fri 2024-11-22.
    "us-mx-2024-akwel-juarez": (date(2024, 11, 25), weekend(date(2024, 11, 23)), 0),
}


def cases_csv() -> Path:
    project_copy = PROJECT_ROOT / "data" / "cases.csv"
    return project_copy if project_copy.exists() else PROJECT_ROOT.parent / "shared" / "rrm" / "cases.csv"


def rows_with_petition_and_request() -> dict[str, dict[str, str]]:
    with cases_csv().open(encoding="utf-8", newline="") as handle:
        return {
            row["case_id"]: row
            for row in csv.DictReader(handle)
            if row["petition_date"] and row["ilc_request_for_review_date"]
        }


ROWS = rows_with_petition_and_request()


def test_it_has_a_worked_example_for_every_case_with_both_dates() -> None:
    assert set(EXPECTED) == set(ROWS)


@pytest.mark.parametrize("case_id", sorted(ROWS))
def test_it_computes_the_screening_due_date_and_lateness_worked_out_by_hand(case_id: str) -> None:
    row = ROWS[case_id]
    expected_due, expected_skipped, expected_days_late = EXPECTED[case_id]

    due = compute_due(SCREENING_RULE_BY_ANNEX[row["annex"]], date.fromisoformat(row["petition_date"]))
    explanation = due.explanation()
    days_late = max(0, (date.fromisoformat(row["ilc_request_for_review_date"]) - due.due).days)

    assert due.due == expected_due
    assert explanation["due"] == expected_due.isoformat()
    assert explanation["start"] == row["petition_date"]
    assert explanation["skipped"] == [
        {"date": day.isoformat(), "reason": reason} for day, reason in expected_skipped
    ]
    assert ("not a U.S. business day" in explanation["text"]) == bool(expected_skipped)
    assert days_late == expected_days_late
