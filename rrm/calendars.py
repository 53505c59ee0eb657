"""Business-day calendars of the three countries whose clocks the mechanism runs on. Pure Python: dates in,
dates out; no database.

What the `holidays` library (0.109, checked by reading holidays/countries/*.py) gives by default:

- "US": the eleven legal public holidays of 5 U.S.C. §6103(a) with their in-lieu days (a Saturday
  holiday is kept on the Friday before, a Sunday holiday on the Monday after, E.O. 11582), including
  Juneteenth National Independence Day from 2021 (Pub. L. 117-17; 2021-06-18 was its first observed
  day). Inauguration Day is only added for the DC, MD and VA subdivisions, so it is not here. Closures
  ordered by executive order (e.g. 2025-01-09, national day of mourning) are in the library's
  "government" category, not in the default one: staff add them as extra holidays.
- "MX": the mandatory rest days of Ley Federal del Trabajo art. 74 — fr. I 1 January; fr. II first
  Monday of February; fr. III third Monday of March; fr. IV 1 May; fr. V 16 September; fr. VI third
  Monday of November; fr. VII the day the federal executive changes (1 December every six years until
  2018, 1 October from 2024); fr. VIII 25 December. Fr. IX (federal and local election days) is NOT in
  the library; staff add those, and any decreed closure, as extra holidays.
- "CA": the library's "government" category, the general holidays of federally regulated workplaces
  (Canada Labour Code s. 166: New Year's Day, Good Friday, Victoria Day, Canada Day, Labour Day, the
  National Day for Truth and Reconciliation from 2021, Thanksgiving, Remembrance Day, Christmas and
  Boxing Day, with their observed days). Its default "public" category keeps only the five observed in
  every province, which would leave the federal NAO open on Victoria Day or Thanksgiving. Provincial
  holidays are not here: staff add any that a rule needs as extra holidays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from types import MappingProxyType

import holidays

COUNTRIES = ("US", "MX", "CA")
# Which of the library's categories makes each country's non-business days (see above).
LIBRARY_CATEGORIES = {"US": ("public",), "MX": ("public",), "CA": ("government",)}
WEEKEND_DAY_NAMES = {5: "Saturday", 6: "Sunday"}
ONE_DAY = timedelta(days=1)


class UnknownHolidays(ValueError):
    """A year outside the range the `holidays` library has data for (it would silently give none)."""


@cache
def _library_holidays(country: str, year: int) -> Mapping[date, str]:
    found = holidays.country_holidays(
        country, years=year, language="en_US", categories=LIBRARY_CATEGORIES[country]
    )
    if not found.start_year <= year <= found.end_year:
        raise UnknownHolidays(
            f"No {country} holiday data for {year}: the holidays library covers "
            f"{found.start_year}-{found.end_year}."
        )
    return MappingProxyType({day: name for day, name in found.items() if day.year == year})


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekends plus the country's statutory holidays plus `extra` days, expanded one year at a time."""

    country: str
    extra: tuple[tuple[date, str], ...] = ()
    _years: dict[int, Mapping[date, str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.country not in COUNTRIES:
            raise ValueError(f"Unknown calendar {self.country!r}: expected one of {', '.join(COUNTRIES)}.")

    @property
    def extra_holidays(self) -> Mapping[date, str]:
        return MappingProxyType(dict(self.extra))

    def holidays_in(self, year: int) -> Mapping[date, str]:
        """Every holiday of `year` with its name; an extra holiday's name wins over the library's."""
        known = self._years.get(year)
        if known is None:
            merged = dict(_library_holidays(self.country, year))
            merged.update((day, name) for day, name in self.extra if day.year == year)
            known = self._years[year] = MappingProxyType(merged)
        return known

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def non_business_reason(self, day: date) -> str | None:
        """ "Saturday", "Sunday", the holiday's name, or both joined by "; "; None on a business day."""
        reasons = [WEEKEND_DAY_NAMES[day.weekday()]] if day.weekday() >= 5 else []
        holiday = self.holidays_in(day.year).get(day)
        if holiday is not None:
            reasons.append(holiday)
        return ", ".join(reasons) or None

    def next_business_day_on_or_after(self, day: date) -> date:
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def add_business_days(self, start: date, n: int) -> date:
        """The n-th business day strictly after `start`; `start` itself when n is 0."""
        if n < 0:
            raise ValueError(f"add_business_days: n must be 0 or more, got {n}.")
        day = start
        while n > 0:
            day += ONE_DAY
            if self.is_business_day(day):
                n -= 1
        return day

    def add_calendar_days(self, start: date, n: int) -> date:
        return start + timedelta(days=n)


def for_country(country: str, extra_holidays: Mapping[date, str] | None = None) -> BusinessCalendar:
    """The calendar of "US", "MX" or "CA" with `extra_holidays` (e.g. staff-entered closures) added."""
    return _cached_calendar(country, _normalised_extra(extra_holidays or {}))


def _normalised_extra(extra_holidays: Mapping[date, str]) -> tuple[tuple[date, str], ...]:
    for day, name in extra_holidays.items():
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ValueError(f"Extra holiday {day!r}: expected a date (not a datetime or a string).")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Extra holiday {day.isoformat()}: its name must be a non-empty string.")
    return tuple(sorted(extra_holidays.items()))


@lru_cache(maxsize=256)
def _cached_calendar(country: str, extra: tuple[tuple[date, str], ...]) -> BusinessCalendar:
    return BusinessCalendar(country=country, extra=extra)
