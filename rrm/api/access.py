"""Which cases a caller may see.

A case belongs to the organisations named on the petition filed for it. The lookup goes through the
relation names of the petitions app, not an import, so that the kernel imports no other app.

Objects outside what a caller may see answer 404, never 403, so that an id reveals nothing; an
object the caller sees but may not change answers 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from rrm.api.roles import AnyUser, is_case_officer
from rrm.models import Case

CASE_MEMBER_LOOKUP = "petition__petitioners__organisation__members"


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    cases = Case.objects.select_related("facility", "facility__operator")
    if is_case_officer(user):
        return cases.all()
    if not user.is_authenticated:
        return cases.none()
    member_case_ids = Case.objects.filter(**{CASE_MEMBER_LOOKUP: user}).values("pk")
    return cases.filter(pk__in=member_case_ids)
