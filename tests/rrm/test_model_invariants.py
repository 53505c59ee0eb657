"""The database itself refuses impossible case records, whatever code path writes them.

Rows are written with `.objects.create`, `.update` or raw SQL, which skip model validation, so only
the PostgreSQL constraints and triggers stand in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection

from rrm import models
from rrm.choices import Initiation
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    FacilityFactory,
    OrganisationFactory,
    TimelineEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MakeRule = Callable[..., models.DeadlineRule]


def make_deadline(rule: models.DeadlineRule, **fields: object) -> models.Deadline:
    values: dict[str, object] = {
        "case": CaseFactory(),
        "start_date": dt.date(2024, 3, 4),
        "due_date": dt.date(2024, 3, 14),
        **fields,
    }
    return models.Deadline.objects.create(rule=rule, **values)


def make_endpoint() -> models.WebhookEndpoint:
    return models.WebhookEndpoint.objects.create(
        organisation=OrganisationFactory(), url="https://hooks.example.org/rrm", secret_salt="salt"
    )


def test_it_refuses_two_companies_whose_names_differ_only_in_case() -> None:
    CompanyFactory(name="Teksid Hierro de México")
    with pytest.raises(IntegrityError, match="company_unique_name_ci"):
        CompanyFactory(name="TEKSID HIERRO DE MÉXICO")


def test_it_refuses_a_company_that_is_its_own_parent() -> None:
    company = CompanyFactory()
    with pytest.raises(IntegrityError, match="company_not_own_parent"):
        type(company).objects.filter(pk=company.pk).update(parent=company)


def test_it_refuses_two_facilities_of_one_operator_whose_names_differ_only_in_case() -> None:
    operator = CompanyFactory()
    FacilityFactory(operator=operator, name="Planta Silao")
    with pytest.raises(IntegrityError, match="facility_unique_identity"):
        FacilityFactory(operator=operator, name="PLANTA SILAO")


def test_it_allows_facilities_of_the_same_name_run_by_different_operators() -> None:
    FacilityFactory(name="Planta Norte")
    FacilityFactory(name="Planta Norte")
    assert models.Facility.objects.filter(name="Planta Norte").count() == 2


def test_it_refuses_a_negative_headcount() -> None:
    facility = FacilityFactory()
    with pytest.raises(IntegrityError, match="headcount"), connection.cursor() as cursor:
        cursor.execute("UPDATE rrm_facility SET headcount = -1 WHERE id = %s", [facility.pk])


def test_it_refuses_two_organisations_whose_names_differ_only_in_case() -> None:
    OrganisationFactory(name="Los Mineros")
    with pytest.raises(IntegrityError, match="organisation_unique_name_ci"):
        OrganisationFactory(name="los mineros")


@pytest.mark.parametrize(
    ("factory", "field", "constraint"),
    [
        (FacilityFactory, "state", "facility_state_of_its_country"),
        (FacilityFactory, "country", "facility_country_valid"),
        (FacilityFactory, "sector", "facility_sector_valid"),
        (FacilityFactory, "subsector", "facility_subsector_valid"),
        (OrganisationFactory, "kind", "organisation_kind_valid"),
        (CaseFactory, "outcome", "case_outcome_in_vocabulary"),
        (CaseFactory, "stage", "case_stage_valid"),
        (CaseFactory, "annex", "case_annex_valid"),
        (CaseFactory, "initiation", "case_initiation_valid"),
    ],
)
def test_it_refuses_a_value_outside_its_vocabulary(
    factory: Callable[..., object], field: str, constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        factory(**{field: "ZZ"})


def test_it_refuses_two_cases_with_the_same_public_identifier() -> None:
    CaseFactory(case_id="us-mx-2021-gm-silao")
    with pytest.raises(IntegrityError, match="case_id"):
        CaseFactory(case_id="us-mx-2021-gm-silao")


def test_it_refuses_liquidation_resumed_before_it_was_suspended() -> None:
    with pytest.raises(IntegrityError, match="case_liquidation_resumes_after_suspension"):
        CaseFactory(liquidation_suspended_on=dt.date(2024, 5, 10), liquidation_resumed_on=dt.date(2024, 5, 9))


def test_it_refuses_liquidation_resumed_without_a_suspension() -> None:
    with pytest.raises(IntegrityError, match="case_liquidation_resumes_after_suspension"):
        CaseFactory(liquidation_resumed_on=dt.date(2024, 5, 9))


def test_it_refuses_a_request_for_review_before_the_petition_was_received() -> None:
    with pytest.raises(IntegrityError, match="case_request_not_before_receipt"):
        CaseFactory(petition_received_on=dt.date(2024, 5, 10), request_for_review_on=dt.date(2024, 5, 9))


def test_it_refuses_a_self_initiated_case_with_a_petition_date() -> None:
    with pytest.raises(IntegrityError, match="case_self_initiated_has_no_petition"):
        CaseFactory(initiation=Initiation.SELF_INITIATED, petition_received_on=dt.date(2024, 5, 10))


def test_it_refuses_negative_back_pay() -> None:
    with pytest.raises(IntegrityError, match="case_backpay_not_negative"):
        CaseFactory(backpay_usd=-1)


def test_it_refuses_invocation_number_zero() -> None:
    with pytest.raises(IntegrityError, match="case_invocation_positive"):
        CaseFactory(ustr_invocation_no=0)


def test_it_refuses_two_cases_with_the_same_invocation_number_under_one_annex() -> None:
    CaseFactory(ustr_invocation_no=7)
    with pytest.raises(IntegrityError, match="case_unique_invocation_no"):
        CaseFactory(ustr_invocation_no=7)


def test_it_refuses_a_document_with_neither_address_nor_file() -> None:
    with pytest.raises(IntegrityError, match="document_has_url_or_file"):
        models.Document.objects.create(case=CaseFactory(), title="Letter")


def test_it_refuses_a_document_language_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="document_language_valid"):
        models.Document.objects.create(
            case=CaseFactory(), title="Letter", url="https://ustr.gov/x", language="fr"
        )


def test_it_refuses_a_timeline_event_kind_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="event_kind_valid"):
        TimelineEventFactory(kind="rumour")


def test_it_refuses_a_timeline_event_without_a_source() -> None:
    with pytest.raises(IntegrityError, match="event_has_source"):
        TimelineEventFactory(source_note="", source_url="")


def test_it_refuses_an_update_of_a_timeline_event() -> None:
    event = TimelineEventFactory()
    with pytest.raises(IntegrityError, match="append-only"):
        models.TimelineEvent.objects.filter(pk=event.pk).update(description="rewritten")


def test_it_refuses_a_delete_of_a_timeline_event() -> None:
    event = TimelineEventFactory()
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM rrm_timelineevent WHERE id = %s", [event.pk])


def test_it_refuses_two_rule_versions_with_the_same_code_and_start(make_rule: MakeRule) -> None:
    make_rule(code="mexico-answer")
    with pytest.raises(IntegrityError, match="rule_unique_version"):
        make_rule(code="mexico-answer")


def test_it_refuses_a_rule_of_zero_days(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="rule_length_positive"):
        make_rule(length=0)


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("unit", "rule_unit_valid"),
        ("calendar", "rule_calendar_valid"),
        ("roll_forward", "rule_roll_forward_valid"),
        ("confidence", "rule_confidence_valid"),
    ],
)
def test_it_refuses_a_rule_value_outside_its_vocabulary(
    make_rule: MakeRule, field: str, constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make_rule(**{field: "Z"})


def test_it_refuses_a_rule_version_that_ends_before_it_starts(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="rule_effective_range_ordered"):
        make_rule(effective_from=dt.date(2024, 1, 1), effective_to=dt.date(2023, 12, 31))


def test_it_refuses_a_deadline_due_before_it_starts(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="deadline_due_not_before_start"):
        make_deadline(make_rule(), due_date=dt.date(2024, 3, 3))


def test_it_refuses_a_deadline_status_outside_the_vocabulary(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="deadline_status_valid"):
        make_deadline(make_rule(), status="forgotten")


def test_it_refuses_a_met_deadline_without_the_date_it_was_met(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="deadline_settled_has_date"):
        make_deadline(make_rule(), status=models.Deadline.Status.MET)


def test_it_refuses_two_open_deadlines_of_one_rule_on_one_case(make_rule: MakeRule) -> None:
    first = make_deadline(make_rule())
    with pytest.raises(IntegrityError, match="deadline_one_open_per_rule"):
        make_deadline(first.rule, case=first.case)


def test_it_allows_a_new_open_deadline_once_the_previous_one_was_cancelled(make_rule: MakeRule) -> None:
    first = make_deadline(make_rule(), status=models.Deadline.Status.CANCELLED)
    make_deadline(first.rule, case=first.case)
    assert first.case.deadlines.count() == 2


def test_it_refuses_the_same_holiday_twice_in_one_calendar() -> None:
    models.CalendarHoliday.objects.create(calendar="MX", day=dt.date(2024, 6, 2), name="Election day")
    with pytest.raises(IntegrityError, match="holiday_unique_day"):
        models.CalendarHoliday.objects.create(
            calendar="MX", day=dt.date(2024, 6, 2), name="Jornada electoral"
        )


def test_it_refuses_a_holiday_calendar_outside_the_vocabulary() -> None:
    with pytest.raises(IntegrityError, match="holiday_calendar_valid"):
        models.CalendarHoliday.objects.create(calendar="GT", day=dt.date(2024, 9, 15), name="Independencia")


def test_it_refuses_a_user_watching_one_case_twice() -> None:
    watch = models.CaseWatch.objects.create(case=CaseFactory(), user=UserFactory())
    with pytest.raises(IntegrityError, match="watch_once_per_user"):
        models.CaseWatch.objects.create(case=watch.case, user=watch.user)


def test_it_refuses_one_organisation_registering_the_same_webhook_address_twice() -> None:
    endpoint = make_endpoint()
    with pytest.raises(IntegrityError, match="webhook_unique_url"):
        models.WebhookEndpoint.objects.create(
            organisation=endpoint.organisation, url=endpoint.url, secret_salt="other"
        )


def test_it_refuses_a_second_alert_for_the_same_threshold(make_rule: MakeRule) -> None:
    alert = models.DeadlineAlert.objects.create(
        deadline=make_deadline(make_rule()), kind="due_soon", lead_days=3
    )
    with pytest.raises(IntegrityError, match="alert_once_per_threshold"):
        models.DeadlineAlert.objects.create(deadline=alert.deadline, kind="due_soon", lead_days=3)


def test_it_refuses_an_alert_kind_outside_the_vocabulary(make_rule: MakeRule) -> None:
    with pytest.raises(IntegrityError, match="alert_kind_valid"):
        models.DeadlineAlert.objects.create(deadline=make_deadline(make_rule()), kind="someday", lead_days=3)


def test_it_refuses_a_second_email_notification_of_one_alert_to_one_address(make_rule: MakeRule) -> None:
    alert = models.DeadlineAlert.objects.create(
        deadline=make_deadline(make_rule()), kind="overdue", lead_days=0
    )
    models.Notification.objects.create(alert=alert, channel="email", recipient_email="staff@example.org")
    with pytest.raises(IntegrityError, match="notification_email_once"):
        models.Notification.objects.create(alert=alert, channel="email", recipient_email="staff@example.org")


def test_it_refuses_a_second_webhook_notification_of_one_alert_to_one_endpoint(make_rule: MakeRule) -> None:
    alert = models.DeadlineAlert.objects.create(
        deadline=make_deadline(make_rule()), kind="overdue", lead_days=0
    )
    endpoint = make_endpoint()
    models.Notification.objects.create(alert=alert, channel="webhook", endpoint=endpoint)
    with pytest.raises(IntegrityError, match="notification_webhook_once"):
        models.Notification.objects.create(alert=alert, channel="webhook", endpoint=endpoint)


def test_it_refuses_an_email_notification_that_also_names_an_endpoint() -> None:
    with pytest.raises(IntegrityError, match="notification_has_one_recipient"):
        models.Notification.objects.create(
            channel="email", recipient_email="staff@example.org", endpoint=make_endpoint()
        )


def test_it_refuses_a_webhook_notification_without_an_endpoint() -> None:
    with pytest.raises(IntegrityError, match="notification_has_one_recipient"):
        models.Notification.objects.create(channel="webhook")


@pytest.mark.parametrize(
    ("field", "constraint"),
    [("channel", "notification_channel_valid"), ("status", "notification_status_valid")],
)
def test_it_refuses_a_notification_value_outside_its_vocabulary(field: str, constraint: str) -> None:
    values = {"channel": "email", "recipient_email": "staff@example.org", field: "pigeon"}
    with pytest.raises(IntegrityError, match=constraint):
        models.Notification.objects.create(**values)
