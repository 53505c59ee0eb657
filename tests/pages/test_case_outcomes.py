"""The case page's section "What remediation achieved": each vote, reinstatement, payment and worker
count with its date (and how it is known) and source, saying what the source does not state."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rrm.models import Case
from tests import factories
from tests.pages.test_public_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def remediated() -> Case:
    case: Case = factories.CaseFactory.create()
    factories.UnionVoteFactory(
        case=case, winning_union="SINTTIA", votes_for=4192, eligible=6275, date_basis="announced"
    )
    factories.ReinstatementFactory(case=case, workers=None, occurred_on="2023-11-01", date_precision="month")
    factories.PaymentFactory(case=case, amount="60000.00", is_floor=True, occurred_on=None, date_basis="")
    factories.WorkerCountFactory(case=case, count=6000, qualifier="over")
    return case


def page_text(client: Client, case: Case, language: str = "en") -> str:
    with translation.override(language):
        return text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))


def test_it_lists_what_remediation_achieved_with_dates_bases_and_gaps(
    client: Client, remediated: Case
) -> None:
    text = page_text(client, remediated)

    assert "What remediation achieved" in text
    assert "Representation vote: won by SINTTIA · for 4,192 · eligible 6,275" in text
    assert "Date the act was made public; it happened then or earlier" in text
    assert "Reinstatement: number of workers not stated November 2023" in text
    assert "Back pay: more than USD 60,000.00 Date not stated" in text
    assert "Workers covered: more than 6,000" in text


def test_it_says_so_when_no_outcome_is_recorded(client: Client) -> None:
    assert "No vote, reinstatement, payment or worker count is recorded for this case." in page_text(
        client, factories.CaseFactory.create()
    )


def test_it_shows_the_section_in_spanish(spanish_client: Client, remediated: Case) -> None:
    text = page_text(spanish_client, remediated, "es")

    assert "Lo que logró la reparación" in text
    assert "Salarios caídos: más de USD" in text
    assert "Fecha no indicada" in text
    assert "ganada por SINTTIA" in text
