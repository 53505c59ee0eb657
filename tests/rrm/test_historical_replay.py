"""Importing the real cases derives their deadlines from their dated events (historical replay)."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from rrm.models import Deadline

pytestmark = pytest.mark.django_db
CASES = Path(__file__).resolve().parents[2] / "data" / "cases.csv"


def import_real_cases() -> str:
    out = StringIO()
    call_command("import_cases", str(CASES), stdout=out, stderr=StringIO())
    return out.getvalue()


def verdict(case_id: str, code: str) -> tuple[str, dt.date, int | None]:
    d = Deadline.objects.get(case__case_id=case_id, rule__code=code)
    return d.status, d.due_date, d.days_late


def stopped_on(case_id: str, code: str) -> dt.date | None:
    return Deadline.objects.get(case__case_id=case_id, rule__code=code).satisfied_on


def test_it_marks_a_petition_answered_on_the_thirtieth_day_as_met():
    import_real_cases()
    assert verdict("us-mx-2021-tridonex", "ilc_screening") == ("met", dt.date(2021, 6, 9), 0)


def test_it_marks_a_request_sent_after_the_ilc_deadline_as_late_by_its_days():
    import_real_cases()
    assert verdict("us-mx-2023-san-martin-mine", "ilc_screening") == ("late", dt.date(2023, 6, 14), 2)
    assert verdict("us-mx-2023-asiaway-slp", "ilc_screening") == ("late", dt.date(2023, 10, 20), 3)


def test_it_judges_mexicos_answer_against_ten_days_from_the_request():
    import_real_cases()
    assert verdict("us-mx-2022-vu-1", "mexico_response") == ("met", dt.date(2022, 7, 31), 0)


def test_it_does_not_call_an_answer_known_only_as_announced_late():
    import_real_cases()
    # San Martín: request 2023-06-16; Mexico's refusal is dated 2023-08-01 only as announced, and its
    # finding of no denial, reported to the U.S. on 2023-07-31, proves the answer had come by then.
    assert verdict("us-mx-2023-san-martin-mine", "mexico_response") == ("ended", dt.date(2023, 6, 26), None)
    assert stopped_on("us-mx-2023-san-martin-mine", "mexico_response") == dt.date(2023, 7, 31)


def test_it_says_a_clock_ended_by_the_outcome_when_the_record_has_no_stopping_event():
    import_real_cases()
    # Teksid: request 2022-06-06, no finding in the record, outcome announced 2022-08-16.
    assert verdict("us-mx-2022-teksid-frontera", "mexico_review") == ("ended", dt.date(2022, 7, 21), None)
    assert stopped_on("us-mx-2022-teksid-frontera", "mexico_review") == dt.date(2022, 8, 16)


def test_it_keeps_open_a_clock_that_no_recorded_act_stops():
    import_real_cases()
    # Freixenet: request known only to the month (2025-11), no answer of Mexico's and no outcome.
    assert verdict("us-mx-2025-freixenet", "mexico_response") == ("open", dt.date(2025, 12, 10), None)


def test_it_leaves_unknown_the_timeliness_of_a_stop_known_only_to_its_month():
    import_real_cases()
    # Freixenet: petition received 2025-10-29, due 2025-11-28; the ILC's determination is known only
    # to November 2025, so the clock ended by 2025-11-30 and whether in time is unknown.
    assert verdict("us-mx-2025-freixenet", "ilc_screening") == ("ended", dt.date(2025, 11, 28), None)


def test_it_changes_no_deadline_when_the_same_file_is_imported_again():
    import_real_cases()
    before = list(Deadline.objects.order_by("pk").values())
    second = import_real_cases()
    assert "0 created, 0 updated" in second
    assert list(Deadline.objects.order_by("pk").values()) == before
