"""DRF permission classes built on rrm.api.roles."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from rrm.api.roles import is_administrator, is_case_officer


class IsCaseOfficer(BasePermission):
    message = "Only case officers (government staff) may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_case_officer(request.user)


class ReadAnyWriteCaseOfficer(BasePermission):
    """Reading is scoped by the view's queryset; writing is for case officers."""

    message = IsCaseOfficer.message

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or is_case_officer(request.user)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return self.has_permission(request, view)


class IsAdministrator(BasePermission):
    message = "Only administrators may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_administrator(request.user)
