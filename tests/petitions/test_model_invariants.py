"""The database itself refuses impossible petitions, petitioners, claims, evidence and screenings.

Rows are written with `.objects.create`, which skips model validation, so only the PostgreSQL
constraints stand in the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from rrm.choices import Initiation
from tests.factories import CaseFactory, FacilityFactory, OrganisationFactory
from tests.refusals import Refusal, constraint_refusals_test

pytestmark = pytest.mark.django_db

STARTED = dt.date(2024, 3, 4)
DAY_BEFORE = dt.date(2024, 3, 3)


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
    values: dict[str, object] = {"category": Claim.Category.DISMISSAL, **fields}
    return Claim.objects.create(petition=make_petition(), description="Dismissed", **values)


def make_screening(**fields: object) -> Screening:
    return Screening.objects.create(petition=make_petition(), started_on=STARTED, **fields)


REFUSED: list[Refusal] = [
    (make_petition, {"status": "lost", "submitted_at": timezone.now()}, "petition_status_valid"),
    (make_petition, {"language": "fr"}, "petition_language_valid"),
    (make_petition, {"status": "submitted"}, "petition_submitted_has_time"),
    (make_petitioner, {"role": "boss"}, "petitioner_role_valid"),
    (make_claim, {"category": "bad_weather"}, "claim_category_valid"),
    (make_claim, {"began_on": STARTED, "ended_on": DAY_BEFORE}, "claim_dates_ordered"),
    (make_evidence, {"language": "fr"}, "evidence_language_valid"),
    (make_evidence, {"size": 0}, "evidence_not_empty"),
    (make_screening, {"determination": "maybe", "determined_on": STARTED}, "screening_determination_valid"),
    (
        make_screening,
        {"determination": "sufficient", "determined_on": DAY_BEFORE},
        "screening_determined_after_start",
    ),
    (make_screening, {"determination": "insufficient"}, "screening_determination_dated"),
]
test_it_refuses_a_row_its_constraints_forbid = constraint_refusals_test(REFUSED)


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


def test_it_allows_several_petitions_on_a_case_and_a_petition_on_a_self_initiated_one() -> None:
    submitted = {"status": "submitted", "submitted_at": timezone.now()}
    case = CaseFactory()
    first, second = make_petition(case=case, **submitted), make_petition(case=case, **submitted)
    assert set(case.petitions.all()) == {first, second}
    # The ILC screens each petition on its own.
    Screening.objects.create(petition=first, started_on=STARTED)
    Screening.objects.create(petition=second, started_on=STARTED)
    assert Screening.objects.filter(petition__case=case).count() == 2

    self_initiated = CaseFactory(initiation=Initiation.SELF_INITIATED)
    attached = make_petition(case=self_initiated, **submitted)
    assert list(self_initiated.petitions.all()) == [attached]
    assert list(CaseFactory().petitions.all()) == []
