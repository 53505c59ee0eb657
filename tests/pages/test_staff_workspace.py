"""The staff workspace: the work queue page and its CSV, and a case's staff page, whose forms offer only
the steps the transition table allows, preview what a step does to the clocks, and record it through the
API's services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from remediation.models import RemediationAction, RemediationPlan
from rrm import workflow
from rrm.choices import EventKind
from rrm.models import Case, Deadline, TimelineEvent
from rrm.work_queue import QUEUE_COLUMNS, QueueKind
from tests.api.world import ON, World, build_world
from tests.factories import DeadlineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


@pytest.fixture
def officer(world: World) -> Client:
    client = Client()
    client.force_login(world.officer)
    return client


def case_url(world: World) -> str:
    return reverse("pages:staff-case", args=[world.case.case_id])


def step(client: Client, world: World, action: str, on: dt.date, *, commit: bool, **extra: str) -> Any:
    body = {"form": "step", "step-action": action, "step-on": on.isoformat(), **extra}
    if commit:
        body["commit"] = "1"
    return client.post(case_url(world), body)


def section(html: str, kind: str) -> str:
    return html.split(f'id="queue-{kind}"')[1].split("</section>")[0]


def sent(prefix: str, **values: str) -> dict[str, str]:
    """The body of the case page's form `prefix` with these values."""
    return {"form": prefix, **{f"{prefix}-{name}": value for name, value in values.items()}}


def offered_steps(html: str) -> list[str]:
    return re.findall(r'name="step-action" value="([a-z_]+)"', html)


def open_clocks(case: Case) -> set[tuple[str, dt.date]]:
    return set(Deadline.objects.filter(case=case, status="open").values_list("rule__code", "due_date"))


# --- Access --------------------------------------------------------------------------------------------


