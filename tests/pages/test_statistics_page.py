"""The statistics page: four charts drawn from the public API's statistics, each with its table and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from public import freshness
from public.statistics import statistics
from rrm.choices import EventKind, Initiation, Outcome, Sector, Stage
from rrm.models import Case, Deadline
from tests.factories import (
    CaseFactory,
    DeadlineFactory,
    DeadlineRuleFactory,
    FacilityFactory,
    TimelineEventFactory,
)
from tests.pages.addresses import in_spanish

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("acceptance-by-year", "outcomes-by-sector", "stage-durations", "clock-compliance")


def chart_spec(html: str, slug: str) -> dict[str, object]:
    match = re.search(rf'<script id="{slug}-data" type="application/json">(.*?)</script>', html, re.S)
    assert match is not None, slug
    return json.loads(match.group(1))


def csv_rows(client: Client, slug: str) -> list[dict[str, str]]:
    response = client.get(reverse("pages:statistics-csv", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_draws_four_charts_each_with_its_table_and_csv_link(real_cases: None, client: Client) -> None:
    html = client.get(reverse("pages:statistics")).content.decode()
    for slug in CHARTS:
        assert f'<canvas data-chart="{slug}" role="img"' in html
        assert f'id="{slug}-caption"' in html
        assert f'href="{reverse("pages:statistics-csv", args=[slug])}"' in html
    assert html.count('src="/static/pages/vendor/chart.umd.min.js"') == 1
    assert "cdn" not in html.lower()


def test_it_charts_the_counts_behind_the_acceptance_rate_with_n_and_the_low_n_flag(
    real_cases: None, client: Client
) -> None:
    by_year = statistics(
        cases=Case.objects.all(),
        deadlines=Deadline.objects.all(),
        group_by="year",
        today=timezone.localdate(),
    )
    spec = chart_spec(client.get(reverse("pages:statistics")).content.decode(), "acceptance-by-year")
    # Each year's bars are the counts behind its rate, named by the year and those counts with the
    # low-n flag: not a rate of 100% year after year that a reader cannot weigh.
    expected = {
        str(group["key"]): (
            [group["acceptance_rate"]["denominator"], group["acceptance_rate"]["numerator"]],
            f"{group['acceptance_rate']['numerator']} of {group['acceptance_rate']['denominator']} "
            f"({round(group['acceptance_rate']['value'] * 100)}%)"
            + (" · low n" if group["acceptance_rate"]["low_n"] else ""),
        )
        for group in by_year
        if group["key"] is not None
    }
    datasets = spec["datasets"]  # type: ignore[index]
    charted = {
        label[0]: ([datasets[0]["data"][index], datasets[1]["data"][index]], label[1])
        for index, label in enumerate(spec["labels"])  # type: ignore[arg-type]
    }
    assert {year: charted[year] for year in expected} == expected
    assert [dataset["label"] for dataset in datasets] == [
        "Petitions with a determination",
        "Requests for review from petitions",
    ]
    assert "percent" not in spec
    rows = csv_rows(client, "acceptance-by-year")
    assert {row["year"]: row["requests_from_petitions"] for row in rows if row["year"]} == {
        str(group["key"]): str(group["acceptance_rate"]["numerator"])
        for group in by_year
        if group["key"] is not None
    }


def test_it_computes_the_acceptance_rate_and_flags_a_low_n(db: None, client: Client) -> None:
    for stage in (Stage.REQUEST_SENT, Stage.MEXICO_REVIEW):
        requested = CaseFactory(
            stage=stage, petition_received_on=dt.date(2023, 2, 1), initiation=Initiation.PETITION
        )
        # Requests for review are counted from their events.
        TimelineEventFactory(
            case=requested, kind=EventKind.REQUEST_FOR_REVIEW, occurred_on=dt.date(2023, 3, 3)
        )
    CaseFactory(
        stage=Stage.ILC_DECLINED,
        outcome=Outcome.ILC_DECLINED,
        petition_received_on=dt.date(2023, 3, 1),
        outcome_date=dt.date(2023, 4, 1),
    )
    (row,) = csv_rows(client, "acceptance-by-year")
    assert row == {
        "year": "2023",
        "label": "2023",
        "petitions_received": "3",
        "petitions_with_determination": "3",
        "requests_from_petitions": "2",
        "acceptance_rate": "0.6667",
        "low_n": "true",
    }
    html = client.get(reverse("pages:statistics")).content.decode()
    table = html.split('id="acceptance-by-year-caption"')[1].split("</table>")[0]
    assert re.search(r">\s*66\.7%\s*</td>\s*<td class=\"number\">\s*yes\s*</td>", table)


def test_it_counts_outcomes_by_sector_with_the_sector_codes_in_the_csv(db: None, client: Client) -> None:
    mining = FacilityFactory(sector=Sector.MINING)
    CaseFactory.create_batch(2, facility=mining, outcome=Outcome.RESOLVED_FACILITY_ACTIONS)
    CaseFactory(facility=FacilityFactory(sector=""), outcome=Outcome.OPEN)
    rows = {row["sector"]: row for row in csv_rows(client, "outcomes-by-sector")}
    assert rows["mining"]["resolved_facility_actions"] == "2" and rows["mining"]["cases"] == "2"
    assert rows[""]["label"] == "Sector not reported" and rows[""]["open"] == "1"
    assert set(rows["mining"]) == {"sector", "label", "cases", "resolved_facility_actions", "open"}


def test_it_shows_clock_compliance_per_rule_and_marks_an_unconfirmed_rule(db: None, client: Client) -> None:
    guessed = DeadlineRuleFactory(code="guessed-clock", name="Guessed clock", confidence="U")
    for days_late in (0, 0, 4):
        DeadlineFactory(
            rule=guessed,
            status=Deadline.Status.LATE if days_late else Deadline.Status.MET,
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2024, 1, 10),
            satisfied_on=dt.date(2024, 1, 10) + dt.timedelta(days=days_late),
            days_late=days_late,
        )
    rows = {row["clock"]: row for row in csv_rows(client, "clock-compliance")}
    assert rows["guessed-clock"]["label"] == "Guessed clock (unconfirmed rule)"
    assert (rows["guessed-clock"]["met"], rows["guessed-clock"]["late"]) == ("2", "1")
    assert rows["guessed-clock"]["compliance_rate"] == "0.6667"


def test_it_names_the_chart_groups_and_series_in_spanish(real_cases: None, spanish_client: Client) -> None:
    html = spanish_client.get(in_spanish(reverse("pages:statistics"))).content.decode()
    assert "Aceptación a lo largo del tiempo" in html
    assert "Manufactura" in chart_spec(html, "outcomes-by-sector")["labels"]  # type: ignore[operator]
    assert chart_spec(html, "stage-durations")["valueAxis"] == "Días"
    assert (
        spanish_client.get(in_spanish(reverse("pages:statistics-csv", args=["outcomes-by-sector"])))
        .content.decode()
        .startswith("sector,label,cases,")
    )


def test_it_says_when_there_is_nothing_to_chart(db: None, client: Client) -> None:
    html = client.get(reverse("pages:statistics")).content.decode()
    assert html.count("No case in the record has the figures this chart needs.") == len(CHARTS)


@pytest.mark.parametrize("slug", ["unknown-chart", "home"])
def test_it_answers_404_for_a_csv_of_no_chart(db: None, client: Client, slug: str) -> None:
    assert client.get(reverse("pages:statistics", args=[]) + f"{slug}.csv").status_code == 404


def test_it_serves_the_charts_from_the_cache_until_the_data_version_changes(db: None, client: Client) -> None:
    mining = FacilityFactory(sector=Sector.MINING)
    CaseFactory(facility=mining)
    assert client.get(reverse("pages:statistics")).status_code == 200
    CaseFactory(facility=mining)
    with CaptureQueriesContext(connection) as captured:
        cached = csv_rows(client, "outcomes-by-sector")
    assert {row["sector"]: row["cases"] for row in cached} == {"mining": "1"}
    # Only the request's own savepoint (ATOMIC_REQUESTS) reaches the database.
    assert all(
        query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for query in captured.captured_queries
    )
    freshness.bump_version()  # what public.signals does once a change to the record commits
    assert {row["sector"]: row["cases"] for row in csv_rows(client, "outcomes-by-sector")} == {"mining": "2"}


def test_it_names_each_duration_bar_with_its_n_and_the_low_n_flag(real_cases: None, client: Client) -> None:
    spec = chart_spec(client.get(reverse("pages:statistics")).content.decode(), "stage-durations")
    rows = csv_rows(client, "stage-durations")

    assert spec["labels"] == [
        [row["label"], f"n = {row['cases']}" + (" · low n" if row["low_n"] == "true" else "")] for row in rows
    ]


@pytest.mark.parametrize("slug", CHARTS)
def test_it_offers_each_chart_as_an_svg_drawn_from_its_figures_with_nothing_to_fetch(
    real_cases: None, client: Client, slug: str
) -> None:
    html = client.get(reverse("pages:statistics")).content.decode()
    spec = chart_spec(html, slug)
    address = reverse("pages:statistics-svg", args=[slug])

    response = client.get(address)
    svg = ElementTree.fromstring(response.content)
    texts = " ".join(" ".join(element.itertext()) for element in svg.iter(f"{SVG}text"))

    assert f'href="{address}"' in html
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="rrm-{slug}.svg"'
    assert len(list(svg.iter(f"{SVG}rect"))) > len(spec["datasets"])  # type: ignore[arg-type]
    for label in spec["labels"]:  # type: ignore[attr-defined]
        for part in label if isinstance(label, list) else [label]:
            assert all(word in texts for word in part.split()), part
    assert not re.search(r"(?:href|src)=", response.content.decode())


def test_it_offers_a_png_of_each_chart_once_the_browser_drew_it(real_cases: None, client: Client) -> None:
    html = client.get(reverse("pages:statistics")).content.decode()

    for slug in CHARTS:
        assert re.search(rf'<button type="button" class="link-button" data-png-of="{slug}" hidden>', html)
