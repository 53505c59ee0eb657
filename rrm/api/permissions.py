"""Object-level permissions of the case-management API (roles in rrm.api.roles).

They run once the object was found among those the caller may see, so that a caller outside it gets
404 and a caller who sees it without the right role gets 403.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from rrm.api.roles import is_administrator, is_case_officer, organisations_of

CASE_OFFICERS_ONLY = _("Only case officers (government staff) may do this.")


class CaseOfficerWrites(BasePermission):
    """Reading for all who see the object, writing for case officers."""

    message = CASE_OFFICERS_ONLY

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.method in SAFE_METHODS or is_case_officer(request.user)


class CaseOfficersOnly(BasePermission):
    message = CASE_OFFICERS_ONLY

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return is_case_officer(request.user)


class ManagesWebhook(BasePermission):
    """Members of the owning organisation and administrators; case officers only read."""

    message = _("Only members of the owning organisation or administrators may change a webhook endpoint.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS or is_administrator(request.user):
            return True
        return organisations_of(request.user).filter(pk=obj.organisation_id).exists()


class CaseOfficerRequests(BasePermission):
    """Views of no one object that only case officers may call (the work queue)."""

    message = CASE_OFFICERS_ONLY

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_case_officer(request.user)