def test_it_sends_a_signed_out_visitor_to_the_sign_in_page(db: None, client: Client) -> None:
    response = client.get(reverse("pages:staff-queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next=")


def test_it_refuses_staff_outside_the_case_officers_group(world: World, client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("pages:staff-queue")).status_code == 403
    assert client.get(case_url(world)).status_code == 403


def test_it_redirects_the_old_dashboard_address_to_the_queue_with_its_query(db: None, client: Client) -> None:
    response = client.get(reverse("pages:staff-dashboard") + "?days=14")
    assert response.status_code == 301
    assert response["Location"] == reverse("pages:staff-queue") + "?days=14"


def test_it_shows_the_queue_link_to_case_officers_only(world: World, client: Client) -> None:
    queue = f'href="{reverse("pages:staff-queue")}"'
    client.force_login(UserFactory(is_staff=True))
    assert queue not in client.get(reverse("pages:home")).content.decode()
    client.force_login(world.officer)
    assert queue in client.get(reverse("pages:home")).content.decode()


# --- The queue -----------------------------------------------------------------------------------------


def test_it_lists_each_kind_of_work_with_the_window_the_officer_chose(world: World, officer: Client) -> None:
    today = timezone.localdate()
    in_ten = DeadlineFactory(due_date=today + dt.timedelta(days=9), case__case_id="us-mx-2024-in-ten")
    html_week = officer.get(reverse("pages:staff-queue")).content.decode()
    html_ten = officer.get(reverse("pages:staff-queue"), {"days": "10"}).content.decode()

    assert in_ten.case.case_id not in section(html_week, "due") and in_ten.case.case_id in section(
        html_ten, "due"
    )
    assert reverse("pages:staff-case", args=[world.case.case_id]) in html_week
    for kind in QueueKind:
        assert f'id="queue-{kind.value}"' in html_week


def test_it_downloads_the_queue_as_csv_with_the_page_filters(world: World, officer: Client) -> None:
    today = timezone.localdate()
    DeadlineFactory(due_date=today + dt.timedelta(days=1), case__case_id="us-mx-2024-soon")

    response = officer.get(reverse("pages:staff-queue-csv"), {"kind": "due"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["case_id"] for row in rows] == ["us-mx-2024-soon"]
    assert list(rows[0]) == list(QUEUE_COLUMNS)


def test_it_answers_a_bad_filter_with_the_valid_values(world: World, officer: Client) -> None:
    page = officer.get(reverse("pages:staff-queue"), {"kind": "everything"}).content.decode()
    download = officer.get(reverse("pages:staff-queue-csv"), {"kind": "everything"})

    assert "awaiting_mexico" in page and download.status_code == 400
    assert all(kind in download.content.decode() for kind in QueueKind.values)


# --- Steps ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["submitted", "ilc_review", "request_sent", "remediation_in_progress"])
def test_it_offers_exactly_the_steps_the_transition_table_allows(
    world: World, officer: Client, stage: str
) -> None:
    world.advance(stage)

    html = officer.get(case_url(world)).content.decode()

    assert offered_steps(html) == workflow.allowed_actions(world.case)


def test_it_previews_a_step_without_writing_anything(world: World, officer: Client) -> None:
    response = step(officer, world, "record_receipt", ON["receipt"], commit=False)

    assert response.status_code == 200
    assert "Before you record it" in response.content.decode()
    assert world.event_kinds() == [EventKind.PETITION_FILED]  # the filing only, nothing written
    assert Case.objects.get(pk=world.case.pk).stage == "submitted"


@pytest.mark.parametrize(
    ("stage", "action", "on"),
    [
        ("submitted", "record_receipt", ON["receipt"]),
        ("ilc_review", "request_review", ON["request"]),
        ("request_sent", "mexico_declines", ON["response"]),
        ("mexico_review", "finding_denial", ON["finding"]),
    ],
)
def test_it_records_what_the_preview_showed(
    world: World, officer: Client, stage: str, action: str, on: dt.date
) -> None:
    world.advance(stage)
    existing = Deadline.objects.filter(case=world.case)
    before, open_before = set(existing.values_list("pk", flat=True)), set(existing.filter(status="open"))
    preview = workflow.preview_transition(case_id=world.case.case_id, action=action, on=on)

    response = step(officer, world, action, on, commit=True)

    assert response.status_code == 302
    rows = Deadline.objects.filter(case=world.case)
    ended = rows.filter(pk__in=[d.pk for d in open_before]).exclude(status="open")
    stopped = {(d.pk, d.status, d.satisfied_on) for d in ended}
    assert stopped == {(s.deadline.pk, s.verdict, s.on) for s in preview.stops} | {
        (d.pk, "cancelled", None) for d in preview.cancels
    }
    started = {(d.rule.code, d.due_date) for d in rows.exclude(pk__in=before)}
    assert started == {(s.rule.code, s.due) for s in preview.starts}
    assert Case.objects.get(pk=world.case.pk).stage == preview.target


def test_it_shows_the_clocks_a_step_stops_and_starts_before_it_is_recorded(
    world: World, officer: Client
) -> None:
    world.advance("ilc_review")

    html = step(officer, world, "request_review", ON["request"], commit=False).content.decode()

    stops = html.split('class="preview-stops"')[1].split("</ul>")[0]
    starts = html.split('class="preview-starts"')[1].split("</ul>")[0]
    assert "ILC" in stops and "Met" in stops
    assert starts.count("<li>") == 2  # Mexico's 10-day answer and 45-day review


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (ON["filed"] - dt.timedelta(days=1), "before the filing of the petition"),
        (timezone.localdate() + dt.timedelta(days=1), "is in the future"),
    ],
)
def test_it_refuses_a_step_date_on_its_field_and_writes_nothing(
    world: World, officer: Client, on: dt.date, message: str
) -> None:
    response = step(officer, world, "record_receipt", on, commit=True)

    assert response.status_code == 400 and message in response.content.decode()
    assert world.event_kinds() == [EventKind.PETITION_FILED]  # the filing only, nothing written


