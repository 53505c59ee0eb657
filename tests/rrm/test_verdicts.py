"""The verdict kernel never proves more than the date's basis allows, and proves all that it allows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrm.choices import DateBasis
from rrm.verdicts import (
    ACT,
    ANNOUNCED,
    APPROXIMATE,
    DAY,
    ENDED,
    LATE,
    MET,
    MONTH,
    NOT_IN_RECORD,
    OVERDUE,
    PENDING,
    REPORTED,
    DueWindow,
    KnownDate,
    Settlement,
    ended_by,
    open_verdict,
    settle,
)

DUE = date(2023, 12, 29)


@pytest.mark.parametrize(
    ("stop", "expected"),
    [
        (KnownDate(date(2023, 12, 22), DAY, ACT), Settlement(MET, date(2023, 12, 22), 0)),
        (KnownDate(DUE, DAY, REPORTED), Settlement(MET, DUE, 0)),
        (KnownDate(date(2024, 1, 4), DAY, ACT), Settlement(LATE, date(2024, 1, 4), 6)),
        (KnownDate(date(2023, 12, 22), DAY, ANNOUNCED), Settlement(MET, date(2023, 12, 22), 0)),
        (KnownDate(date(2024, 2, 4), DAY, ANNOUNCED), Settlement(ENDED, date(2024, 2, 4))),
        (KnownDate(date(2023, 12, 1), MONTH, ACT), Settlement(ENDED, date(2023, 12, 31))),
        (KnownDate(date(2023, 11, 1), MONTH, APPROXIMATE), Settlement(MET, date(2023, 11, 30), 0)),
        (
            KnownDate(date(2024, 2, 1), MONTH, APPROXIMATE),
            Settlement(LATE, date(2024, 2, 1), 34, days_late_is_minimum=True),
        ),
        (KnownDate(date(2023, 12, 5), DAY, APPROXIMATE), Settlement(ENDED, date(2023, 12, 31))),
    ],
    ids=[
        "act-before-due",
        "reported-on-due",
        "act-after-due",
        "announced-before-due",
        "announced-after-due",
        "month-around-due",
        "month-before-due",
        "month-after-due",
        "approximate-day-in-due-month",
    ],
)
def test_it_settles_a_clock_as_far_as_the_stopping_date_proves(stop: KnownDate, expected: Settlement) -> None:
    assert settle(due=DueWindow.exactly(DUE), stop=stop) == expected


def test_it_says_a_later_act_ended_the_clock_by_its_last_possible_day() -> None:
    assert ended_by(later=KnownDate(date(2024, 12, 1), MONTH, ACT)) == Settlement(ENDED, date(2024, 12, 31))


@pytest.mark.parametrize(
    ("today", "kept_by_staff", "expected"),
    [
        (DUE, False, PENDING),
        (DUE, True, PENDING),
        (DUE + timedelta(days=1), True, OVERDUE),
        (DUE + timedelta(days=1), False, NOT_IN_RECORD),
    ],
)
def test_it_calls_a_clock_overdue_only_on_a_case_whose_every_act_is_recorded(
    today: date, kept_by_staff: bool, expected: str
) -> None:
    assert open_verdict(due=DUE, today=today, kept_by_staff=kept_by_staff) == expected


def test_it_refuses_a_month_only_date_that_is_not_the_first_of_its_month() -> None:
    with pytest.raises(ValueError, match="first day"):
        KnownDate(date(2023, 12, 5), MONTH, ACT)


def test_it_refuses_an_unknown_basis_naming_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="act, announced, reported, approximate"):
        KnownDate(date(2023, 12, 5), DAY, "rumoured")


def _possible_days(known: KnownDate, *, floor: date) -> list[date]:
    """Every day on which the act can have happened, from `floor` where the record sets no lower bound."""
    first = known.earliest or floor
    return [first + timedelta(days=n) for n in range((known.latest - first).days + 1)]


def _known_date(day: date, monthly: bool, basis: str) -> KnownDate:
    return KnownDate(day.replace(day=1), MONTH, basis) if monthly else KnownDate(day, DAY, basis)


known_dates = st.builds(
    _known_date,
    st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 31)),
    st.booleans(),
    st.sampled_from(DateBasis.values),
)


@given(
    stop=known_dates,
    start=known_dates,
    length=st.integers(min_value=1, max_value=60),
)
def test_it_states_a_verdict_true_for_every_day_the_acts_can_have_happened(
    stop: KnownDate, start: KnownDate, length: int
) -> None:
    """The clock runs `length` days from a start itself known only as well as its basis allows."""
    earliest_start = start.earliest
    due = DueWindow(
        None if earliest_start is None else earliest_start + timedelta(days=length),
        start.latest + timedelta(days=length),
    )
    settlement = settle(due=due, stop=stop)
    floor = min(start.on, stop.on) - timedelta(days=1)
    dues = [
        day + timedelta(days=length) for day in _possible_days(start, floor=floor - timedelta(days=length))
    ]
    stops = _possible_days(stop, floor=floor)
    if settlement.verdict == MET:
        assert all(day <= due_day for day in stops for due_day in dues)
    elif settlement.verdict == LATE:
        assert settlement.days_late is not None
        assert all((day - due_day).days >= settlement.days_late for day in stops for due_day in dues)
        assert settlement.days_late_is_minimum == (len(stops) > 1 or len(dues) > 1)
    else:
        assert settlement.verdict == ENDED
        assert any(day <= due_day for day in stops for due_day in dues)
        assert any(day > due_day for day in stops for due_day in dues)
