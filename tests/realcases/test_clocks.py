"""Every clock of every real case, as the service publishes it (public API and export), against the
recount worked out from the two files alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.realcases.conftest import Recount
from tests.realcases.recount import RULE_CODES, Clock
from tests.realcases.surfaces import api_deadlines, export_deadlines, key_of, recounted_row

pytestmark = pytest.mark.usefixtures("imported")


def expected(recounted: Recount) -> dict[tuple[str, str, str], dict[str, object]]:
    return {key_of(clock): recounted_row(clock) for clock in recounted.clocks}


def test_it_publishes_every_clock_verdict_the_recount_gives_in_the_api(
    api: APIClient, recounted: Recount
) -> None:
    published = {key: row for key, row in api_deadlines(api).items() if key[1] in RULE_CODES}

    assert published == expected(recounted)


def test_it_exports_every_clock_verdict_the_recount_gives(tmp_path: Path, recounted: Recount) -> None:
    exported = {
        key: row for key, row in export_deadlines(tmp_path / "recount-export").items() if key[1] in RULE_CODES
    }

    assert exported == expected(recounted)


def clock(recounted: Recount, case_id: str, rule: str) -> Clock:
    found = [clock for clock in recounted.clocks if clock.case_id == case_id and clock.rule == rule]
    if not found:
        pytest.skip(f"{case_id} has no {rule} clock in these files")
    (only,) = found
    return only


def test_it_finds_freixenets_ilc_clock_neither_late_nor_overdue(api: APIClient, recounted: Recount) -> None:
    # Its determination and request are known only to the month (November 2025), due 2025-11-28.
    screening = clock(recounted, "us-mx-2025-freixenet", "ilc_screening")
    published = api_deadlines(api)[key_of(screening)]

    assert screening.verdict == published["verdict"] == "ended"
    assert published["satisfied_on"] == "2025-11-30"


def test_it_does_not_find_san_martins_ten_day_answer_late(api: APIClient, recounted: Recount) -> None:
    # Requested 2023-06-16, due 2023-06-26; the refusal is known only as announced on 2023-08-01, and
    # Mexico's finding of 2023-07-31 proves the clock had ended by then.
    answer = clock(recounted, "us-mx-2023-san-martin-mine", "mexico_response")
    published = api_deadlines(api)[key_of(answer)]

    assert answer.verdict == published["verdict"] == "ended"
    assert published["satisfied_on"] == "2023-07-31"


def test_it_finds_san_martins_review_met_by_its_finding_on_day_45(api: APIClient, recounted: Recount) -> None:
    review = clock(recounted, "us-mx-2023-san-martin-mine", "mexico_review")
    published = api_deadlines(api)[key_of(review)]

    assert review.verdict == published["verdict"] == "met"
    assert review.due_date == dt.date(2023, 7, 31) and published["satisfied_on"] == "2023-07-31"
