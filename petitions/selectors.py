"""Reads of petitions for other apps and for the APIs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from petitions.models import CONFIDENTIAL_FIELD_NAMES, Evidence, Petition
from rrm.models import Case, Facility

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "contact_address")


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


def evidence_of_member(user: User | AnonymousUser) -> QuerySet[Evidence]:
    return Evidence.objects.filter(petition__in=petitions_of_member(user))


def withheld_fields(petition: Petition) -> set[str]:
    """Fields never shown outside staff and the petitioners: those flagged, and contacts when anonymous."""
    withheld = {name for name in petition.confidential_fields if name in CONFIDENTIAL_FIELD_NAMES}
    if petition.anonymous:
        withheld.update(CONTACT_FIELDS)
    return withheld


def public_view_of_petition(petition: Petition) -> dict[str, Any]:
    """What of a submitted petition may be published: no withheld field, confidential claim or evidence,
    and no petitioner that asked for confidentiality or filed anonymously."""
    withheld = withheld_fields(petition)
    return {
        "annex": petition.annex,
        "language": petition.language,
        "anonymous": petition.anonymous,
        "submitted_at": petition.submitted_at,
        "received_on": petition.received_on,
        **{name: getattr(petition, name) for name in CONFIDENTIAL_FIELD_NAMES if name not in withheld},
        "petitioners": []
        if petition.anonymous
        else [
            {"organisation": p.organisation.name, "role": p.role}
            for p in petition.petitioners.select_related("organisation")
            if not p.identity_confidential
        ],
        "claims": [
            {"category": claim.category, "description": claim.description, "began_on": claim.began_on}
            for claim in petition.claims.filter(confidential=False)
        ],
        "evidence": [
            {"title": item.title, "language": item.language, "content_type": item.content_type}
            for item in petition.evidence.filter(confidential=False)
        ],
    }
