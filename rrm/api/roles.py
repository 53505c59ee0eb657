"""The three roles of the case-management API.

- administrator: a superuser; everything a case officer may do, plus managing any organisation's
  webhook endpoints;
- case officer (government staff): `is_staff` and a member of the group `case_officers` (created by
  migration 0005); sees every case, petition and piece of evidence and records the workflow;
- petitioner: a member of an organisation (rrm.models.Organisation.members); sees and writes only
  what its organisations filed.

`is_staff` alone opens the admin site but grants nothing here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from rrm.models import Organisation

CASE_OFFICERS_GROUP = "case_officers"

AnyUser = User | AnonymousUser


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_superuser", False))


def is_case_officer(user: AnyUser) -> bool:
    """Staff who run cases; administrators count as case officers too."""
    if is_administrator(user):
        return True
    if not (user.is_authenticated and user.is_active and getattr(user, "is_staff", False)):
        return False
    return bool(user.groups.filter(name=CASE_OFFICERS_GROUP).exists())


def organisations_of(user: AnyUser) -> QuerySet[Organisation]:
    if isinstance(user, AnonymousUser):
        return Organisation.objects.none()
    return Organisation.objects.filter(members=user)


def signed_in(request: Request) -> User:
    """The caller of a view that requires authentication (IsAuthenticated ran before)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
