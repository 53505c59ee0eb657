"""How many queries a case's endpoints make: a fixed number per request, whatever the case holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.world import World
from tests.factories import TimelineEventFactory

pytestmark = pytest.mark.django_db


def recorders_on_timeline(world: World) -> list[str | None]:
    """Who recorded each event, as a case officer reads the timeline."""
    url = reverse("v1:case-timeline", kwargs={"case_id": world.case.case_id})
    response = world.client("officer").get(url, {"page_size": 100})
    assert response.status_code == 200
    return [event["recorded_by"] for event in response.data["results"]]


def test_it_reads_a_timeline_in_as_many_queries_for_many_events_as_for_one(
    world: World, django_assert_num_queries
) -> None:
    TimelineEventFactory(case=world.case, recorded_by=world.officer)
    with CaptureQueriesContext(connection) as few:
        recorders = recorders_on_timeline(world)
    TimelineEventFactory.create_batch(5, case=world.case, recorded_by=world.officer)
    with django_assert_num_queries(len(few.captured_queries)):
        more_recorders = recorders_on_timeline(world)
    assert more_recorders.count(world.officer.username) == recorders.count(world.officer.username) + 5


def test_it_looks_up_the_case_of_a_case_scoped_request_once(world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        recorders_on_timeline(world)
    case_lookups = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "rrm_case"."id"')
    ]
    assert len(case_lookups) == 1
