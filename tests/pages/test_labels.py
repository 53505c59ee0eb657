"""The deadline explanation composed in the reader's language from the clock's structured account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from rrm.clock import RuleSpec, compute_due
from rrm.deadlines import TERMINAL_NOTE
from rrm.labels import cancellation_note, explanation_text, state_name


def spec(**fields: object) -> RuleSpec:
    values: dict[str, object] = {
        "code": "mexico_response",
        "name": "Mexico's decision whether to review",
        "citation": "USMCA Annex 31-A, Art. 31-A.4",
        "length": 10,
        "unit": "calendar",
        "calendar": "MX",
        "roll_forward": "none",
        "confidence": "C",
        "start_event": "request_for_review",
        **fields,
    }
    return RuleSpec(**values)  # type: ignore[arg-type]


def test_it_explains_a_calendar_clock_that_does_not_roll_forward_in_english_and_spanish() -> None:
    explanation = compute_due(spec(), dt.date(2021, 5, 12)).explanation()
    with translation.override("en"):
        assert explanation_text(explanation) == (
            "10 calendar days from “Request for review sent to Mexico” on May 12, 2021 fall on May 22, 2021; "
            "this rule does not move a due date off a non-business day, so it is due May 22, 2021. "
            "Rule: Mexico's decision whether to review (USMCA Annex 31-A, Art. 31-A.4)."
        )
    with translation.override("es"):
        assert explanation_text(explanation) == (
            "10 días naturales desde «Solicitud de revisión enviada a México» el 12 de mayo de 2021 "
            "se cumplen el 22 de mayo de 2021; esta regla no traslada un vencimiento que cae en día "
            "inhábil, así que vence el 22 de mayo de 2021. Regla: Decisión de México sobre si realiza "
            "la revisión (USMCA Annex 31-A, Art. 31-A.4)."
        )


def test_it_names_the_weekend_a_rolled_forward_due_date_skipped() -> None:
    rule = spec(code="ilc_screening", length=30, calendar="US", roll_forward="next_business_day")
    explanation = compute_due(rule, dt.date(2023, 6, 9)).explanation()  # 30 days later is a Sunday
    with translation.override("es"):
        text = explanation_text(explanation)
    assert "se cumplen el 9 de julio de 2023, que no es día hábil (9 de julio de 2023 (domingo))" in text
    assert "así que vence el siguiente día hábil, el 10 de julio de 2023." in text


def test_it_counts_business_days_with_an_extension_and_the_holidays_passed_over() -> None:
    rule = spec(
        code="panel_constitution", length=3, unit="business", confidence="U", start_event="panel_requested"
    )
    explanation = compute_due(rule, dt.date(2023, 12, 22), extension_days=2).explanation()
    with translation.override("en"):
        text = explanation_text(explanation)
    assert text.startswith(
        "5 Mexican business days (3 plus an extension of 2) from “Panel requested” on Dec. 22, 2023, "
        "not counting the non-business days Dec. 23, 2023 (Saturday); Dec. 24, 2023 (Sunday); "
        "Dec. 25, 2023 ("
    )
    assert "Jan. 1, 2024 (" in text and text.endswith(
        "end on Jan. 2, 2024. Rule: Constitution of a Rapid Response Labor Panel "
        "(USMCA Annex 31-A, Art. 31-A.4)."
    )


def test_it_falls_back_to_the_stored_sentence_when_the_account_is_incomplete() -> None:
    assert explanation_text({"text": "45 calendar days from request_for_review."}) == (
        "45 calendar days from request_for_review."
    )


@pytest.mark.parametrize(
    ("note", "spanish"),
    [
        (TERMINAL_NOTE, "El caso se cerró sin un hecho fechado que detenga este plazo."),
        ("Restarted by petition_received on 2024-01-02.", "Restarted by petition_received on 2024-01-02."),
    ],
)
def test_it_translates_the_known_cancellation_notes_and_keeps_others_as_written(
    note: str, spanish: str
) -> None:
    with translation.override("es"):
        assert cancellation_note({"cancelled": note}) == spanish


def test_it_names_mexican_states_as_each_language_does() -> None:
    with translation.override("en"):
        assert (state_name("CMX"), state_name("MEX"), state_name("NLE")) == (
            "Mexico City",
            "State of Mexico",
            "Nuevo León",
        )
    with translation.override("es"):
        assert (state_name("CMX"), state_name("MEX")) == ("Ciudad de México", "Estado de México")