def test_it_refuses_a_step_dated_before_the_previous_one(world: World, officer: Client) -> None:
    world.advance("ilc_review")

    response = step(officer, world, "request_review", ON["receipt"] - dt.timedelta(days=1), commit=True)

    assert response.status_code == 400 and "before the case&#x27;s latest event" in response.content.decode()


def test_it_records_the_ilc_determination_and_opens_mexicos_review(world: World, officer: Client) -> None:
    world.advance("ilc_review")

    step(officer, world, "request_review", ON["request"], commit=True, **{"step-description": "Sufficient."})

    world.petition.refresh_from_db()
    assert world.petition.screening.determination == "sufficient"
    assert world.case.mexico_review.requested_on == ON["request"]


def test_it_records_a_panel_step_on_the_latest_panel(world: World, officer: Client) -> None:
    world.advance("panel_requested")

    response = step(officer, world, "constitute_panel", ON["constituted"], commit=True)

    assert response.status_code == 302
    assert world.panel().constituted_on == ON["constituted"]
    assert Case.objects.get(pk=world.case.pk).stage == "panel_constituted"


# --- Remediation, extensions, suspensions --------------------------------------------------------------


def test_it_settles_the_plan_when_remediation_completes_and_the_public_page_agrees(
    world: World, officer: Client
) -> None:
    world.advance("remediation_in_progress")

    step(officer, world, "complete_remediation", dt.date(2024, 9, 2), commit=True)

    assert RemediationPlan.objects.get(case=world.case).status == "completed"
    public = Client().get(reverse("pages:case-detail", args=[world.case.case_id])).content.decode()
    assert "In progress" not in public


def test_it_adds_progresses_and_verifies_a_remediation_action(world: World, officer: Client) -> None:
    world.advance("remediation_in_progress")
    plan = world.plan()
    url = case_url(world)

    officer.post(url, sent(f"newaction-{plan.pk}", kind="back_pay", due_on="2024-07-15"))
    action = RemediationAction.objects.get(plan=plan, kind="back_pay")
    officer.post(url, sent(f"progress-{action.pk}", status="done", completed_on="2024-07-10"))
    early = officer.post(url, sent(f"verify-{action.pk}", verified_on="2024-07-01", verified_by="CFCRL"))
    officer.post(url, sent(f"verify-{action.pk}", verified_on="2024-07-12", verified_by="CFCRL"))

    action.refresh_from_db()
    assert early.status_code == 400
    assert (action.status, action.completed_on, action.verified_on) == (
        "verified",
        dt.date(2024, 7, 10),
        dt.date(2024, 7, 12),
    )


def test_it_extends_a_clock_with_its_reason(world: World, officer: Client) -> None:
    world.advance("request_sent")
    deadline = Deadline.objects.filter(case=world.case, status="open").order_by("due_date").first()
    assert deadline is not None
    due = deadline.due_date
    reason = "Agreed by the Parties."
    body = sent(
        "extension", deadline_id=str(deadline.pk), days="5", on=ON["request"].isoformat(), reason=reason
    )

    assert officer.post(case_url(world), {**body, "extension-reason": ""}).status_code == 400
    assert officer.post(case_url(world), body).status_code == 302

    deadline.refresh_from_db()
    assert deadline.due_date > due and deadline.explanation["extension_days"] == 5
    assert TimelineEvent.objects.filter(case=world.case, kind="extension_agreed", description=reason).exists()


def test_it_suspends_every_open_clock_and_refuses_an_end_before_the_start(
    world: World, officer: Client
) -> None:
    world.advance("request_sent")
    before = open_clocks(world.case)
    body = sent("suspension", start="2024-04-03", end="2024-04-05", reason="Strike.")

    refused = officer.post(case_url(world), {**body, "suspension-end": "2024-04-01"})
    assert refused.status_code == 400 and open_clocks(world.case) == before
    assert officer.post(case_url(world), body).status_code == 302

    after = dict(open_clocks(world.case))
    assert after.keys() == dict(before).keys()
    assert all(after[code] > due for code, due in before)
