"""Business calendars: U.S. federal holidays, Mexico's LFT art. 74 rest days, weekends, extra holidays."""

from datetime import date, datetime

import pytest

from rrm.calendars import BusinessCalendar, UnknownHolidays, for_country

US = for_country("US")
MX = for_country("MX")


def test_it_closes_on_independence_day_2023() -> None:
    assert not US.is_business_day(date(2023, 7, 4))
    assert US.non_business_reason(date(2023, 7, 4)) == "Independence Day"


def test_it_closes_on_the_friday_juneteenth_2021_was_observed() -> None:
    assert US.non_business_reason(date(2021, 6, 18)) == "Juneteenth National Independence Day (observed)"


def test_it_has_no_juneteenth_before_2021() -> None:
    assert US.is_business_day(date(2020, 6, 19))


def test_it_leaves_inauguration_day_a_federal_business_day() -> None:
    assert US.is_business_day(date(2021, 1, 20))


def test_it_observes_new_years_day_2022_on_friday_31_december_2021() -> None:
    assert US.non_business_reason(date(2021, 12, 31)) == "New Year's Day (observed)"


def test_it_names_weekend_days() -> None:
    assert US.non_business_reason(date(2023, 7, 8)) == "Saturday"
    assert MX.non_business_reason(date(2023, 7, 9)) == "Sunday"


def test_it_gives_both_reasons_for_a_holiday_on_a_weekend() -> None:
    assert US.non_business_reason(date(2021, 6, 19)) == "Saturday, Juneteenth National Independence Day"


def test_it_gives_no_reason_for_a_business_day() -> None:
    assert US.non_business_reason(date(2023, 7, 5)) is None


def test_it_closes_mexico_on_constitution_day_observed_the_first_monday_of_february() -> None:
    assert MX.non_business_reason(date(2024, 2, 5)) == "Constitution Day"
    assert US.is_business_day(date(2024, 2, 5))


def test_it_closes_mexico_on_the_change_of_federal_executive() -> None:
    assert MX.non_business_reason(date(2024, 10, 1)) == "Change of Federal Government"
    assert MX.is_business_day(date(2023, 10, 2))


def test_it_expands_holidays_for_any_year_the_library_covers() -> None:
    assert US.non_business_reason(date(2099, 7, 3)) == "Independence Day (observed)"
    assert MX.non_business_reason(date(1994, 12, 1)) == "Change of Federal Government"


def test_it_refuses_a_year_without_holiday_data_rather_than_assume_none() -> None:
    with pytest.raises(
        UnknownHolidays, match="No US holiday data for 2150: the holidays library covers 1777-2100"
    ):
        US.is_business_day(date(2150, 7, 3))


def test_it_adds_extra_holidays_with_their_given_names() -> None:
    calendar = for_country("MX", {date(2024, 3, 28): "Holy Thursday closure"})

    assert not calendar.is_business_day(date(2024, 3, 28))
    assert calendar.non_business_reason(date(2024, 3, 28)) == "Holy Thursday closure"
    assert MX.is_business_day(date(2024, 3, 28))


def test_it_lets_an_extra_holiday_name_replace_the_librarys() -> None:
    calendar = for_country("US", {date(2023, 7, 4): "Decreed closure"})

    assert calendar.non_business_reason(date(2023, 7, 4)) == "Decreed closure"


def test_it_rejects_an_unknown_country() -> None:
    with pytest.raises(ValueError, match="Unknown calendar 'GT'"):
        for_country("GT")


def test_it_rejects_an_extra_holiday_that_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="Extra holiday '2024-03-28'"):
        for_country("MX", {"2024-03-28": "Closure"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="expected a date"):
        for_country("MX", {datetime(2024, 3, 28, 9): "Closure"})


def test_it_rejects_an_extra_holiday_without_a_name() -> None:
    with pytest.raises(ValueError, match="Extra holiday 2024-03-28: its name"):
        for_country("MX", {date(2024, 3, 28): " "})


def test_it_adds_one_business_day_from_a_friday_to_the_monday() -> None:
    assert US.add_business_days(date(2023, 7, 7), 1) == date(2023, 7, 10)


def test_it_adds_business_days_over_a_holiday() -> None:
    assert US.add_business_days(date(2023, 7, 3), 1) == date(2023, 7, 5)


def test_it_returns_the_start_unchanged_when_adding_zero_business_days() -> None:
    assert US.add_business_days(date(2023, 7, 8), 0) == date(2023, 7, 8)


def test_it_refuses_a_negative_number_of_business_days() -> None:
    with pytest.raises(ValueError, match="n must be 0 or more, got -1"):
        US.add_business_days(date(2023, 7, 3), -1)


def test_it_finds_the_next_business_day_on_or_after_a_date() -> None:
    assert US.next_business_day_on_or_after(date(2023, 7, 5)) == date(2023, 7, 5)
    assert US.next_business_day_on_or_after(date(2021, 6, 18)) == date(2021, 6, 21)


def test_it_adds_calendar_days_whatever_the_weekday() -> None:
    assert US.add_calendar_days(date(2022, 5, 5), 30) == date(2022, 6, 4)


def test_it_returns_equal_calendars_for_equal_holidays() -> None:
    extra = {date(2024, 3, 28): "Closure"}

    assert for_country("MX", extra) == for_country("MX", dict(extra))
    assert for_country("MX", extra) != MX


def test_it_refuses_to_build_a_calendar_of_an_unknown_country() -> None:
    with pytest.raises(ValueError, match="expected one of US, MX, CA"):
        BusinessCalendar(country="XX")


CA = for_country("CA")


def test_it_moves_a_canadian_business_day_count_past_canada_day_observed_on_monday() -> None:
    friday = date(2023, 6, 30)

    assert CA.add_business_days(friday, 1) == date(2023, 7, 4)
    assert MX.add_business_days(friday, 1) == date(2023, 7, 3)


def test_it_closes_canada_on_the_federal_holidays_not_observed_in_every_province() -> None:
    assert CA.non_business_reason(date(2024, 5, 20)) == "Victoria Day"
    assert CA.non_business_reason(date(2024, 9, 30)) == "National Day for Truth and Reconciliation"
    assert US.is_business_day(date(2024, 9, 30))
