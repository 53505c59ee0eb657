"""A missing object the URL names answers 404; a missing row inside a service is a bug: 500, logged."""

from __future__ import annotations

import json
import logging
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from rrm.models import Deadline
from tests.api.world import World

pytestmark = pytest.mark.django_db


def retitle_case(world: World) -> Any:
    client = world.client("officer")
    client.raise_request_exception = False
    url = reverse("v1:case-detail", kwargs={"case_id": world.case.case_id})
    return client.patch(url, json.dumps({"title": "GM Silao"}), content_type="application/json")


def test_it_answers_500_and_logs_a_row_missing_inside_a_service(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch("rrm.api.views.CaseDetail.update_service", side_effect=Deadline.DoesNotExist("a bug")):
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = retitle_case(world)
    assert response.status_code == 500
    assert any(record.exc_info and record.exc_info[0] is Deadline.DoesNotExist for record in caplog.records)


def test_it_answers_404_for_a_case_the_url_names_that_does_not_exist(world: World) -> None:
    url = reverse("v1:case-timeline", kwargs={"case_id": "us-mx-2024-no-such-case"})
    assert world.client("officer").get(url).status_code == 404
