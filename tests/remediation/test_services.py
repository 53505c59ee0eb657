"""Review-stage services refuse dates the mechanism's order makes impossible."""

from __future__ import annotations

import datetime as dt

import pytest

from remediation.models import RemediationPlan
from remediation.services import save_panel, save_remediation_plan
from rrm.errors import DomainError, InvalidDate
from rrm.models import Case
from rrm.services import WriteResult
from tests.factories import CaseFactory

REQUESTED_ON = dt.date(2023, 5, 31)


def save_plan(case: Case, agreed_on: dt.date) -> WriteResult:
    return save_remediation_plan(
        case=case,
        agreed_on=agreed_on,
        kind=RemediationPlan.Kind.GOVERNMENT,
        status=RemediationPlan.Status.IN_PROGRESS,
        source_url="",
    )


def test_it_refuses_a_remediation_plan_agreed_before_the_request_for_review(db: None) -> None:
    case = CaseFactory.create(request_for_review_on=REQUESTED_ON)

    with pytest.raises(InvalidDate, match="cannot precede the request for review of 2023-05-31") as refused:
        save_plan(case, REQUESTED_ON - dt.timedelta(days=1))

    assert isinstance(refused.value, DomainError)
    assert not RemediationPlan.objects.filter(case=case).exists()


def test_it_records_a_plan_agreed_on_the_day_of_the_request(db: None) -> None:
    case = CaseFactory.create(request_for_review_on=REQUESTED_ON)

    result = save_plan(case, REQUESTED_ON)

    assert result == WriteResult.CREATED
    assert list(RemediationPlan.objects.filter(case=case).values_list("agreed_on", flat=True)) == [
        REQUESTED_ON
    ]


def test_it_moves_the_only_plan_of_a_case_when_its_date_changes(db: None) -> None:
    case = CaseFactory.create(request_for_review_on=REQUESTED_ON)
    save_plan(case, dt.date(2023, 7, 31))

    result = save_plan(case, dt.date(2023, 8, 1))

    assert result == WriteResult.UPDATED
    assert list(RemediationPlan.objects.filter(case=case).values_list("agreed_on", flat=True)) == [
        dt.date(2023, 8, 1)
    ]


def test_it_refuses_a_panel_requested_before_the_request_for_review(db: None) -> None:
    case = CaseFactory.create(request_for_review_on=REQUESTED_ON)

    with pytest.raises(InvalidDate, match="panel requested on 2023-05-01 cannot precede"):
        save_panel(case=case, requested_on=dt.date(2023, 5, 1))
