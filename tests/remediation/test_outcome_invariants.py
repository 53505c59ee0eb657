"""The database itself refuses impossible votes, reinstatements, payments and worker counts (rows are
written past model validation by the factories, so only the PostgreSQL constraints stand in the way)."""

from __future__ import annotations

import datetime as dt

import pytest

from remediation.models import Payment
from tests.factories import PaymentFactory, ReinstatementFactory, UnionVoteFactory, WorkerCountFactory
from tests.refusals import Refusal, constraint_refusals_test

pytestmark = pytest.mark.django_db

UNDATED = {"occurred_on": None, "date_basis": ""}

REFUSED: list[Refusal] = [
    (UnionVoteFactory, {"kind": "show_of_hands"}, "unionvote_kind_valid"),
    (UnionVoteFactory, {"date_precision": "year"}, "unionvote_precision_valid"),
    (UnionVoteFactory, {"date_basis": "rumoured"}, "unionvote_basis_valid"),
    (UnionVoteFactory, {"source_url": "", "source_note": ""}, "unionvote_has_source"),
    (UnionVoteFactory, {"date_basis": ""}, "unionvote_date_has_basis"),
    (UnionVoteFactory, {"occurred_on": None}, "unionvote_date_has_basis"),
    (
        UnionVoteFactory,
        {"date_precision": "month", "occurred_on": dt.date(2022, 8, 15)},
        "unionvote_month_on_first_day",
    ),
    (
        UnionVoteFactory,
        {"votes_for": 700, "votes_against": 814, "eligible": 1000},
        "unionvote_votes_within_eligible",
    ),
    (UnionVoteFactory, {"votes_for": 4192, "eligible": 4000}, "unionvote_for_within_eligible"),
    (ReinstatementFactory, {"workers": 0}, "reinstatement_workers_positive"),
    (ReinstatementFactory, {"source_url": "", "source_note": ""}, "reinstatement_has_source"),
    (PaymentFactory, {"kind": "bonus"}, "payment_kind_valid"),
    (PaymentFactory, {"amount": "0"}, "payment_amount_positive"),
    (PaymentFactory, {"currency": "usd"}, "payment_amount_has_currency"),
    (PaymentFactory, {"currency": ""}, "payment_amount_has_currency"),
    (PaymentFactory, {"amount": None, "is_floor": True}, "payment_amount_has_currency"),
    (PaymentFactory, {**UNDATED, "date_precision": "month"}, "payment_date_has_basis"),
    (WorkerCountFactory, {"count": 0}, "workercount_count_positive"),
    (WorkerCountFactory, {"subject": "everyone"}, "workercount_subject_valid"),
    (WorkerCountFactory, {"qualifier": "circa"}, "workercount_qualifier_valid"),
]
test_it_refuses_a_row_its_constraints_forbid = constraint_refusals_test(REFUSED)


def test_it_allows_an_undated_payment_of_unstated_amount_sourced_by_a_note() -> None:
    PaymentFactory(**UNDATED, amount=None, currency="", source_url="", source_note="import: cases.csv line 3")
    assert Payment.objects.get().amount is None
