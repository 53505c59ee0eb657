"""Writes of petitions and their petitioners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from petitions.models import Petition, Petitioner
from rrm.models import Case, Organisation
from rrm.services import WriteResult, apply_changes


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def save_imported_petition(
    *, case: Case, petitioners: Sequence[Organisation], received_on: dt.date | None
) -> WriteResult:
    """The submitted petition behind a case known from public sources, with its petitioners in order.

    The first organisation is the lead petitioner. The submission time is not public: it is taken as
    the start of the day of receipt, or, when that day is unknown too, the time the record was made.
    """
    values: dict[str, object] = {
        "status": Petition.Status.SUBMITTED,
        "annex": case.annex,
        "facility": case.facility,
        "received_on": received_on,
    }
    if received_on is not None:
        values["submitted_at"] = _start_of_day(received_on)
    petition = Petition.objects.filter(case=case).first()
    if petition is None:
        values.setdefault("submitted_at", timezone.now())
        petition = Petition.objects.create(case=case, **values)
        _sync_petitioners(petition=petition, organisations=petitioners)
        return WriteResult.CREATED
    changed = apply_changes(petition, values)
    changed = _sync_petitioners(petition=petition, organisations=petitioners) or changed
    return WriteResult.UPDATED if changed else WriteResult.UNCHANGED


def _sync_petitioners(*, petition: Petition, organisations: Sequence[Organisation]) -> bool:
    """Make the petition's petitioners exactly these organisations, the first as lead; True if changed."""
    wanted = {
        organisation.pk: Petitioner.Role.LEAD if index == 0 else Petitioner.Role.CO
        for index, organisation in enumerate(organisations)
    }
    existing = {p.organisation_id: p for p in Petitioner.objects.filter(petition=petition)}
    changed = False
    # Removals and demotions first: only one lead may exist at any moment.
    for organisation_id, petitioner in existing.items():
        if organisation_id not in wanted:
            petitioner.delete()
            changed = True
        elif petitioner.role == Petitioner.Role.LEAD and wanted[organisation_id] != Petitioner.Role.LEAD:
            petitioner.role = Petitioner.Role.CO
            petitioner.save(update_fields=["role"])
            changed = True
    for organisation_id, role in wanted.items():
        kept = existing.get(organisation_id)
        if kept is None:
            Petitioner.objects.create(petition=petition, organisation_id=organisation_id, role=role)
            changed = True
        elif kept.role != role:
            kept.role = role
            kept.save(update_fields=["role"])
            changed = True
    return changed
