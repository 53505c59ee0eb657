"""The database itself refuses impossible petitions, petitioners, claims, evidence and screenings.

Rows are written with `.objects.create`, which skips model validation, so only the PostgreSQL
constraints stand in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError
from django.utils import timezone

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from tests.factories import FacilityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def make_petition(**fields: object) -> Petition:
    return Petition.objects.create(facility=FacilityFactory(), **fields)


def make_evidence(**fields: object) -> Evidence:
    values: dict[str, object] = {
        "petition": make_petition(),
        "title": "Statement",
        "file": "evidence/2024/03/statement.pdf",
        "content_type": "application/pdf",
        "size": 1024,
        "sha256": "0" * 64,
        **fields,
    }
    return Evidence.objects.create(**values)


def make_petitioner(**fields: object) -> Petitioner:
    return Petitioner.objects.create(petition=make_petition(), organisation=OrganisationFactory(), **fields)


def make_claim(**fields: object) -> Claim:
    return Claim.objects.create(petition=make_petition(), description="Dismissed", **fields)


def make_screening(**fields: object) -> Screening:
    return Screening.objects.create(petition=make_petition(), started_on=dt.date(2024, 3, 4), **fields)


@pytest.mark.parametrize(
    ("make", "fields", "constraint"),
    [
        pytest.param(
            make_petition,
            {"status": "lost", "submitted_at": timezone.now()},
            "petition_status_valid",
            id="petition_status",
        ),
        pytest.param(make_petition, {"language": "fr"}, "petition_language_valid", id="petition_language"),
        pytest.param(
            make_petition,
            {"status": Petition.Status.SUBMITTED},
            "petition_submitted_has_time",
            id="submitted_petition_without_its_submission_time",
        ),
        pytest.param(make_petitioner, {"role": "boss"}, "petitioner_role_valid", id="petitioner_role"),
        pytest.param(make_claim, {"category": "bad_weather"}, "claim_category_valid", id="claim_category"),
        pytest.param(
            make_claim,
            {
                "category": Claim.Category.DISMISSAL,
                "began_on": dt.date(2024, 3, 4),
                "ended_on": dt.date(2024, 3, 3),
            },
            "claim_dates_ordered",
            id="claim_that_ends_before_it_began",
        ),
        pytest.param(make_evidence, {"language": "fr"}, "evidence_language_valid", id="evidence_language"),
        pytest.param(make_evidence, {"size": 0}, "evidence_not_empty", id="empty_evidence"),
        pytest.param(
            make_screening,
            {"determination": "maybe", "determined_on": dt.date(2024, 3, 20)},
            "screening_determination_valid",
            id="screening_determination",
        ),
        pytest.param(
            make_screening,
            {"determination": Screening.Determination.SUFFICIENT, "determined_on": dt.date(2024, 3, 3)},
            "screening_determined_after_start",
            id="screening_determined_before_it_started",
        ),
        pytest.param(
            make_screening,
            {"determination": Screening.Determination.INSUFFICIENT},
            "screening_determination_dated",
            id="screening_determination_without_its_date",
        ),
    ],
)
def test_it_refuses_a_row_its_constraints_forbid(
    make: Callable[..., object], fields: dict[str, object], constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint):
        make(**fields)


def test_it_refuses_an_organisation_listed_twice_on_one_petition() -> None:
    petitioner = make_petitioner()
    with pytest.raises(IntegrityError, match="petitioner_once_per_petition"):
        Petitioner.objects.create(petition=petitioner.petition, organisation=petitioner.organisation)


def test_it_refuses_two_lead_petitioners() -> None:
    petition = make_petition()
    Petitioner.objects.create(petition=petition, organisation=OrganisationFactory(), role="lead")
    with pytest.raises(IntegrityError, match="petition_one_lead"):
        Petitioner.objects.create(petition=petition, organisation=OrganisationFactory(), role="lead")


def test_it_refuses_a_second_screening_of_one_petition() -> None:
    screening = make_screening()
    with pytest.raises(IntegrityError, match="petition_id"):
        Screening.objects.create(petition=screening.petition, started_on=dt.date(2024, 3, 5))
