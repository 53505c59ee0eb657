"""Reads of petitions for other apps and for the APIs."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from petitions.models import Petition
from rrm.choices import CaseRecordBasis
from rrm.models import Case, Facility
from rrm.step_dates import DateFloor


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


def filing_floor(case: Case) -> DateFloor | None:
    """The day the case's first petition was filed, before which none of its steps can have happened.

    Only for a case kept here by staff: an imported petition's submission time is not public, and the
    import stands in the day of receipt or the day of the import for it."""
    if case.record_basis != CaseRecordBasis.STAFF:
        return None
    filed_at = (
        Petition.objects.filter(case=case, status=Petition.Status.SUBMITTED)
        .aggregate(first=Min("submitted_at"))
        .get("first")
    )
    if filed_at is None:
        return None
    return DateFloor(on=timezone.localdate(filed_at), what=gettext("the filing of the petition"))
