"""Anyone follows a public case by e-mail: double opt-in by a signed link, the next event of the case, and
one-click unsubscribe (List-Unsubscribe header and link)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from rrm import workflow
from rrm.choices import Initiation, Stage
from rrm.models import Case, Subscription
from rrm.notifications.subscriptions import CONFIRM_SALT
from tests.factories import CaseFactory
from tests.pages.addresses import in_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture
def case() -> Case:
    case: Case = CaseFactory(stage=Stage.SUBMITTED, initiation=Initiation.PETITION)
    return case


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def follow(
    client: Client, case: Case, email: str, django_capture_on_commit_callbacks: Any, *, spanish: bool = False
) -> Any:
    address = reverse("pages:follow-case", kwargs={"case_id": case.case_id})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(in_spanish(address) if spanish else address, {"email": email})


def record_receipt(case: Case, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case_id=case.case_id, action="record_receipt", on=dt.date(2024, 3, 4))


def test_it_sends_the_next_event_only_once_the_address_is_confirmed(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    asked = follow(client, case, "reader@example.org", django_capture_on_commit_callbacks, spanish=True)
    assert asked.status_code == 200
    (confirmation,) = mail.outbox
    assert confirmation.to == ["reader@example.org"] and "Confirme" in confirmation.subject
    confirm_url = re.search(r"https?://\S+/es/\S*follow/confirm/\S+/", confirmation.body)
    assert confirm_url is not None
    confirmed = client.get(path_of(confirm_url.group(0)))
    assert confirmed.status_code == 200 and Subscription.objects.get().confirmed_at is not None
    record_receipt(case, django_capture_on_commit_callbacks)
    notice = mail.outbox[-1]
    assert notice.to == ["reader@example.org"] and "Petición recibida por la OTLA" in notice.subject
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_sends_nothing_to_an_address_never_confirmed(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    follow(Client(), case, "someone-else@example.org", django_capture_on_commit_callbacks)
    record_receipt(case, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the confirmation only


def test_it_unsubscribes_in_one_click_from_the_header_s_address(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    Subscription.objects.create(
        scope="case",
        case=case,
        email="reader@example.org",
        language="en",
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    record_receipt(case, django_capture_on_commit_callbacks)
    (notice,) = mail.outbox
    unsubscribe = notice.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in notice.body
    answer = Client(enforce_csrf_checks=True).post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and not Subscription.objects.exists()


def test_it_refuses_a_forged_or_expired_confirmation_link(case: Case) -> None:
    subscription = Subscription.objects.create(scope="case", case=case, email="x@example.org", language="en")
    forged = signing.dumps(subscription.pk, salt="another purpose")
    answer = Client().get(reverse("pages:follow-confirm", kwargs={"token": forged}))
    assert answer.status_code == 400 and Subscription.objects.get().confirmed_at is None
    genuine = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    assert Client().get(reverse("pages:follow-confirm", kwargs={"token": genuine})).status_code == 200


def test_it_asks_again_for_an_address_that_is_not_one(case: Case) -> None:
    answer = Client().post(reverse("pages:follow-case", kwargs={"case_id": case.case_id}), {"email": "nope"})
    assert answer.status_code == 400 and not Subscription.objects.exists()


def test_it_links_the_case_s_atom_feed_from_the_follow_box(case: Case) -> None:
    page = Client().get(reverse("pages:case-detail", kwargs={"case_id": case.case_id}))
    assert reverse("feeds:case-events", kwargs={"case_id": case.case_id}) in page.content.decode()
    assert reverse("pages:follow-case", kwargs={"case_id": case.case_id}) in page.content.decode()
