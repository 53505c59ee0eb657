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
@pytest.mark.parametrize(
    ("case_id", "rule", "verdict", "due_date", "satisfied_on"),
    [
        # Its determination and request are known only to the month (November 2025), due 2025-11-28.
        ("us-mx-2025-freixenet", "ilc_screening", "ended", dt.date(2025, 11, 28), "2025-11-30"),
        # Requested 2023-06-16, due 2023-06-26; the refusal is known only as announced on 2023-08-01,
        # and Mexico's finding of 2023-07-31 proves the clock had ended by then, so it is not late.
        ("us-mx-2023-san-martin-mine", "mexico_response", "ended", dt.date(2023, 6, 26), "2023-07-31"),
        # Met by its finding on day 45.
        ("us-mx-2023-san-martin-mine", "mexico_review", "met", dt.date(2023, 7, 31), "2023-07-31"),
    ],
    ids=[
        "freixenet screening neither late nor overdue",
        "san martin answer not late",
        "san martin review met",
    ],
)
def test_it_publishes_the_verdict_of_a_clock_worked_out_by_hand(
    api: APIClient,
    recounted: Recount,
    case_id: str,
    rule: str,
    verdict: str,
    due_date: dt.date,
    satisfied_on: str,
) -> None:
    clock = recounted.clock(case_id, rule)
    published = api_deadlines(api)[key_of(clock)]

    assert (clock.verdict, clock.due_date) == (verdict, due_date)
    assert (published["verdict"], published["satisfied_on"]) == (verdict, satisfied_on)
