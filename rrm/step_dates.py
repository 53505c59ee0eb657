"""The dates a case's steps may bear: none in the future, none before the case's latest event, none
before the days other apps bound them by (petitions: the filing of the petition)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rrm.errors import InvalidDate
from rrm.models import Case
from rrm.selectors import latest_event_date


@dataclass(frozen=True)
class DateFloor:
    """A day before which no step of a case can have happened, and what happened on it."""

    on: dt.date
    what: str


# What other apps know of a case that bounds its steps' dates (petitions: the day the petition was
# filed); each registers a source from its AppConfig.ready(), so that the core names no app.
DATE_FLOOR_SOURCES: list[Callable[[Case], DateFloor | None]] = []


def bound_step_dates_by(source: Callable[[Case], DateFloor | None]) -> None:
    if source not in DATE_FLOOR_SOURCES:
        DATE_FLOOR_SOURCES.append(source)


def date_floors(case: Case) -> list[DateFloor]:
    return [floor for source in DATE_FLOOR_SOURCES if (floor := source(case)) is not None]


def check_event_date(*, case: Case, on: dt.date) -> None:
    """A step's date: not in the future, not before the days the other apps bound it by (the petition's
    filing), not before the case's latest event."""
    today = timezone.localdate()
    if on > today:
        raise InvalidDate(
            _("Case %(case)s: %(on)s is in the future (today is %(today)s).")
            % {"case": case.case_id, "on": on, "today": today}
        )
    # The floors first: the filing is the timeline's first event, and a date before it is refused for
    # that reason, the one the petitioner and the officer can act on.
    check_date_floors(case=case, on=on)
    previous = latest_event_date(case=case)
    if previous is not None and on < previous:
        raise InvalidDate(
            _("Case %(case)s: %(on)s is before the case's latest event, dated %(previous)s.")
            % {"case": case.case_id, "on": on, "previous": previous}
        )


def check_date_floors(*, case: Case, on: dt.date) -> None:
    for floor in date_floors(case):
        if on < floor.on:
            raise InvalidDate(
                _("Case %(case)s: %(on)s is before %(what)s, on %(floor)s.")
                % {"case": case.case_id, "on": on, "what": floor.what, "floor": floor.on}
            )
