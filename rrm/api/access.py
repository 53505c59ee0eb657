"""Which cases a caller may see.

A case belongs to the users the other apps register as its members (rrm.api.registry), e.g. the
members of the organisations named on the petitions filed for it; so the core imports no other app.

Objects outside what a caller may see answer 404, never 403, so that an id reveals nothing; an
object the caller sees but may not change answers 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rrm.api.registry import registry
from rrm.api.roles import AnyUser, is_case_officer
from rrm.models import Case


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    cases = Case.objects.select_related("facility", "facility__operator")
    if is_case_officer(user):
        return cases.all()
    if not user.is_authenticated or not registry.member_paths:
        return cases.none()
    membership = Q()
    for path in registry.member_paths:
        membership |= Q(**{path: user})
    return cases.filter(pk__in=Case.objects.filter(membership).values("pk"))


def followable_cases(user: AnyUser) -> QuerySet[Case]:
    """The cases anyone may follow: every case is on the public record (the public pages list them all)."""
    return Case.objects.select_related("facility", "facility__operator")
