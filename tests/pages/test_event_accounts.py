"""Each timeline event in the reader's language: a sentence composed from its facts, then the source's own
note as a quotation marked as English on a Spanish page, never machine-translated."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from rrm.choices import EventKind, Outcome
from rrm.models import Case
from tests.factories import CaseFactory, TimelineEventFactory
from tests.pages.addresses import in_spanish
from tests.pages.test_public_pages import text_of

pytestmark = pytest.mark.django_db

IMPORTED = "import: data/events.csv line 20"


def timeline(client: Client, case: Case, *, spanish: bool = False) -> str:
    address = reverse("pages:case-detail", args=[case.case_id])
    html = client.get(in_spanish(address) if spanish else address).content.decode()
    return html.split('id="timeline-heading"')[1].split("</section>")[0]


def test_it_tells_an_imported_event_in_spanish_and_quotes_the_sources_english_note(
    spanish_client: Client,
) -> None:
    case = CaseFactory(facility__name="Planta Silao")
    TimelineEventFactory(
        case=case,
        kind=EventKind.REQUEST_FOR_REVIEW,
        occurred_on=dt.date(2021, 6, 9),
        description="USTR release 'the evening of June 9'.",
        source_note=IMPORTED,
    )

    shown = timeline(spanish_client, case, spanish=True)

    assert "Estados Unidos pidió a México revisar la situación en Planta Silao." in shown
    assert re.search(
        r"Nota de la fuente, en inglés:\s*<q lang=\"en\">USTR release &#x27;the evening of June 9&#x27;.</q>",
        shown,
    )


def test_it_leaves_out_an_imported_note_that_only_restates_the_facts(
    client: Client, spanish_client: Client
) -> None:
    case = CaseFactory(facility__name="Planta Norte")
    TimelineEventFactory(
        case=case,
        kind=EventKind.OUTCOME_ANNOUNCED,
        description=f"Outcome announced: {Outcome.FACILITY_CLOSED.label}.",
        data={"outcome": Outcome.FACILITY_CLOSED},
        source_note=IMPORTED,
    )

    english, spanish = timeline(client, case), timeline(spanish_client, case, spanish=True)

    assert "Outcome announced for Planta Norte: Facility closed." in english
    assert "Outcome announced: Facility closed." not in english
    assert "Se anunció el resultado de Planta Norte: Instalación cerrada." in spanish
    assert 'lang="en"' not in spanish


def test_it_shows_a_note_staff_typed_as_typed(spanish_client: Client) -> None:
    case = CaseFactory()
    TimelineEventFactory(
        case=case, kind=EventKind.NOTE, description="Reunión con la empresa.", source_note="staff"
    )

    shown = timeline(spanish_client, case, spanish=True)

    assert "Reunión con la empresa." in shown and "<q" not in shown


def test_it_gives_every_event_of_a_real_case_a_spanish_sentence(
    real_cases: None, spanish_client: Client
) -> None:
    case = Case.objects.get(case_id="us-mx-2021-gm-silao")

    shown = timeline(spanish_client, case, spanish=True)
    items = shown.split("<li>")[1:]

    assert len(items) == case.events.filter(corrects__isnull=True).count()
    assert all("General Motors" in item or "Silao" in item for item in items)
    assert "Estados Unidos pidió a México revisar la situación" in text_of_html(shown)


def text_of_html(html: str) -> str:
    class Response:
        content = html.encode()

    return text_of(Response())
