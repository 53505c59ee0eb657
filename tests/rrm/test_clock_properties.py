"""Properties of the clock that must hold for every start date, length and calendar."""

import json
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rrm.calendars import for_country
from rrm.clock import RuleSpec, compute_due

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
countries = st.sampled_from(["US", "MX"])
lengths = st.integers(min_value=1, max_value=60)
extensions = st.integers(min_value=0, max_value=30)
extra_holidays = st.dictionaries(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["Decreed closure", "Election day"]),
    max_size=5,
)


def rule(*, country: str, confidence: str = "C", **clock: Any) -> RuleSpec:
    """A rule on `country`'s calendar with the clock given (unit, length, roll_forward)."""
    return RuleSpec(
        code="property",
        name="Property rule",
        citation="none",
        start_event="petition_received",
        calendar=country,
        confidence=confidence,
        **clock,
    )


@given(start=starts, country=countries, length=lengths, extension=extensions, extra=extra_holidays)
def test_it_never_puts_a_business_day_due_date_on_a_weekend_or_holiday(
    start: date, country: str, length: int, extension: int, extra: dict[date, str]
) -> None:
    spec = rule(unit="business", country=country, length=length, roll_forward="none")

    due = compute_due(spec, start, extra_holidays=extra, extension_days=extension)

    assert due.due.weekday() < 5
    assert for_country(country, extra).is_business_day(due.due)


@given(start=starts, country=countries, length=lengths, extra=extra_holidays)
def test_it_lists_exactly_the_non_business_days_a_business_day_clock_passes_over(
    start: date, country: str, length: int, extra: dict[date, str]
) -> None:
    due = compute_due(
        rule(unit="business", country=country, length=length, roll_forward="none"),
        start,
        extra_holidays=extra,
    )

    assert (due.due - start).days == length + len(due.skipped)
    assert all(start < skipped.day <= due.due for skipped in due.skipped)


@given(
    start=starts,
    country=countries,
    n=st.integers(min_value=0, max_value=40),
    m=st.integers(min_value=0, max_value=40),
)
def test_it_adds_business_days_associatively(start: date, country: str, n: int, m: int) -> None:
    calendar = for_country(country)

    assert calendar.add_business_days(calendar.add_business_days(start, n), m) == calendar.add_business_days(
        start, n + m
    )


@given(start=starts, country=countries, length=lengths, extension=extensions, extra=extra_holidays)
def test_it_rolls_a_calendar_day_due_date_no_further_than_the_first_business_day(
    start: date, country: str, length: int, extension: int, extra: dict[date, str]
) -> None:
    calendar = for_country(country, extra)
    spec = rule(unit="calendar", country=country, length=length, roll_forward="next_business_day")
    nominal = calendar.add_calendar_days(start, length + extension)

    due = compute_due(spec, start, extra_holidays=extra, extension_days=extension)

    assert nominal <= due.due <= calendar.next_business_day_on_or_after(nominal)
    assert calendar.is_business_day(due.due)
    assert [skipped.day for skipped in due.skipped] == [
        calendar.add_calendar_days(nominal, offset) for offset in range((due.due - nominal).days)
    ]


@given(
    start=starts,
    country=countries,
    length=lengths,
    extension=extensions,
    unit=st.sampled_from(["calendar", "business"]),
    roll_forward=st.sampled_from(["none", "next_business_day"]),
    confidence=st.sampled_from(["C", "S", "U"]),
    extra=extra_holidays,
)
def test_it_explains_equal_inputs_with_equal_json(
    start: date,
    country: str,
    length: int,
    extension: int,
    unit: str,
    roll_forward: str,
    confidence: str,
    extra: dict[date, str],
) -> None:
    spec = rule(unit=unit, country=country, length=length, roll_forward=roll_forward, confidence=confidence)

    first = compute_due(spec, start, extra_holidays=extra, extension_days=extension).explanation()
    second = compute_due(spec, start, extra_holidays=dict(extra), extension_days=extension).explanation()

    assert first == second
    assert json.loads(json.dumps(first)) == first
    assert first["text"].startswith("UNCONFIRMED RULE: ") == (confidence == "U")
