"""The case rows built directly are what DRF builds from the declared fields, key for key, in order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.versioning import NamespaceVersioning

from public.api.serializers import CaseSerializer
from public.selectors import public_cases
from tests.factories import CaseFactory, OrganisationFactory, PetitionerFactory, PetitionFactory

pytestmark = pytest.mark.usefixtures("imported_cases")


def test_it_builds_every_case_row_as_drf_builds_it() -> None:
    odd = CaseFactory(
        backpay_usd=Decimal("1234.5"),
        backpay_is_floor=True,
        workers_covered=0,
        outcome_date=dt.date(2024, 2, 29),
        liquidation_suspended_on=dt.date(2024, 1, 2),
        liquidation_resumed_on=dt.date(2024, 3, 4),
    )
    petition = PetitionFactory(case=odd)
    PetitionerFactory(petition=petition, organisation=OrganisationFactory(), role="lead")
    request = Request(APIRequestFactory().get("/api/v1/public/cases/"))
    request.version, request.versioning_scheme = "v1", NamespaceVersioning()
    serializer = CaseSerializer(context={"request": request})

    for case in public_cases():
        built = serializer.to_representation(case)
        generic = serializers.Serializer.to_representation(serializer, case)
        assert list(built.items()) == list(generic.items()), case.case_id
