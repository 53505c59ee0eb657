"""The import writes what remediation achieved: a vote, reinstatement or payment for each event of those
kinds, the wide row's back pay and workers covered as a payment and a worker count; idempotently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model

from remediation.models import Payment, Reinstatement, UnionVote, WorkerCount
from rrm.models import Case
from tests.factories import PaymentFactory
from tests.importer.files import (
    SHIPPED_CASES,
    Row,
    run_import,
    run_rejected_import,
    shipped_events,
    write_events,
)

OUTCOME_MODELS: tuple[type[Model], ...] = (UnionVote, Reinstatement, Payment, WorkerCount)


def outcome_snapshot() -> dict[str, list[dict[str, Any]]]:
    models = [*OUTCOME_MODELS, *(model.history.model for model in OUTCOME_MODELS)]  # type: ignore[attr-defined]
    return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in models}


def events_of_kind(kind: str) -> list[Row]:
    return [row for row in shipped_events() if row["kind"] == kind]


def test_it_writes_a_row_for_each_vote_reinstatement_and_back_pay_event(imported: list[Row]) -> None:
    assert UnionVote.objects.count() == len(events_of_kind("union_vote"))
    assert Reinstatement.objects.count() == len(events_of_kind("reinstatement"))
    # Tizapa's one event states two amounts; Tridonex's back pay comes from its wide row.
    assert Payment.objects.filter(event__isnull=False).count() == 2
    assert WorkerCount.objects.count() == len([row for row in imported if row["workers_covered"]])


def test_it_keeps_the_date_basis_source_and_timeline_event_of_each_row(imported: list[Row]) -> None:
    vote = UnionVote.objects.get(case__case_id="us-mx-2022-vu-1")
    assert vote.event is not None
    assert (vote.event.kind, vote.event.source_url) == ("union_vote", vote.source_url)
    assert (str(vote.occurred_on), vote.date_precision, vote.date_basis) == (
        "2022-08-01",
        "month",
        "approximate",
    )
    assert vote.source_note == vote.event.source_note
    assert vote.winning_union == "Liga Sindical Obrera Mexicana"
    assert vote.result == vote.event.description


def test_it_reads_counts_only_where_the_note_states_them(imported: list[Row]) -> None:
    reinstated = dict(Reinstatement.objects.values_list("case__case_id", "workers"))
    assert reinstated["us-mx-2023-teklas-aguascalientes"] == 2
    assert reinstated["us-mx-2022-panasonic-reynosa"] is None


def test_it_takes_the_wide_back_pay_only_where_no_event_states_it(imported: list[Row]) -> None:
    tizapa = Payment.objects.filter(case__case_id="us-mx-2024-minera-tizapa").order_by("amount")
    assert [(p.kind, p.amount, p.currency, p.is_floor) for p in tizapa] == [
        ("back_pay", Decimal(60000), "USD", True),
        ("other", Decimal(140400), "USD", False),
    ]
    tridonex = Payment.objects.get(case__case_id="us-mx-2021-tridonex")
    assert (tridonex.kind, tridonex.amount, tridonex.currency, tridonex.is_floor) == (
        "other",
        Decimal(600000),
        "USD",
        True,
    )
    assert tridonex.occurred_on is None and tridonex.date_basis == ""
    assert "severance+backpay" in tridonex.note


def test_it_counts_the_workers_covered_with_the_qualifier_of_the_notes(imported: list[Row]) -> None:
    counts = {
        c.case.case_id: (c.count, c.subject, c.qualifier) for c in WorkerCount.objects.select_related("case")
    }
    assert counts["us-mx-2021-gm-silao"] == (6000, "covered", "over")
    assert counts["us-mx-2023-draxton-irapuato"] == (500, "covered", "about")
    assert counts["us-mx-2024-minera-tizapa"] == (586, "covered", "exact")


def test_it_keeps_the_case_columns_statistics_read(imported: list[Row]) -> None:
    tridonex = Case.objects.get(case_id="us-mx-2021-tridonex")
    assert (tridonex.backpay_usd, tridonex.backpay_is_floor) == (Decimal(600000), True)
    assert Case.objects.get(case_id="us-mx-2021-gm-silao").workers_covered == 6000


def test_it_changes_nothing_on_a_second_import(imported: list[Row]) -> None:
    before = outcome_snapshot()

    run_import(SHIPPED_CASES)

    assert outcome_snapshot() == before


def test_it_corrects_the_rows_of_an_event_whose_note_changed(imported: list[Row], tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_bytes(SHIPPED_CASES.read_bytes())
    changed = "Company reinstated four dismissed workers with back pay."
    write_events(
        tmp_path / "events.csv",
        [
            {**row, "note": changed}
            if row["kind"] == "reinstatement" and row["case_id"].startswith("ca-mx")
            else row
            for row in shipped_events()
        ],
    )

    run_import(cases)

    reinstatement = Reinstatement.objects.get(case__case_id="ca-mx-2023-fraenkische-silao")
    assert (reinstatement.workers, reinstatement.note) == (4, changed)
    assert reinstatement.event is not None and reinstatement.event.description == changed
    assert Reinstatement.objects.count() == len(events_of_kind("reinstatement"))


def test_it_never_touches_a_row_staff_entered(imported: list[Row]) -> None:
    entered = PaymentFactory.create(case=Case.objects.get(case_id="us-mx-2021-tridonex"), source_note="")

    run_import(SHIPPED_CASES)

    assert Payment.objects.filter(pk=entered.pk).exists()
    assert Payment.objects.filter(case=entered.case).count() == 2


@pytest.mark.django_db
def test_it_writes_no_outcome_when_the_events_file_is_refused(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_bytes(SHIPPED_CASES.read_bytes())
    write_events(tmp_path / "events.csv", [*shipped_events(), {**shipped_events()[0], "kind": "guessed"}])

    run_rejected_import(cases)

    assert all(not rows for rows in outcome_snapshot().values())
