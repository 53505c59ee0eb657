"""Nothing internal reaches the public: no page of a real case, no public API answer, feed or export file
cites the project's research notes (process.md, docs/…, source tags like [S52] or [C]) or the compiler's
shorthand for the cases file ("workers_covered = …", "wide row", "seed"); each fact cites its public source.
The import's provenance tag of a fact ("import: cases.csv line 7") names the shipped file, and stays."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from public.export import write_export
from rrm.models import Case, Company, Facility
from tests.realcases.conftest import on_pair

pytestmark = [pytest.mark.usefixtures("imported"), on_pair("data")]

INTERNAL = re.compile(
    r"process\.md|docs/|\w\.md\b|\[(?:[CSU]|S\d+)\]|\bwide row\b|\bseed\b|\bnotes only\b|\bcolumn\b"
    r"|\b(?:workers_covered|backpay_usd) (?:=|is)|\bilc_request\w* column|§\s?\d+ row",
    re.IGNORECASE,
)


def markers(text: str) -> list[str]:
    return [text[max(0, found.start() - 60) : found.end() + 20] for found in INTERNAL.finditer(text)]


def strings_of(value: Any) -> Iterator[str]:
    """Every string value of a JSON answer (its field names are the API's, not text it publishes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def published_text(answer: HttpResponse) -> str:
    if answer["Content-Type"].startswith("application/json"):
        return "\n".join(strings_of(answer.json()))  # type: ignore[attr-defined]
    return answer.content.decode()


def cells(path: Path) -> str:
    """The values of an exported CSV file, without its header of column names."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return "\n".join(cell for row in rows[1:] for cell in row)


def page_addresses(language: str) -> list[str]:
    with translation.override(language):
        return [
            reverse("pages:home"),
            reverse("pages:case-list"),
            reverse("pages:statistics"),
            *(
                reverse("pages:case-detail", args=[case_id])
                for case_id in Case.objects.values_list("case_id", flat=True)
            ),
            *(
                reverse("pages:facility-detail", args=[pk])
                for pk in Facility.objects.values_list("pk", flat=True)
            ),
            *(
                reverse("pages:company-detail", args=[pk])
                for pk in Company.objects.values_list("pk", flat=True)
            ),
        ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_shows_no_internal_marker_on_any_page_of_the_real_cases(client: Client, language: str) -> None:
    found = {url: markers(client.get(url).content.decode()) for url in page_addresses(language)}

    assert {url: shown for url, shown in found.items() if shown} == {}


def test_it_gives_no_internal_marker_in_the_public_api_or_the_feeds(api: APIClient) -> None:
    addresses = [
        "/api/v1/public/cases/?page_size=1000",
        "/api/v1/public/events/?page_size=1000",
        "/api/v1/public/stats/",
        reverse("feeds:events"),
        *(f"/api/v1/public/cases/{case_id}/" for case_id in Case.objects.values_list("case_id", flat=True)),
        *(f"/api/v1/public/facilities/{pk}/" for pk in Facility.objects.values_list("pk", flat=True)),
        *(f"/api/v1/public/companies/{pk}/" for pk in Company.objects.values_list("pk", flat=True)),
    ]
    answers = {address: api.get(address) for address in addresses}
    found = {address: markers(published_text(answer)) for address, answer in answers.items()}

    assert {address: answer.status_code for address, answer in answers.items()} == dict.fromkeys(
        addresses, 200
    )
    assert {address: shown for address, shown in found.items() if shown} == {}


def test_it_exports_no_internal_marker(tmp_path: Path) -> None:
    write_export(tmp_path / "marker-export")
    found = {path.name: markers(cells(path)) for path in (tmp_path / "marker-export").glob("*.csv")}

    assert {name: shown for name, shown in found.items() if shown} == {}
