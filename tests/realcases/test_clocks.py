"""Every clock of every case of each pair, as the service publishes it (public API and export), against
the recount worked out from the two files alone: the same set of clocks (case, rule, start), none of the
service's escaping comparison and none missing, each with the same due date and verdict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.realcases.conftest import Recount, on_pair
from tests.realcases.recount import RULE_OF_CODE
from tests.realcases.surfaces import (
    Key,
    api_deadline_rows,
    api_deadlines,
    export_deadlines,
    key_of,
    recounted_row,
)

pytestmark = pytest.mark.usefixtures("imported")


def expected(recounted: Recount) -> dict[Key, dict[str, Any]]:
    return {key_of(clock): recounted_row(clock) for clock in recounted.clocks}


def differences(published: dict[Key, Any], recounted: Recount) -> dict[str, list[Key]]:
    derived = set(expected(recounted))
    return {
        "published, not derived": sorted(set(published) - derived),
        "derived, not published": sorted(derived - set(published)),
    }


def test_it_lists_in_the_api_exactly_the_clocks_the_recount_derives(
    api: APIClient, recounted: Recount
) -> None:
    # Every rule the service seeds (0003, 0009, 0011) is restated: the sets of (case, rule, start) agree.
    assert differences(api_deadlines(api), recounted) == {
        "published, not derived": [],
        "derived, not published": [],
    }


def test_it_exports_exactly_the_clocks_the_recount_derives(tmp_path: Path, recounted: Recount) -> None:
    assert differences(export_deadlines(tmp_path / "recount-export"), recounted) == {
        "published, not derived": [],
        "derived, not published": [],
    }


def test_it_computes_each_published_clock_by_a_rule_the_recount_restates(api: APIClient) -> None:
    # Each rule the API names is one of the recount's, with the same length, unit, calendar and tag.
    def shown(rule: dict[str, Any]) -> tuple[object, ...]:
        return (rule["code"], rule["length"], rule["unit"], rule["calendar"], rule["confidence"])

    published = {shown(row["rule"]) for row in api_deadline_rows(api)}
    restated = {
        (code, rule.days, rule.unit, rule.calendar, rule.confidence)
        for code, rule in RULE_OF_CODE.items()
        if code in {row[0] for row in published}
    }

    assert published == restated


def test_it_publishes_every_clock_verdict_the_recount_gives_in_the_api(
    api: APIClient, recounted: Recount
) -> None:
    assert api_deadlines(api) == expected(recounted)


def test_it_exports_every_clock_verdict_the_recount_gives(tmp_path: Path, recounted: Recount) -> None:
    assert export_deadlines(tmp_path / "recount-export") == expected(recounted)


@on_pair("data")
def test_it_finds_freixenets_ilc_clock_neither_late_nor_overdue(api: APIClient, recounted: Recount) -> None:
    # Its determination and request are known only to the month (November 2025), due 2025-11-28.
    screening = recounted.clock("us-mx-2025-freixenet", "ilc_screening")
    published = api_deadlines(api)[key_of(screening)]

    assert screening.verdict == published["verdict"] == "ended"
    assert published["satisfied_on"] == "2025-11-30"


@on_pair("data")
def test_it_does_not_find_san_martins_ten_day_answer_late(api: APIClient, recounted: Recount) -> None:
    # Requested 2023-06-16, due 2023-06-26; the refusal is known only as announced on 2023-08-01, and
    # Mexico's finding of 2023-07-31 proves the clock had ended by then.
    answer = recounted.clock("us-mx-2023-san-martin-mine", "mexico_response")
    published = api_deadlines(api)[key_of(answer)]

    assert answer.verdict == published["verdict"] == "ended"
    assert published["satisfied_on"] == "2023-07-31"


@on_pair("data")
def test_it_finds_san_martins_review_met_by_its_finding_on_day_45(api: APIClient, recounted: Recount) -> None:
    review = recounted.clock("us-mx-2023-san-martin-mine", "mexico_review")
    published = api_deadlines(api)[key_of(review)]

    assert review.verdict == published["verdict"] == "met"
    assert review.due_date == dt.date(2023, 7, 31) and published["satisfied_on"] == "2023-07-31"
