"""The Atom feeds: valid Atom, the public API's filters and 400s, one case's timeline, the public API's
validators and cache, languages, and nothing confidential."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from public.feeds import FEED_ENTRIES
from rrm.choices import DateBasis, DatePrecision, EventKind, MexicanState
from rrm.models import Case
from tests.api.confidentiality import leaked_markers
from tests.api.world import World
from tests.factories import CaseFactory, FacilityFactory, TimelineEventFactory
from tests.public.conftest import committed
from tests.public.test_confidentiality import marked  # noqa: F401  (the confidentiality world)

pytestmark = pytest.mark.usefixtures("db")
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("feeds:cases", "feeds:events", "feeds:corrections")
# Atom (RFC 4287, 4.1.1 and 4.1.2): what a feed and each of its entries must have.
FEED_ELEMENTS = ("id", "title", "updated", "author/{atom}name")
ENTRY_ELEMENTS = ("id", "title", "updated", "link", "summary")


def atom(response: HttpResponse) -> ET.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def feed_of(client: Client, name: str, **params: str) -> ET.Element:
    return atom(client.get(reverse(name), params))


def case_feed(client: Client, case_id: str, **params: str) -> ET.Element:
    return atom(client.get(reverse("feeds:case-events", kwargs={"case_id": case_id}), params))


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in entries(feed)]


def case_ids(feed: ET.Element) -> list[str]:
    return [title.split(":")[0] for title in titles(feed)]


def missing(element: ET.Element, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if element.find(ATOM + name.format(atom=ATOM)) is None]


@pytest.fixture
def case() -> Case:
    with committed():
        case = CaseFactory(
            case_id="us-mx-2024-planta-norte",
            title="Planta Norte",
            petition_received_on=dt.date(2024, 3, 1),
            facility=FacilityFactory(state=MexicanState.GUA),
        )
        TimelineEventFactory(case=case, kind=EventKind.PETITION_RECEIVED, occurred_on=dt.date(2024, 3, 1))
        wrong = TimelineEventFactory(
            case=case, kind=EventKind.REQUEST_FOR_REVIEW, occurred_on=dt.date(2024, 4, 1)
        )
        TimelineEventFactory(
            case=case,
            kind=EventKind.REQUEST_FOR_REVIEW,
            occurred_on=dt.date(2024, 4, 2),
            corrects=wrong,
            description="The request was sent a day later.",
        )
    return case


def test_it_serves_valid_atom_with_stable_ids_in_every_feed(client: Client, case: Case) -> None:
    feeds = [feed_of(client, name) for name in FEEDS] + [case_feed(client, case.case_id)]

    assert [missing(feed, FEED_ELEMENTS) for feed in feeds] == [[], [], [], []]
    assert [len(entries(feed)) for feed in feeds] == [1, 3, 1, 3]
    ids = [entry.findtext(f"{ATOM}id") or "" for feed in feeds for entry in entries(feed)]
    assert all(identifier.startswith("tag:testserver,2020:") for identifier in ids)
    assert [missing(entry, ENTRY_ELEMENTS) for feed in feeds for entry in entries(feed)] == [[]] * 8
    self_links = [feed.find(f"{ATOM}link[@rel='self']") for feed in feeds]
    assert [link.get("href") for link in self_links if link is not None] == [
        "http://testserver/feeds/cases/",
        "http://testserver/feeds/events/",
        "http://testserver/feeds/corrections/",
        f"http://testserver/cases/{case.case_id}/feed/",
    ]


def test_it_lists_new_cases_newest_first_each_linked_to_its_page(client: Client, case: Case) -> None:
    with committed():
        CaseFactory(case_id="us-mx-2025-later", petition_received_on=dt.date(2025, 1, 10))

    feed = feed_of(client, "feeds:cases")

    assert case_ids(feed) == ["us-mx-2025-later", "us-mx-2024-planta-norte"]
    assert titles(feed)[1] == "us-mx-2024-planta-norte: Planta Norte"
    first = entries(feed)[0]
    assert first.findtext(f"{ATOM}published", "").startswith("2025-01-10")
    link = first.find(f"{ATOM}link")
    # The page in the feed's language (English by default), under its language prefix.
    page = reverse("pages:case-detail", args=["us-mx-2025-later"])
    assert page.startswith("/en/")
    assert link is not None and link.get("href") == f"http://testserver{page}"


def test_it_filters_cases_and_events_like_the_public_lists(client: Client, case: Case) -> None:
    with committed():
        elsewhere = CaseFactory(
            case_id="us-mx-2024-coahuila", facility=FacilityFactory(state=MexicanState.COA)
        )
        TimelineEventFactory(case=elsewhere, kind=EventKind.NOTE)

    assert case_ids(feed_of(client, "feeds:cases", state="COA")) == [elsewhere.case_id]
    assert set(case_ids(feed_of(client, "feeds:cases", state="GUA,COA"))) == {case.case_id, elsewhere.case_id}
    assert case_ids(feed_of(client, "feeds:events", state="COA")) == [elsewhere.case_id]
    assert len(entries(feed_of(client, "feeds:events", kind="request_for_review"))) == 2
    assert len(entries(feed_of(client, "feeds:corrections", case=elsewhere.case_id))) == 0


def test_it_takes_the_lists_filter_syntax_in_every_feed(client: Client, case: Case) -> None:
    with committed():
        elsewhere = CaseFactory(
            case_id="us-mx-2023-nuevo-leon",
            petition_received_on=dt.date(2023, 5, 2),
            facility=FacilityFactory(state=MexicanState.NLE),
        )
        TimelineEventFactory(case=elsewhere, kind=EventKind.NOTE, occurred_on=dt.date(2023, 5, 3))

    both = {case.case_id, elsewhere.case_id}
    assert case_ids(feed_of(client, "feeds:cases", state="Nuevo León")) == [elsewhere.case_id]
    assert (
        set(case_ids(atom(client.get(reverse("feeds:cases"), [("year", "2023"), ("year", "2024")])))) == both
    )
    assert case_ids(feed_of(client, "feeds:cases", company=elsewhere.facility.operator.slug)) == [
        elsewhere.case_id
    ]
    assert case_ids(feed_of(client, "feeds:cases", petition_received_on_before="2023-12-31")) == [
        elsewhere.case_id
    ]
    assert case_ids(feed_of(client, "feeds:events", occurred_on_after="2023-05-03", state="nuevo leon")) == [
        elsewhere.case_id
    ]


@pytest.mark.parametrize(
    ("name", "params", "refused", "naming"),
    [
        ("feeds:cases", {"search": "silao"}, "search", "Valid parameters: annex, case, company"),
        ("feeds:cases", {"state": "Atlantis"}, "state", "Valid values: AGU, BCN"),
        ("feeds:events", {"occurred_on_after": "May 2024"}, "occurred_on_after", "ISO 8601 date"),
        ("feeds:events", {"kind": "party"}, "kind", "petition_filed"),
        ("feeds:events", {"year": "last"}, "year", "whole number"),
        ("feeds:corrections", {"state": "GUA"}, "state", "Valid parameters: case, lang, updated_since."),
        ("feeds:corrections", {"updated_since": "yesterday"}, "updated_since", "date/time"),
        ("feeds:cases", {"lang": "fr"}, "lang", "Valid values: en, es."),
    ],
)
def test_it_refuses_an_unknown_parameter_or_value_naming_the_valid_ones(
    client: Client, name: str, params: dict[str, str], refused: str, naming: str
) -> None:
    response = client.get(reverse(name), params)

    assert response.status_code == 400
    assert list(response.json()) == [refused]
    assert naming in " ".join(response.json()[refused])


def test_it_gives_each_event_its_kind_date_basis_and_source(client: Client, case: Case) -> None:
    with committed():
        TimelineEventFactory(
            case=case,
            kind=EventKind.MEXICO_ACCEPTED,
            occurred_on=dt.date(2024, 5, 1),
            date_precision=DatePrecision.MONTH,
            date_basis=DateBasis.ANNOUNCED,
            source_url="https://ustr.gov/news/accepted",
            description="Mexico agreed to review.",
        )

    newest = entries(case_feed(client, case.case_id))[0]

    assert newest.findtext(f"{ATOM}title") == f"{case.case_id}: Mexico accepted to review"
    summary = newest.findtext(f"{ATOM}summary", "")
    assert "2024-05 (Date the act was made public; it happened then or earlier)" in summary
    assert "Mexico agreed to review." in summary
    related = newest.find(f"{ATOM}link[@rel='related']")
    assert related is not None and related.get("href") == "https://ustr.gov/news/accepted"
    summaries = [entry.findtext(f"{ATOM}summary", "") for entry in entries(case_feed(client, case.case_id))]
    assert ["a later event corrects this one" in text for text in summaries] == [False, False, True, False]


def test_it_serves_one_cases_timeline_and_no_other(client: Client, case: Case) -> None:
    with committed():
        TimelineEventFactory(case=CaseFactory(), kind=EventKind.NOTE)

    feed = case_feed(client, case.case_id)
    unknown = client.get(reverse("feeds:case-events", kwargs={"case_id": "us-mx-1999-none"}))

    assert feed.findtext(f"{ATOM}title") == "Timeline of Planta Norte"
    assert set(case_ids(feed)) == {case.case_id}
    assert unknown.status_code == 404


def test_it_shows_a_new_event_once_it_commits_and_validates_like_the_api(client: Client, case: Case) -> None:
    url = reverse("feeds:events")
    first = client.get(url)
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    with committed():
        TimelineEventFactory(case=case, kind=EventKind.PANEL_REQUESTED, occurred_on=dt.date(2024, 9, 1))
    after = client.get(url)

    assert first["Cache-Control"] == "public, no-cache" and first.has_header("Last-Modified")
    assert unchanged.status_code == 304
    assert after["ETag"] != first["ETag"]
    assert titles(atom(after))[0] == f"{case.case_id}: Panel requested"
    assert len(entries(atom(after))) == len(entries(atom(first))) + 1


def test_it_lists_corrections_newest_first(client: Client, case: Case) -> None:
    feed = feed_of(client, "feeds:corrections")

    (entry,) = entries(feed)
    assert entry.findtext(f"{ATOM}title") == f"{case.case_id}: timeline: request_for_review corrected"
    summary = entry.findtext(f"{ATOM}summary", "")
    assert "2024-04-01" in summary and "2024-04-02" in summary


def test_it_holds_at_most_the_documented_number_of_entries(client: Client, case: Case) -> None:
    with committed():
        TimelineEventFactory.create_batch(FEED_ENTRIES, case=case)

    assert len(entries(feed_of(client, "feeds:events"))) == FEED_ENTRIES


def test_it_titles_feeds_in_the_requested_language(client: Client, case: Case) -> None:
    by_parameter = feed_of(client, "feeds:cases", lang="es")
    by_header = atom(client.get(reverse("feeds:events"), HTTP_ACCEPT_LANGUAGE="es"))
    english = feed_of(client, "feeds:events")

    assert by_parameter.findtext(f"{ATOM}title") == "Casos nuevos"
    assert by_parameter.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert by_header.findtext(f"{ATOM}title") == "Nuevos eventos de la cronología"
    assert english.findtext(f"{ATOM}title") == "New timeline events"
    assert "Petición recibida" in titles(by_header)[-1]


@pytest.mark.usefixtures("generous_budget")
def test_it_shows_nothing_confidential_and_no_draft_in_any_feed(
    client: Client,
    marked: tuple[World, Case],  # noqa: F811
) -> None:
    world, named_case = marked
    urls = [reverse(name) for name in FEEDS] + [
        reverse("feeds:case-events", kwargs={"case_id": case_id})
        for case_id in (world.case.case_id, named_case.case_id)
    ]
    answers = {f"{url}?lang={lang}": client.get(url, {"lang": lang}) for url in urls for lang in ("en", "es")}

    assert {url: answer.status_code for url, answer in answers.items() if answer.status_code != 200} == {}
    assert len(entries(atom(answers[f"{urls[1]}?lang=en"]))) > 3
    leaks = {url: leaked_markers(answer.content.decode()) for url, answer in answers.items()}
    assert {url: found for url, found in leaks.items() if found} == {}


def test_it_links_a_spanish_feed_to_the_spanish_pages(client: Client, case: Case) -> None:
    feed = feed_of(client, "feeds:cases", lang="es")

    link = entries(feed)[0].find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"http://testserver/es/cases/{case.case_id}/"
