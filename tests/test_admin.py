"""The staff admin: every model is reachable, the timeline stays append-only, rules are versioned."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from petitions.models import Claim, Evidence, Petition, Petitioner
from remediation.models import Panel, PanelVerification, RemediationAction, RemediationPlan
from rrm.choices import Confidence, EventKind, Stage
from rrm.models import (
    CalendarHoliday,
    Case,
    Deadline,
    DeadlineAlert,
    DeadlineRule,
    Notification,
    Subscription,
    TimelineEvent,
    WatchedDateAlert,
    WebhookEndpoint,
)
from tests.factories import CaseFactory, OrganisationFactory, TimelineEventFactory, UserFactory

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("rrm", "petitions", "remediation")
DOMAIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
SERVICE_WRITTEN_MODELS = [
    Deadline,
    DeadlineAlert,
    WatchedDateAlert,
    Notification,
    Subscription,
    WebhookEndpoint,
    Evidence,
]


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_deadline(case: Case, rule: DeadlineRule, **fields: object) -> Deadline:
    values: dict[str, object] = {
        "start_date": dt.date(2024, 3, 4),
        "due_date": dt.date(2024, 3, 14),
        "explanation": {"text": "10 calendar days from 2024-03-04 is 2024-03-14.", "start": "2024-03-04"},
        **fields,
    }
    return Deadline.objects.create(case=case, rule=rule, **values)


def test_it_registers_every_model_of_the_domain_apps() -> None:
    models = {
        model._meta.label
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - {model._meta.label for model in DOMAIN_MODELS} == set()


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_it_lists_every_model_for_staff(admin_client: Client, model: type[Model]) -> None:
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [model for model in DOMAIN_MODELS if model not in SERVICE_WRITTEN_MODELS],
    ids=lambda model: model._meta.label,
)
def test_it_offers_an_add_form_for_models_staff_write(admin_client: Client, model: type[Model]) -> None:
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", SERVICE_WRITTEN_MODELS, ids=lambda model: model._meta.label)
def test_it_refuses_staff_adding_rows_that_only_services_write(
    admin_client: Client, model: type[Model]
) -> None:
    assert admin_client.get(admin_url(model, "add")).status_code == 403


def test_it_searches_cases_by_facility_name(admin_client: Client) -> None:
    CaseFactory(case_id="us-mx-2024-found", facility__name="Planta Fundidora")
    CaseFactory(case_id="us-mx-2024-other", facility__name="Otra Planta")
    response = admin_client.get(admin_url(Case, "changelist"), {"q": "fundidora"})
    assert [case.case_id for case in response.context["cl"].result_list] == ["us-mx-2024-found"]


def test_it_filters_cases_by_stage(admin_client: Client) -> None:
    CaseFactory(case_id="us-mx-2024-review", stage=Stage.MEXICO_REVIEW)
    CaseFactory(case_id="us-mx-2024-submitted", stage=Stage.SUBMITTED)
    response = admin_client.get(admin_url(Case, "changelist"), {"stage__exact": Stage.MEXICO_REVIEW})
    assert [case.case_id for case in response.context["cl"].result_list] == ["us-mx-2024-review"]


def test_it_shows_workflow_fields_of_a_case_read_only(admin_client: Client) -> None:
    case = CaseFactory()
    content = admin_client.get(admin_url(Case, "change", case.pk)).content.decode()
    assert 'name="stage"' not in content and 'name="request_for_review_on"' not in content


def test_it_shows_timeline_deadlines_and_other_apps_rows_on_the_case_page(admin_client: Client) -> None:
    case = CaseFactory()
    content = admin_client.get(admin_url(Case, "change", case.pk)).content.decode()
    groups = ["events", "deadlines", "petitions", "mexico_review", "remediation_plans", "panels"]
    assert [group for group in groups if f'id="{group}-group"' not in content] == []


def test_it_shows_existing_timeline_events_read_only_and_offers_a_new_one(admin_client: Client) -> None:
    event = TimelineEventFactory(description="First note")
    content = admin_client.get(admin_url(Case, "change", event.case.pk)).content.decode()
    assert 'name="events-0-description"' not in content
    assert 'name="events-__prefix__-description"' in content


def test_it_shows_the_deadline_explanation_and_unconfirmed_rules_on_the_case_page(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    case = CaseFactory()
    make_deadline(case, make_rule(code="test-unconfirmed", confidence=Confidence.UNCONFIRMED))
    content = admin_client.get(admin_url(Case, "change", case.pk)).content.decode()
    assert "<p>10 calendar days from 2024-03-04 is 2024-03-14.</p>" in content and "UNCONFIRMED" in content


def test_it_records_a_note_added_on_the_case_page_beside_existing_events(admin_client: Client) -> None:
    earlier = TimelineEventFactory(description="Imported event", case__title="Case with a note")
    case = earlier.case
    page = admin_client.get(admin_url(Case, "change", case.pk))
    data = management_form_data(page.context)
    data.update(
        {
            "facility": str(case.facility.pk),
            "case_id": case.case_id,
            "annex": case.annex,
            "complainant": case.complainant,
            "respondent": case.respondent,
            "initiation": case.initiation,
            "record_basis": case.record_basis,
            "title": case.title,
            "events-1-kind": EventKind.NOTE,
            "events-1-occurred_on": "2024-03-05",
            "events-1-description": "Called the petitioners",
            "events-1-source_note": "phone call",
            "events-TOTAL_FORMS": "2",
        }
    )
    response = admin_client.post(admin_url(Case, "change", case.pk), data)
    assert response.status_code == 302
    assert list(case.events.order_by("id").values_list("description", "recorded_by__username")) == [
        ("Imported event", None),
        ("Called the petitioners", "admin"),
    ]


def management_form_data(context: object) -> dict[str, str]:
    """The management forms of every inline on an admin change page, as a browser would post them."""
    data: dict[str, str] = {}
    for inline in context["inline_admin_formsets"]:  # type: ignore[index]
        management = inline.formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = str(management.initial.get(name, field.initial or ""))
    return data


def test_it_adds_a_timeline_event_through_its_own_admin_with_its_author(admin_client: Client) -> None:
    case = CaseFactory()
    response = admin_client.post(
        admin_url(TimelineEvent, "add"),
        {
            "case": case.pk,
            "kind": EventKind.NOTE,
            "occurred_on": "2024-03-05",
            "description": "Site visit announced",
            "source_url": "https://www.dol.gov/example",
        },
    )
    assert response.status_code == 302
    assert case.events.get().recorded_by.username == "admin"  # type: ignore[union-attr]


def test_it_refuses_a_workflow_step_recorded_by_hand(admin_client: Client) -> None:
    case = CaseFactory()
    admin_client.post(
        admin_url(TimelineEvent, "add"),
        {
            "case": case.pk,
            "kind": EventKind.REQUEST_FOR_REVIEW,
            "occurred_on": "2024-03-05",
            "source_note": "USTR letter",
        },
    )
    assert not case.events.exists()


def test_it_refuses_a_correction_that_names_no_event(admin_client: Client) -> None:
    case = CaseFactory()
    response = admin_client.post(
        admin_url(TimelineEvent, "add"),
        {"case": case.pk, "kind": EventKind.CORRECTION, "occurred_on": "2024-03-05", "source_note": "x"},
    )
    assert "A correction must name the event it corrects." in response.content.decode()


def test_it_refuses_an_event_without_a_source(admin_client: Client) -> None:
    case = CaseFactory()
    response = admin_client.post(
        admin_url(TimelineEvent, "add"),
        {"case": case.pk, "kind": EventKind.NOTE, "occurred_on": "2024-03-05"},
    )
    assert "Give the source" in response.content.decode()


def test_it_refuses_changing_a_timeline_event(admin_client: Client) -> None:
    event = TimelineEventFactory(description="As recorded")
    response = admin_client.post(
        admin_url(TimelineEvent, "change", event.pk),
        {"case": event.case.pk, "kind": EventKind.NOTE, "occurred_on": "2024-03-05", "source_note": "edited"},
    )
    assert response.status_code == 403


def test_it_refuses_deleting_a_timeline_event(admin_client: Client) -> None:
    event = TimelineEventFactory()
    response = admin_client.post(admin_url(TimelineEvent, "delete", event.pk), {"post": "yes"})
    assert response.status_code == 403


def test_it_marks_unconfirmed_rules_in_the_rule_list(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    make_rule(code="test-unconfirmed", confidence=Confidence.UNCONFIRMED)
    response = admin_client.get(admin_url(DeadlineRule, "changelist"), {"q": "test-unconfirmed"})
    assert "UNCONFIRMED" in response.content.decode()


def test_it_shows_confirmed_rules_without_the_unconfirmed_mark(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    make_rule(code="test-confirmed", confidence=Confidence.CONFIRMED)
    response = admin_client.get(admin_url(DeadlineRule, "changelist"), {"q": "test-confirmed"})
    assert "UNCONFIRMED" not in response.content.decode()


def rule_form_data(rule: DeadlineRule, **changes: str) -> dict[str, str]:
    data = {
        "code": rule.code,
        "name": rule.name,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": "",
        "citation": rule.citation,
        "length": str(rule.length),
        "unit": rule.unit,
        "calendar": rule.calendar,
        "start_event": rule.start_event,
        "satisfied_by": '["mexico_accepted"]',
        "roll_forward": rule.roll_forward,
        "confidence": rule.confidence,
        "annex": rule.annex,
        "notes": rule.notes,
    }
    return {**data, **changes}


def test_it_lets_staff_add_a_new_rule_version(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    rule = make_rule(code="test-versioned")
    response = admin_client.post(
        admin_url(DeadlineRule, "add"), rule_form_data(rule, effective_from="2026-01-01", length="12")
    )
    assert response.status_code == 302
    assert list(
        DeadlineRule.objects.filter(code="test-versioned").values_list("effective_from", "length")
    ) == [
        (dt.date(2026, 1, 1), 12),
        (dt.date(2020, 7, 1), 10),
    ]


def test_it_keeps_the_length_of_a_rule_version_that_computed_deadlines(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    rule = make_rule(code="test-in-use")
    make_deadline(CaseFactory(), rule)
    response = admin_client.post(
        admin_url(DeadlineRule, "change", rule.pk), rule_form_data(rule, length="20")
    )
    rule.refresh_from_db()
    assert "already computed deadlines" in response.content.decode() and rule.length == 10


def test_it_moves_an_open_deadline_when_staff_add_a_holiday_on_its_due_date(
    admin_client: Client, make_rule: Callable[..., DeadlineRule]
) -> None:
    rule = make_rule(
        code="test-thirty-days", length=30, roll_forward=DeadlineRule.RollForward.NEXT_BUSINESS_DAY
    )
    deadline = make_deadline(
        CaseFactory(), rule, start_date=dt.date(2021, 5, 10), due_date=dt.date(2021, 6, 9)
    )
    response = admin_client.post(
        admin_url(CalendarHoliday, "add"), {"calendar": "US", "day": "2021-06-09", "name": "Decreed closure"}
    )
    deadline.refresh_from_db()
    assert (response.status_code, deadline.due_date) == (302, dt.date(2021, 6, 10))


def test_it_refuses_deleting_a_holiday_that_may_have_moved_deadlines(admin_client: Client) -> None:
    holiday = CalendarHoliday.objects.create(calendar="MX", day=dt.date(2024, 6, 2), name="Election day")
    response = admin_client.post(admin_url(CalendarHoliday, "delete", holiday.pk), {"post": "yes"})
    assert response.status_code == 403


def test_it_shows_petitioners_claims_and_evidence_on_the_petition_page(admin_client: Client) -> None:
    petition = Petition.objects.create(facility=CaseFactory().facility)
    Petitioner.objects.create(petition=petition, organisation=OrganisationFactory(), role="lead")
    Claim.objects.create(petition=petition, category=Claim.Category.DISMISSAL, description="Fired")
    content = admin_client.get(admin_url(Petition, "change", petition.pk)).content.decode()
    groups = ["petitioners", "claims", "evidence", "screening"]
    assert [group for group in groups if f'id="{group}-group"' not in content] == []


def test_it_shows_actions_on_the_remediation_plan_page(admin_client: Client) -> None:
    plan = RemediationPlan.objects.create(case=CaseFactory(), agreed_on=dt.date(2024, 5, 1))
    RemediationAction.objects.create(plan=plan, kind=RemediationAction.Kind.BACK_PAY, description="Pay 40")
    content = admin_client.get(admin_url(RemediationPlan, "change", plan.pk)).content.decode()
    assert 'id="actions-group"' in content and "Pay 40" in content


def test_it_shows_verifications_on_the_panel_page(admin_client: Client) -> None:
    panel = Panel.objects.create(case=CaseFactory(), requested_on=dt.date(2024, 5, 1))
    PanelVerification.objects.create(panel=panel, requested_on=dt.date(2024, 6, 1), findings="Visited line 3")
    content = admin_client.get(admin_url(Panel, "change", panel.pk)).content.decode()
    assert 'id="verifications-group"' in content and "Visited line 3" in content


def test_it_keeps_the_admin_from_non_staff_users(client: Client) -> None:
    client.force_login(UserFactory(is_staff=False))
    response = client.get(admin_url(Case, "changelist"))
    assert response.status_code == 302


def test_it_keeps_the_kernel_free_of_imports_from_other_apps() -> None:
    kernel = Path(__file__).resolve().parent.parent / "rrm"
    offending = [
        f"{path.name}: {name}"
        for path in kernel.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in {"petitions", "remediation"}
    ]
    assert offending == []


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names
