"""No page, API answer, statistic or export row says that a clock of a real case is late or overdue
without the dates that prove it: every late verdict is one the recount proves from a stopping act whose
dates lie wholly after the due date, and no clock of a case imported from public sources is overdue."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.realcases.conftest import Recount
from tests.realcases.recount import Clock
from tests.realcases.surfaces import api_deadlines, export_deadlines, key_of

pytestmark = pytest.mark.usefixtures("imported")

LATE_BADGE = re.compile(r'badge-late">[^<]*?(\d+)')


def proven_late(recounted: Recount) -> dict[tuple[str, str, str], Clock]:
    """The late clocks, each checked against its dates: the stop's earliest day is after the due date."""
    late = {key_of(clock): clock for clock in recounted.clocks if clock.verdict == "late"}
    for clock in late.values():
        assert clock.proof is not None and clock.proof.earliest is not None
        assert clock.proof.earliest > clock.due_date
        assert clock.days_late == (clock.proof.earliest - clock.due_date).days
    return late


def claims(rows: dict[tuple[str, str, str], dict[str, object]], verdict: str) -> set[tuple[str, str, str]]:
    return {key for key, row in rows.items() if row["verdict"] == verdict}


def test_it_states_late_in_the_api_only_where_the_dates_prove_it(api: APIClient, recounted: Recount) -> None:
    published = api_deadlines(api)

    assert claims(published, "late") == set(proven_late(recounted))
    assert claims(published, "overdue") == set()


def test_it_exports_late_only_where_the_dates_prove_it(tmp_path: Path, recounted: Recount) -> None:
    exported = export_deadlines(tmp_path / "recount-export")

    assert claims(exported, "late") == set(proven_late(recounted))
    assert claims(exported, "overdue") == set()


def test_it_counts_late_in_the_statistics_only_where_the_dates_prove_it(
    api: APIClient, recounted: Recount
) -> None:
    clocks = api.get("/api/v1/public/stats/").json()["groups"][0]["clocks"]
    proven = Counter(clock.rule for clock in proven_late(recounted).values())

    assert {code: figures["late"] for code, figures in clocks.items() if figures["late"]} == dict(proven)
    assert sum(figures["overdue"] for figures in clocks.values()) == 0


def test_it_shows_late_on_a_case_page_only_where_the_dates_prove_it(
    client: Client, recounted: Recount
) -> None:
    proven = proven_late(recounted).values()

    for case in recounted.cases:
        html = client.get(reverse("pages:case-detail", args=[case.case_id])).content.decode()
        shown_days = sorted(int(days) for days in LATE_BADGE.findall(html))
        assert shown_days == sorted(clock.days_late or 0 for clock in proven if clock.case_id == case.case_id)
        assert "deadline-overdue" not in html, case.case_id
