"""What remediation achieved, on the public surface: in the case's detail and in the bulk export, each
fact with its date basis and source, by the columns public/columns.toml declares."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from public import columns
from public.export import SQLITE_NAME, write_export
from rrm.models import Case
from tests.factories import (
    CaseFactory,
    PaymentFactory,
    ReinstatementFactory,
    UnionVoteFactory,
    WorkerCountFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_budget")]


@pytest.fixture
def remediated() -> Case:
    case: Case = CaseFactory.create(case_id="us-mx-2024-remediated")
    UnionVoteFactory(case=case, winning_union="SINTTIA", votes_for=4192, eligible=6275)
    ReinstatementFactory(case=case, workers=None, note="Reinstatement offered (count not stated).")
    PaymentFactory(case=case, amount="60000.00", is_floor=True, occurred_on=None, date_basis="")
    WorkerCountFactory(case=case, count=6000, qualifier="over")
    return case


def detail(api: APIClient, case: Case) -> dict:
    return api.get(reverse("v1:public:case-detail", kwargs={"case_id": case.case_id})).json()


def test_it_gives_each_outcome_in_the_case_detail_with_its_basis_and_source(
    api: APIClient, remediated: Case
) -> None:
    shown = detail(api, remediated)

    (vote,) = shown["union_votes"]
    assert (
        vote["kind"],
        vote["winning_union"],
        vote["votes_for"],
        vote["votes_against"],
        vote["eligible"],
    ) == (
        "representation",
        "SINTTIA",
        4192,
        None,
        6275,
    )
    assert (vote["occurred_on"], vote["date_precision"], vote["date_basis"]) == ("2024-05-30", "day", "act")
    assert vote["source_url"].startswith("https://example.org/outcomes/")
    (payment,) = shown["payments"]
    assert (payment["amount"], payment["currency"], payment["is_floor"], payment["occurred_on"]) == (
        "60000.00",
        "USD",
        True,
        None,
    )
    assert shown["reinstatements"][0]["workers"] is None
    assert (shown["worker_counts"][0]["count"], shown["worker_counts"][0]["qualifier"]) == (6000, "over")


def test_it_shows_the_columns_the_registry_declares_and_no_other(api: APIClient, remediated: Case) -> None:
    shown = detail(api, remediated)

    for name, table in (
        ("union_votes", columns.UNION_VOTES),
        ("reinstatements", columns.REINSTATEMENTS),
        ("payments", columns.PAYMENTS),
        ("worker_counts", columns.WORKER_COUNTS),
    ):
        assert list(shown[name][0]) == [column.name for column in table.shown(columns.Api.LIST)]


def test_it_exports_each_outcome_table_to_csv_and_sqlite(remediated: Case, tmp_path: Path) -> None:
    write_export(tmp_path / "export")

    with (tmp_path / "export" / "payments.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["case_id"], row["amount"], row["currency"], row["is_floor"], row["occurred_on"]) == (
        remediated.case_id,
        "60000.0",
        "USD",
        "1",
        "",
    )
    database = sqlite3.connect(tmp_path / "export" / SQLITE_NAME)
    try:
        for table in ("union_votes", "reinstatements", "payments", "worker_counts"):
            assert database.execute(f'SELECT case_id FROM "{table}"').fetchall() == [(remediated.case_id,)]
    finally:
        database.close()
