"""The case officers' group opens the admin (migration accounts 0002): before it, a case officer read
"You don't have permission to view or edit anything" (issue 14)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, make_case_officer
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

RECORD_APPS = ("rrm", "petitions", "remediation", "public")


def signed_in_officer() -> Client:
    make_case_officer()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "officer", "password": PASSWORD})
    return client


def test_it_shows_a_case_officer_the_case_record_in_the_admin() -> None:
    client = signed_in_officer()
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "You don’t have permission to view or edit anything" not in index.content.decode()
    shown = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert {"Case", "Petition", "RemediationPlan", "ApiKey", "Organisation"} <= shown


@pytest.mark.parametrize(
    "model",
    sorted(
        (model for model in admin.site._registry if model._meta.app_label in RECORD_APPS),
        key=lambda model: model._meta.label,
    ),
    ids=lambda model: model._meta.label,
)
def test_it_opens_every_list_of_the_case_record_to_a_case_officer(model: type) -> None:
    meta = model._meta  # type: ignore[attr-defined]
    response = signed_in_officer().get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200


def test_it_lets_a_case_officer_change_a_case_and_add_an_organisation() -> None:
    client = signed_in_officer()
    case = CaseFactory()
    assert client.get(reverse("admin:rrm_case_change", args=[case.pk])).context["has_change_permission"]
    assert client.get(reverse("admin:rrm_organisation_add")).status_code == 200
    assert client.get(reverse("admin:remediation_remediationplan_add")).status_code == 200


def test_it_keeps_the_service_written_rows_read_only_for_case_officers() -> None:
    client = signed_in_officer()
    assert client.get(reverse("admin:rrm_deadline_add")).status_code == 403
    organisation = OrganisationFactory()
    assert client.get(reverse("admin:rrm_organisation_delete", args=[organisation.pk])).status_code == 403
