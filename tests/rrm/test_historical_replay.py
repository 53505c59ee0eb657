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
    assert verdict("us-mx-2023-san-martin-mine", "mexico_response") == ("late", dt.date(2023, 6, 26), 36)


def test_it_cancels_clocks_of_a_closed_case_whose_record_has_no_stopping_event():
    import_real_cases()
    status, _, _ = verdict("us-mx-2022-teksid-frontera", "mexico_review")
    explanation = Deadline.objects.get(
        case__case_id="us-mx-2022-teksid-frontera", rule__code="mexico_review"
    ).explanation
    assert status == "cancelled" and "without a dated event" in explanation["cancelled"]


def test_it_keeps_clocks_of_a_case_without_outcome_open():
    import_real_cases()
    # Akwel: outcome open (cases.csv), request 2024-11-22 (events.csv line 94), no answer of Mexico's.
    assert verdict("us-mx-2024-akwel-juarez", "mexico_response")[0] == "open"


def test_it_changes_no_deadline_when_the_same_file_is_imported_again():
    import_real_cases()
    before = list(Deadline.objects.order_by("pk").values())
    second = import_real_cases()
    assert "0 created, 0 updated" in second
    assert list(Deadline.objects.order_by("pk").values()) == before
