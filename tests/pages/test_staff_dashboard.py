"""The staff dashboard: open deadlines overdue and due within the week, across every case."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rrm.models import Deadline
from tests.factories import DeadlineFactory, DeadlineRuleFactory, UserFactory


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def linked_cases(html: str) -> list[str]:
    return re.findall(r'href="/en/cases/([a-z0-9-]+)/"', html)


def test_it_sends_a_signed_out_visitor_to_the_login_page(db: None, client: Client) -> None:
    response = client.get(reverse("pages:staff-dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={reverse('pages:staff-dashboard')}"


def test_it_refuses_a_signed_in_user_who_is_not_staff(db: None, client: Client) -> None:
    client.force_login(UserFactory(is_staff=False))
    assert client.get(reverse("pages:staff-dashboard")).status_code == 403


def test_it_lists_overdue_deadlines_and_those_due_this_week_each_linked_to_its_case(
    db: None, client: Client
) -> None:
    today = timezone.localdate()
    overdue = DeadlineFactory(due_date=today - dt.timedelta(days=3), case__case_id="overdue-case")
    due_today = DeadlineFactory(due_date=today, case__case_id="due-today-case")
    end_of_week = DeadlineFactory(due_date=today + dt.timedelta(days=6), case__case_id="end-of-week-case")
    DeadlineFactory(due_date=today + dt.timedelta(days=7), case__case_id="next-week-case")
    DeadlineFactory(
        due_date=today - dt.timedelta(days=1),
        status=Deadline.Status.MET,
        satisfied_on=today - dt.timedelta(days=2),
        case__case_id="met-case",
    )
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("pages:staff-dashboard")).content.decode()
    assert linked_cases(section(html, "overdue-heading")) == [overdue.case.case_id]
    assert linked_cases(section(html, "week-heading")) == [due_today.case.case_id, end_of_week.case.case_id]
    assert "Open: overdue by 3 days" in section(html, "overdue-heading")
    assert "next-week-case" not in html and "met-case" not in html


def test_it_flags_an_unconfirmed_rule_on_the_dashboard(db: None, client: Client) -> None:
    DeadlineFactory(
        due_date=timezone.localdate(), rule=DeadlineRuleFactory(confidence="U", name="Guessed clock")
    )
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("pages:staff-dashboard")).content.decode()
    assert re.search(r"Guessed clock <span class=\"badge badge-unconfirmed\">Unconfirmed rule</span>", html)


def test_it_shows_the_dashboard_link_to_staff_only(db: None, client: Client) -> None:
    link = f'href="{reverse("pages:staff-dashboard")}"'
    assert link not in client.get(reverse("pages:home")).content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert link in client.get(reverse("pages:home")).content.decode()
