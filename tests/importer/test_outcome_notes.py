"""Every pattern importer.outcome_notes reads, on the real notes of data/events.csv and data/cases.csv:
what a note states clearly is read, and what it does not state is left unknown."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from importer.outcome_notes import (
    StatedAmount,
    VoteFacts,
    covered_count,
    read_vote,
    reinstated_workers,
    stated_amounts,
)
from tests.importer.files import SHIPPED_EVENTS, shipped_rows


def event_note(case_id: str, kind: str, date: str) -> str:
    with SHIPPED_EVENTS.open(encoding="utf-8", newline="") as handle:
        return next(
            row["note"]
            for row in csv.DictReader(handle)
            if (row["case_id"], row["kind"], row["date"]) == (case_id, kind, date)
        )


def case_notes(case_id: str) -> str:
    return next(row["notes"] for row in shipped_rows() if row["case_id"] == case_id)


def vote(
    kind: str,
    union: str = "",
    cast: tuple[int | None, int | None] = (None, None),
    eligible: int | None = None,
) -> VoteFacts:
    return VoteFacts(
        kind=kind, winning_union=union, votes_for=cast[0], votes_against=cast[1], eligible=eligible
    )


@pytest.mark.parametrize(
    ("case_id", "date", "expected"),
    [
        ("ca-mx-2023-fraenkische-silao", "2023-06-26", vote("representation", "SINTTIA")),
        ("petition-2022-saint-gobain-cuautla", "2022-07-05", vote("cba_legitimation", cast=(700, 814))),
        ("petition-2022-saint-gobain-cuautla", "2022-09-28", vote("representation", eligible=1860)),
        ("us-mx-2021-gm-silao", "2021-08-17", vote("cba_legitimation")),
        ("us-mx-2021-gm-silao", "2022-02-02", vote("representation", "SINTTIA", (4192, None), 6275)),
        # "voted to approve a ... collective bargaining agreement": neither representation nor legitimation.
        ("us-mx-2021-gm-silao", "2022-05-27", vote("other")),
        ("us-mx-2022-vu-1", "2022-08", vote("representation", "Liga Sindical Obrera Mexicana")),
        ("us-mx-2023-autoliv-el-marques", "2023-06", vote("cba_legitimation")),
        ("us-mx-2023-teklas-aguascalientes", "2024-01-29", vote("representation", "LSOM")),
        # A vote "on CBA title" is not called a representation or legitimation vote.
        ("us-mx-2024-minera-tizapa", "2023-03-03", vote("other", "Los Mineros")),
    ],
)
def test_it_reads_of_each_real_vote_only_what_its_note_states(
    case_id: str, date: str, expected: VoteFacts
) -> None:
    assert read_vote(event_note(case_id, "union_vote", date)) == expected


@pytest.mark.parametrize(
    ("case_id", "date", "workers"),
    [
        ("ca-mx-2023-fraenkische-silao", "2023-07-25", 3),
        # Offered, not reinstated.
        ("us-mx-2022-panasonic-reynosa", "2022-07-14", None),
        # "must rehire": a duty, not a reinstatement.
        ("us-mx-2022-teksid-frontera", "2022-08-16", None),
        ("us-mx-2023-asiaway-slp", "2024-02-16", 1),
        ("us-mx-2023-autoliv-el-marques", "2024-01-22", 3),
        ("us-mx-2023-draxton-irapuato", "2023-11", 1),
        ("us-mx-2023-mas-air", "2023-10-18", 1),
        ("us-mx-2023-teklas-aguascalientes", "2024-04-09", 2),
        # Eleven by USTR, eight by Mexico: the sources disagree.
        ("us-mx-2024-minera-tizapa", "2024-05-30", None),
        # Offers to rehire, and one worker reinstated earlier.
        ("us-mx-2024-vdo-matamoros", "2025-01-10", None),
    ],
)
def test_it_reads_a_count_only_where_the_note_says_that_many_were_reinstated(
    case_id: str, date: str, workers: int | None
) -> None:
    assert reinstated_workers(event_note(case_id, "reinstatement", date)) == workers


def test_it_reads_each_amount_of_the_real_back_pay_note_with_its_currency_floor_and_kind() -> None:
    note = event_note("us-mx-2024-minera-tizapa", "backpay_paid", "2024-05-30")
    assert stated_amounts(note) == [
        StatedAmount(
            "back_pay",
            Decimal(60000),
            "USD",
            True,
            "DOL: more than US$60,000 in back wages in total for seven workers",
        ),
        StatedAmount(
            "other", Decimal(140400), "USD", False, "plus US$140,400 in bonuses to 249 Los Mineros workers"
        ),
    ]


def test_it_calls_a_sum_of_severance_and_back_pay_another_payment() -> None:
    (amount,) = stated_amounts(case_notes("us-mx-2021-tridonex"))
    assert (amount.kind, amount.amount, amount.currency, amount.is_floor) == (
        "other",
        Decimal(600000),
        "USD",
        True,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MXN 5,000 in severance to each worker", [("severance", Decimal(5000), "MXN", False)]),
        ("back pay of over US$ 1,234.50", [("back_pay", Decimal("1234.50"), "USD", True)]),
        # A bare "$" may be pesos or dollars.
        ("back pay of $5,000", []),
    ],
)
def test_it_reads_an_amount_only_with_a_currency_mark(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [(a.kind, a.amount, a.currency, a.is_floor) for a in stated_amounts(text)] == expected


@pytest.mark.parametrize(
    ("case_id", "qualifier"),
    [
        ("us-mx-2021-gm-silao", "over"),
        ("us-mx-2022-teksid-frontera", "about"),
        ("petition-2022-saint-gobain-cuautla", "about"),
        ("us-mx-2023-vu-2", "over"),
        ("us-mx-2023-draxton-irapuato", "about"),
        ("us-mx-2024-minera-tizapa", "exact"),
        ("us-mx-2023-teklas-aguascalientes", "exact"),
    ],
)
def test_it_reads_how_exact_workers_covered_is_from_what_the_notes_quote(
    case_id: str, qualifier: str
) -> None:
    row = next(row for row in shipped_rows() if row["case_id"] == case_id)
    assert covered_count(row["notes"], int(row["workers_covered"])).qualifier == qualifier


def test_it_takes_no_qualifier_from_notes_that_quote_another_number() -> None:
    assert covered_count("Workers covered: 'over 6,000' (Teamsters)", 5000).qualifier == "exact"
