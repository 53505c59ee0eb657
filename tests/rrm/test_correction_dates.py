"""A correction's date is checked against today in the project's time zone (America/New_York)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from rrm import services
from rrm.errors import InvalidDate
from rrm.models import TimelineEvent
from tests.factories import TimelineEventFactory

pytestmark = pytest.mark.django_db

# 02:30 UTC on 2 June is still 22:30 on 1 June in New York.
NEW_YORK_EVENING = dt.datetime(2024, 6, 2, 2, 30, tzinfo=dt.UTC)


def correct_to(day: dt.date) -> TimelineEvent:
    event = TimelineEventFactory(occurred_on=dt.date(2024, 5, 1))
    return services.record_correction(
        case_id=event.case.case_id, corrects_id=event.pk, reason="misdated", corrected_on=day, user=None
    )


def test_it_refuses_a_correction_dated_tomorrow_in_new_york_though_it_is_already_today_in_utc() -> None:
    with mock.patch("django.utils.timezone.now", return_value=NEW_YORK_EVENING):
        with pytest.raises(InvalidDate, match="2024-06-02 is in the future"):
            correct_to(dt.date(2024, 6, 2))


def test_it_accepts_a_correction_dated_today_in_new_york() -> None:
    with mock.patch("django.utils.timezone.now", return_value=NEW_YORK_EVENING):
        correction = correct_to(dt.date(2024, 6, 1))
    assert correction.occurred_on == dt.date(2024, 6, 1)
