"""/api/v1/public/: the index of the public endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from public.api.exports import ExportIndex
from public.api.views import (
    CaseList,
    CompanyList,
    CorrectionList,
    DeadlineList,
    EventList,
    FacilityList,
    PlanList,
    PublicView,
    StatsView,
)


@extend_schema(
    summary="Public API index",
    responses=inline_serializer(
        "PublicIndex", {"endpoints": serializers.DictField(child=serializers.URLField())}
    ),
    tags=["public"],
)
class PublicIndex(PublicView):
    pagination_class = None
    filter_backends: list[type] = []

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        endpoints = {name: reverse(f"public:{name}", request=request) for name in ENDPOINTS}
        return Response({"endpoints": endpoints})


# The endpoints the index lists, each at /api/v1/public/<name>/ (public/urls.py).
ENDPOINTS: dict[str, type[PublicView]] = {
    "cases": CaseList,
    "facilities": FacilityList,
    "companies": CompanyList,
    "events": EventList,
    "deadlines": DeadlineList,
    "remediation": PlanList,
    "corrections": CorrectionList,
    "stats": StatsView,
    "export": ExportIndex,
}
