"""The due-date clock: calendar and business units, roll-forward, extensions, explanations."""

import importlib
import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from rrm.clock import DueDate, RuleSpec, SkippedDay, compute_due
from rrm.models import DeadlineRule


def seeded_spec(code: str) -> RuleSpec:
    """The clock's view of a rule as migration 0003 seeds it, read from an unsaved row."""
    seed = importlib.import_module("rrm.migrations.0003_seed_deadline_rules")
    return DeadlineRule(**next(rule for rule in seed.INITIAL_RULES if rule["code"] == code)).spec


ILC = seeded_spec("ilc_screening")
MEXICO_RESPONSE = seeded_spec("mexico_response")
PANEL_CONSTITUTION = seeded_spec("panel_constitution")


def test_it_explains_a_due_date_on_a_business_day_in_one_sentence() -> None:
    due = compute_due(ILC, date(2021, 5, 10))

    assert due.explanation()["text"] == (
        "30 calendar days from petition_received on 2021-05-10 is 2021-06-09 (Wednesday), a U.S. "
        "business day: due 2021-06-09. Rule: ILC screening of a Rapid Response Petition "
        "(ILC Procedural Guidelines for Petitions, 85 FR 39257 (2020), 88 FR 40914 (2023); 19 U.S.C. §4646), "
        "version 2020-07-01."
    )


def test_it_rolls_a_saturday_due_date_to_the_monday_and_records_the_skipped_days() -> None:
    due = compute_due(ILC, date(2022, 5, 5))

    assert due.nominal_due == date(2022, 6, 4)
    assert due.due == date(2022, 6, 6)
    assert due.skipped == (SkippedDay(date(2022, 6, 4), "Saturday"), SkippedDay(date(2022, 6, 5), "Sunday"))
    assert "not a U.S. business day (2022-06-04 Saturday; 2022-06-05 Sunday)" in due.text()
    assert "due the next U.S. business day, 2022-06-06 (Monday)" in due.text()


def test_it_rolls_past_a_federal_holiday() -> None:
    due = compute_due(ILC, date(2023, 6, 4))

    assert due.nominal_due == date(2023, 7, 4)
    assert due.due == date(2023, 7, 5)
    assert due.skipped == (SkippedDay(date(2023, 7, 4), "Independence Day"),)


def test_it_rolls_past_an_extra_holiday() -> None:
    due = compute_due(ILC, date(2021, 5, 10), extra_holidays={date(2021, 6, 9): "Decreed closure"})

    assert due.due == date(2021, 6, 10)
    assert due.skipped == (SkippedDay(date(2021, 6, 9), "Decreed closure"),)


def test_it_leaves_a_weekend_due_date_when_the_rule_does_not_roll() -> None:
    due = compute_due(MEXICO_RESPONSE, date(2023, 5, 24))

    assert due.due == date(2023, 6, 3)
    assert due.skipped == ()
    assert "this rule does not move a due date off a non-business day: due 2023-06-03." in due.text()


def test_it_counts_business_days_of_the_rules_calendar_and_lists_the_days_passed_over() -> None:
    due = compute_due(PANEL_CONSTITUTION, date(2024, 2, 2))

    assert due.due == date(2024, 2, 8)
    assert due.nominal_due == due.due
    assert due.skipped == (
        SkippedDay(date(2024, 2, 3), "Saturday"),
        SkippedDay(date(2024, 2, 4), "Sunday"),
        SkippedDay(date(2024, 2, 5), "Constitution Day"),
    )
    assert "not counting 3 non-business days" in due.text()


def test_it_adds_extension_days_to_the_length() -> None:
    due = compute_due(ILC, date(2021, 5, 10), extension_days=5)

    assert due.due == date(2021, 6, 14)
    assert due.explanation()["extension_days"] == 5
    assert due.text().startswith("30 + 5 (extension) = 35 calendar days from petition_received")


def test_it_refuses_a_negative_extension() -> None:
    with pytest.raises(ValueError, match="extension_days must be 0 or more, got -2"):
        compute_due(ILC, date(2021, 5, 10), extension_days=-2)


def test_it_marks_an_unconfirmed_rule_in_the_explanation() -> None:
    explanation = compute_due(PANEL_CONSTITUTION, date(2023, 8, 22)).explanation()

    assert explanation["unconfirmed"] is True
    assert explanation["text"].startswith("UNCONFIRMED RULE: 3 Mexican business days from panel_requested")


def test_it_does_not_mark_a_confirmed_rule_unconfirmed() -> None:
    explanation = compute_due(ILC, date(2021, 5, 10)).explanation()

    assert explanation["unconfirmed"] is False
    assert "UNCONFIRMED" not in explanation["text"]


def test_it_gives_a_json_explanation_of_every_input_and_result() -> None:
    due = compute_due(ILC, date(2022, 5, 5))

    explanation = json.loads(json.dumps(due.explanation()))

    assert {key: value for key, value in explanation.items() if key != "text"} == {
        "start_event": "petition_received",
        "start": "2022-05-05",
        "rule": {
            "code": "ilc_screening",
            "name": "ILC screening of a Rapid Response Petition",
            "version": "2020-07-01",
            "citation": "ILC Procedural Guidelines for Petitions, 85 FR 39257 (2020), 88 FR 40914 (2023); "
            "19 U.S.C. §4646",
            "length": 30,
            "unit": "calendar",
            "calendar": "US",
            "roll_forward": "next_business_day",
            "confidence": "C",
        },
        "unconfirmed": False,
        "extension_days": 0,
        "nominal_due": "2022-06-04",
        "skipped": [{"date": "2022-06-04", "reason": "Saturday"}, {"date": "2022-06-05", "reason": "Sunday"}],
        "due": "2022-06-06",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit", "weeks", "unit 'weeks' is not one of calendar, business"),
        ("calendar", "GT", "calendar 'GT' is not one of US, MX, CA"),
        ("roll_forward", "previous", "roll_forward 'previous' is not one of none, next_business_day"),
        ("confidence", "X", "confidence 'X' is not one of C, S, U"),
        ("length", 0, "length must be 1 or more, got 0"),
    ],
)
def test_it_refuses_a_rule_with_an_invalid_field(field: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"Rule ilc_screening: {message}"):
        replace(ILC, **{field: value})


def test_it_keeps_the_rule_and_start_on_the_due_date() -> None:
    due = compute_due(MEXICO_RESPONSE, date(2023, 5, 22))

    assert due == DueDate(MEXICO_RESPONSE, date(2023, 5, 22), date(2023, 6, 1), date(2023, 6, 1), 0, ())
