"""Reads of petitions for other apps and for the APIs."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from petitions.models import Petition
from rrm.models import Case, Facility


def petitions_of_member(user: User | AnonymousUser) -> QuerySet[Petition]:
    """Petitions that name, as a petitioner, an organisation the user is a member of."""
    if isinstance(user, AnonymousUser):
        return Petition.objects.none()
    member_petitions = Petition.objects.filter(petitioners__organisation__members=user).values("pk")
    return Petition.objects.filter(pk__in=member_petitions)


def facilities_open_to(user: User | AnonymousUser) -> QuerySet[Facility]:
    """Facilities a caller may name or look up: those of cases (all public) and of the petitions of the
    caller's organisations. A facility known only from another organisation's draft would tell that a
    petition about it is being prepared, so nobody else reaches it, staff included."""
    own = petitions_of_member(user).filter(facility__isnull=False).values("facility")
    of_cases = Exists(Case.objects.filter(facility=OuterRef("pk")))
    return Facility.objects.select_related("operator").filter(Q(of_cases) | Q(pk__in=own))
