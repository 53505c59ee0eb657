"""ETag and Last-Modified on every answer, 304 to a matching conditional request, statistics and pages
served from Redis, and every cached answer dropped once a change to a case commits."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.http import http_date
from rest_framework.test import APIClient

from public import freshness
from rrm import workflow
from rrm.choices import Outcome, Stage
from rrm.models import Case
from tests.factories import CaseFactory
from tests.public.conftest import LISTS, Committing

pytestmark = pytest.mark.usefixtures("imported_cases", "generous_budget")

ENDPOINTS = (
    *LISTS,
    "/api/v1/public/cases/us-mx-2021-tridonex/",
    "/api/v1/public/stats/?group_by=sector",
    "/api/v1/public/export/",
)
STATS = "/api/v1/public/stats/"


def withdrawn_open_outcomes(api: APIClient) -> dict[str, int]:
    outcomes = api.get(STATS).json()["groups"][0]["outcomes"]
    return {code: outcomes[code] for code in (Outcome.WITHDRAWN, Outcome.OPEN)}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_it_answers_304_to_a_request_that_sends_back_the_etag(api: APIClient, path: str) -> None:
    first = api.get(path)

    with CaptureQueriesContext(connection) as captured:
        second = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]
    assert len(captured) == 0


@pytest.mark.parametrize("path", ENDPOINTS)
def test_it_answers_304_to_a_request_not_modified_since_last_modified(api: APIClient, path: str) -> None:
    first = api.get(path)

    second = api.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert second.status_code == 304
    assert "no-cache" in first["Cache-Control"]


def test_it_gives_the_csv_and_the_json_of_a_list_different_etags(api: APIClient) -> None:
    as_json = api.get("/api/v1/public/cases/")
    as_csv = api.get("/api/v1/public/cases/", {"format": "csv"})

    assert as_json["ETag"] != as_csv["ETag"]
    assert as_csv["Content-Type"].startswith("text/csv")


def test_it_serves_statistics_again_from_the_cache_without_a_query(api: APIClient) -> None:
    api.get(STATS, {"group_by": "state"})

    with CaptureQueriesContext(connection) as captured:
        again = api.get(STATS, {"group_by": "state"})

    assert again.status_code == 200
    assert len(captured) == 0


def test_it_computes_statistics_anew_after_a_case_changes_through_the_workflow(
    api: APIClient, committing: Committing
) -> None:
    before = withdrawn_open_outcomes(api)
    old_etag = api.get(STATS)["ETag"]

    with committing():
        workflow.transition(case_id="us-mx-2025-freixenet", action="withdraw", on=dt.date(2025, 11, 20))

    after = withdrawn_open_outcomes(api)
    assert after == {Outcome.WITHDRAWN: before[Outcome.WITHDRAWN] + 1, Outcome.OPEN: before[Outcome.OPEN] - 1}
    assert api.get(STATS, HTTP_IF_NONE_MATCH=old_etag).status_code == 200


def test_it_computes_statistics_anew_after_a_case_is_edited_as_in_the_admin(
    api: APIClient, committing: Committing
) -> None:
    before = api.get(STATS).json()["groups"][0]["n"]

    with committing():
        CaseFactory(stage=Stage.SUBMITTED)

    assert api.get(STATS).json()["groups"][0]["n"] == before + 1


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_cached_answers_when_a_change_rolls_back(api: APIClient) -> None:
    etag = api.get(STATS)["ETag"]

    with pytest.raises(RuntimeError), transaction.atomic():
        case = Case.objects.get(case_id="us-mx-2021-tridonex")
        case.title = "Edited, then rolled back"
        case.save()
        raise RuntimeError("the request failed")

    assert api.get(STATS, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_it_serves_a_cached_page_without_a_query_and_with_the_same_bytes(api: APIClient) -> None:
    first = api.get("/api/v1/public/cases/", {"page_size": 5})

    with CaptureQueriesContext(connection) as captured:
        second = api.get("/api/v1/public/cases/", {"page_size": 5})

    assert second.content == first.content
    assert second["Link"] == first["Link"]
    assert len(captured) == 0


def test_it_gives_a_last_modified_no_earlier_than_the_change(api: APIClient, committing: Committing) -> None:
    moment = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)

    with committing():
        CaseFactory()
    response: Any = api.get("/api/v1/public/cases/")

    last_modified = dt.datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert last_modified.replace(tzinfo=dt.UTC) >= moment
    assert (
        api.get("/api/v1/public/cases/", HTTP_IF_MODIFIED_SINCE=http_date(moment.timestamp() - 1)).status_code
        == 200
    )


def test_it_computes_a_missing_entry_once_while_other_requests_wait_for_it() -> None:
    calls = []

    def slow_statistics() -> list[str]:
        calls.append(threading.get_ident())
        time.sleep(0.3)
        return ["figures"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(
                lambda _: freshness.cached_or_computed("public:test-once", slow_statistics, seconds=60),
                range(4),
            )
        )

    assert answers == [["figures"]] * 4
    assert len(calls) == 1


def test_it_keys_answers_by_the_language_of_their_labels(api: APIClient) -> None:
    english = api.get("/api/v1/public/cases/", HTTP_ACCEPT_LANGUAGE="en")
    spanish = api.get("/api/v1/public/cases/", HTTP_ACCEPT_LANGUAGE="es")

    with translation.override("es"):
        expected = {str(label) for label in dict(Stage.choices).values()}
    assert english["ETag"] != spanish["ETag"]
    assert {row["stage_label"] for row in spanish.json()["results"]} <= expected
    assert "Accept-Language" in spanish["Vary"]


@pytest.mark.parametrize("path", ["/api/v1/public/cases/?page_size=5", "/api/v1/public/export/"])
def test_it_keeps_a_forged_host_out_of_the_links_other_callers_are_served(api: APIClient, path: str) -> None:
    forged = api.get(path, HTTP_HOST="127.0.0.1:6666")
    first = api.get(path)

    with CaptureQueriesContext(connection) as captured:
        again = api.get(path)

    assert b"http://127.0.0.1:6666/" in forged.content, "the forger's own answer links to its own host"
    assert b"127.0.0.1:6666" not in first.content and "127.0.0.1:6666" not in first.get("Link", "")
    assert b"http://testserver/api/v1/public/" in first.content
    assert again.content == first.content and len(captured) == 0, "the real host's answer is still cached"
