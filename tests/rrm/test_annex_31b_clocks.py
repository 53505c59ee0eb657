"""A case under Annex 31-B (Canada–Mexico) runs the clocks of migration rrm 0011, on Canada's calendar where
the act is Canada's."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from rrm import workflow
from rrm.choices import Annex
from rrm.models import Case, Deadline
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

annex_31b_migration = importlib.import_module("rrm.migrations.0011_annex_31b_rules")


@pytest.fixture(autouse=True)
def annex_31b_rules() -> None:
    annex_31b_migration.load_rules(apps, None)


def step(case: Case, action: str, on: dt.date) -> None:
    workflow.transition(case_id=case.case_id, action=action, on=on, source_note="test")


def open_clocks(case: Case) -> dict[str, dt.date]:
    deadlines = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).select_related("rule")
    return {deadline.rule.code: deadline.due_date for deadline in deadlines}


def test_it_gives_a_31b_case_the_nao_screening_on_receipt_and_no_ilc_clock() -> None:
    case = CaseFactory(annex=Annex.B31)

    step(case, "record_receipt", dt.date(2024, 3, 4))

    assert open_clocks(case) == {"nao_screening": dt.date(2024, 4, 3)}


def test_it_gives_a_31b_request_mexicos_31b_answer_and_review_clocks_instead_of_the_31a_ones() -> None:
    case = CaseFactory(annex=Annex.B31)
    step(case, "record_receipt", dt.date(2024, 3, 4))

    step(case, "request_review", dt.date(2024, 3, 25))

    assert open_clocks(case) == {
        "mexico_response_31b": dt.date(2024, 4, 4),
        "mexico_review_31b": dt.date(2024, 5, 9),
    }


def test_it_shows_the_mirrored_31b_clocks_as_unconfirmed() -> None:
    case = CaseFactory(annex=Annex.B31)
    step(case, "record_receipt", dt.date(2024, 3, 4))

    step(case, "request_review", dt.date(2024, 3, 25))

    answer = Deadline.objects.get(case=case, rule__code="mexico_response_31b")
    assert answer.is_unconfirmed
    assert answer.explanation["text"].startswith("UNCONFIRMED RULE: ")


def test_it_moves_the_nao_screening_off_canadian_thanksgiving() -> None:
    case = CaseFactory(annex=Annex.B31)

    step(case, "record_receipt", dt.date(2024, 9, 14))

    screening = Deadline.objects.get(case=case, rule__code="nao_screening")
    assert screening.due_date == dt.date(2024, 10, 15)
    assert screening.explanation["skipped"] == [{"date": "2024-10-14", "reason": "Thanksgiving Day"}]


def test_it_counts_a_31b_panel_constitution_in_business_days_from_the_31b_rule() -> None:
    case = CaseFactory(annex=Annex.B31)
    step(case, "record_receipt", dt.date(2024, 3, 4))
    step(case, "request_review", dt.date(2024, 3, 25))
    step(case, "mexico_declines", dt.date(2024, 4, 2))

    step(case, "request_panel", dt.date(2024, 4, 5))

    assert open_clocks(case)["panel_constitution_31b"] == dt.date(2024, 4, 10)
