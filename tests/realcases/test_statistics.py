"""/api/v1/public/stats/ over the real cases, against every figure recounted from the two files."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from public.published_totals import published_totals
from tests.realcases.conftest import Recount

pytestmark = pytest.mark.usefixtures("imported")

FIGURES = (
    "n",
    "petitions_received",
    "ilc_determinations",
    "requests_for_review",
    "acceptance_rate",
    "mexico_responses",
    "mexico_agreement_rate",
    "mexico_findings",
    "durations",
    "back_pay",
    "workers_covered",
    "repeat",
)


def overall(api: APIClient) -> dict[str, Any]:
    body = api.get("/api/v1/public/stats/").json()
    (group,) = body["groups"]
    return dict(group)


@pytest.mark.parametrize("figure", FIGURES)
def test_it_gives_the_figure_the_recount_gives(api: APIClient, recounted: Recount, figure: str) -> None:
    assert overall(api)[figure] == recounted.figures[figure]


def test_it_counts_the_outcomes_the_recount_gives(api: APIClient, recounted: Recount) -> None:
    outcomes = {code: count for code, count in overall(api)["outcomes"].items() if count}

    assert outcomes == recounted.figures["outcomes"]


def test_it_counts_every_clock_by_the_verdict_the_recount_gives(api: APIClient, recounted: Recount) -> None:
    clocks = overall(api)["clocks"]

    for code, counts in recounted.figures["clocks"].items():
        assert {name: clocks[code][name] for name in counts} == counts, code


def test_it_gives_the_published_totals_beside_the_groups(api: APIClient) -> None:
    totals = api.get("/api/v1/public/stats/").json()["published_totals"]

    assert totals == published_totals()
    assert all(total["source"] and total["statement"] for total in totals)
