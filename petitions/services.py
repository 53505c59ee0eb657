"""Writes of petitions and their petitioners."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening, ScreeningDetermination
from petitions.uploads import judge_upload
from remediation import services as remediation_services
from rrm import workflow
from rrm.choices import ANNEX_PARTIES, Annex, Initiation, Stage, request_language
from rrm.errors import DomainError
from rrm.models import Case, Facility, Organisation
from rrm.services import (
    WriteResult,
    apply_changes,
    get_or_create_company,
    save_validated,
    subscribe_organisation_webhooks,
    watch_case,
)


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
    # The petition the import made for this case: its first, whatever others were filed on it since.
    petition = Petition.objects.filter(case=case).order_by("pk").first()
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


# --- Case-management API (issue 4) ------------------------------------------------------------------------

# What the ILC guidelines ask of a petition (docs/mechanism.md): the covered facility and the specific facts;
# the petitioner's contact unless the petition is anonymous (allowed since 2023, 88 FR 40914). The laws
# cited and domestic proceedings are recommended only.
MISSING_CONTACT = _("Give a contact (name, and an e-mail, telephone or address), or file anonymously.")


def submission_problems(petition: Petition) -> dict[str, list[str]]:
    """Per field, what keeps a draft from being submitted; empty when it may be submitted."""
    problems: dict[str, list[str]] = {}
    if petition.facility_id is None and not petition.proposed_facility:
        problems["facility"] = [gettext("Identify the covered facility the allegations concern.")]
    if not petition.narrative.strip():
        problems["narrative"] = [gettext("State the specific facts of the alleged denial of rights.")]
    if not petition.anonymous:
        if not petition.contact_name.strip():
            problems["contact_name"] = [str(MISSING_CONTACT)]
        if not (petition.contact_email or petition.contact_phone.strip() or petition.contact_address.strip()):
            problems["contact_email"] = [str(MISSING_CONTACT)]
    return problems


# Room left in Case.case_id (100) for the country, year and a suffix such as "-12".
CASE_ID_FACILITY_CHARS = 80


def _case_id_for(*, annex: str, facility: Facility, on: dt.date) -> str:
    """The country, the year and the facility, like the ids of the real cases (us-mx-2021-gm-silao),
    numbered from -2 only among filed cases: an id tells nothing of the drafts others hold. The caller
    holds the facility's row lock, so two filings about one facility cannot take the same id."""
    country = "us" if annex == Annex.A31 else "ca"
    facility_slug = slugify(facility.name)[:CASE_ID_FACILITY_CHARS].strip("-") or "facility"
    base = f"{country}-mx-{on.year}-{facility_slug}"
    taken = set(Case.objects.filter(case_id__startswith=base).values_list("case_id", flat=True))
    candidates = itertools.chain([base], (f"{base}-{number}" for number in itertools.count(2)))
    return next(candidate for candidate in candidates if candidate not in taken)


def _draft_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values to write; a facility named one way (by id, or as a proposal) replaces the other."""
    columns = dict(values)
    if columns.get("proposed_facility"):
        columns["proposed_facility"] = dict(columns["proposed_facility"])
        columns["facility"] = None
    elif columns.get("facility") is not None:
        columns["proposed_facility"] = None
    return columns


@transaction.atomic
def create_draft(
    *,
    organisation: Organisation,
    user: User | AnonymousUser | None,
    values: Mapping[str, Any],
    lead_identity_confidential: bool = False,
) -> Petition:
    """A new draft whose lead petitioner is the organisation the user acts for."""
    petition = Petition.objects.create(
        status=Petition.Status.DRAFT, created_by=workflow.acting_user(user), **_draft_columns(values)
    )
    Petitioner.objects.create(
        petition=petition,
        organisation=organisation,
        role=Petitioner.Role.LEAD,
        identity_confidential=lead_identity_confidential,
    )
    return petition


def _locked_draft(petition_id: int) -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition_id)
    if petition.status != Petition.Status.DRAFT:
        raise DomainError(
            gettext(
                "Petition %(petition)s was submitted on %(day)s; it is no longer a draft and cannot change. "
                "Send more facts as evidence."
            )
            % {"petition": petition.pk, "day": f"{petition.submitted_at:%Y-%m-%d}"}
        )
    return petition


@transaction.atomic
def update_draft(
    *, petition_id: int, values: Mapping[str, Any], lead_identity_confidential: bool | None = None
) -> Petition:
    petition = _locked_draft(petition_id)
    for name, value in _draft_columns(values).items():
        setattr(petition, name, value)
    petition.save()
    if lead_identity_confidential is not None:
        lead = petition.petitioners.get(role=Petitioner.Role.LEAD)
        lead.identity_confidential = lead_identity_confidential
        lead.save(update_fields=["identity_confidential"])
    return petition


@transaction.atomic
def discard_draft(*, petition_id: int) -> None:
    """Delete a draft with its petitioners, claims and evidence; the files go once the deletion commits.
    A filed petition stays on record (DomainError). The audit trail keeps what the draft held."""
    petition = _locked_draft(petition_id)
    files = [evidence.file for evidence in petition.evidence.all()]
    petition.evidence.all().delete()
    petition.delete()
    for stored in files:
        transaction.on_commit(partial(stored.delete, save=False))


def _facility_to_file(petition: Petition) -> Facility:
    """The facility named by id, or the proposed one: found by operator and name (ignoring case), or
    added now that the petition is filed. Locked until the case is opened."""
    if petition.facility_id is not None:
        return Facility.objects.select_for_update().get(pk=petition.facility_id)
    proposed = petition.proposed_facility
    assert proposed
    operator, _ = get_or_create_company(name=proposed["operator"])
    existing = Facility.objects.select_for_update().filter(operator=operator, name__iexact=proposed["name"])
    facility = existing.first()
    if facility is not None:
        return facility
    details = {name: proposed.get(name, "") for name in ("city", "state", "sector", "subsector")}
    return Facility.objects.create(operator=operator, name=proposed["name"], **details)


@transaction.atomic
def submit_petition(*, petition_id: int, user: User | AnonymousUser | None = None) -> Petition:
    """Submit a complete draft: it opens its case at stage 'submitted', to which the petitioners'
    active webhook endpoints are subscribed and which the filing member watches, in the language they
    filed in (so that every stage change reaches them by e-mail). Raises ValidationError (per field)
    when incomplete."""
    petition = _locked_draft(petition_id)
    problems = submission_problems(petition)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    facility = _facility_to_file(petition)
    case = Case.objects.create(
        case_id=_case_id_for(annex=petition.annex, facility=facility, on=timezone.localdate(now)),
        facility=facility,
        annex=petition.annex,
        complainant=ANNEX_PARTIES[petition.annex][0],
        respondent=ANNEX_PARTIES[petition.annex][1],
        initiation=Initiation.PETITION,
        stage=Stage.SUBMITTED,
    )
    petition.case = case
    petition.facility = facility
    petition.proposed_facility = None
    petition.status = Petition.Status.SUBMITTED
    petition.submitted_at = now
    petition.save(
        update_fields=["case", "facility", "proposed_facility", "status", "submitted_at", "updated_at"]
    )
    organisations = [p.organisation for p in petition.petitioners.select_related("organisation")]
    subscribe_organisation_webhooks(case=case, organisations=organisations)
    if isinstance(user, User):
        watch_case(case=case, user=user, language=request_language())
    workflow.record_filing(case=case, on=timezone.localdate(now), user=user)
    return petition


@transaction.atomic
def add_petitioner(
    *, petition: Petition, organisation: Organisation, identity_confidential: bool
) -> Petitioner:
    return Petitioner.objects.create(
        petition=petition,
        organisation=organisation,
        role=Petitioner.Role.CO,
        identity_confidential=identity_confidential,
    )


@transaction.atomic
def add_claim(*, petition_id: int, values: Mapping[str, Any]) -> Claim:
    petition = _locked_draft(petition_id)
    return Claim.objects.create(petition=petition, **values)


@transaction.atomic
def update_claim(*, claim_id: int, values: Mapping[str, Any]) -> Claim:
    claim = Claim.objects.select_related("petition").get(pk=claim_id)
    _locked_draft(claim.petition_id)
    return save_validated(claim, values)


@transaction.atomic
def add_evidence(
    *,
    petition: Petition,
    upload: UploadedFile,
    title: str,
    language: str,
    confidential: bool,
    user: User | AnonymousUser | None,
) -> Evidence:
    """Store an upload whose content is an accepted type, under a random name (the uploaded name may
    itself say what the document is)."""
    judged = judge_upload(upload)
    evidence = Evidence(
        petition=petition,
        title=title,
        content_type=judged.content_type,
        size=judged.size,
        sha256=judged.sha256,
        language=language,
        confidential=confidential,
        uploaded_by=workflow.acting_user(user),
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{judged.extension}", upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def update_evidence(*, evidence_id: int, values: Mapping[str, Any]) -> Evidence:
    evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
    for name, value in values.items():
        setattr(evidence, name, value)
    evidence.save()
    return evidence


def _petition_of(case_id: str) -> Petition | None:
    """The petition a case-wide step (receipt, the ILC's determination, withdrawal) concerns: the
    case's first, the one that opened it."""
    return Petition.objects.select_for_update().filter(case__case_id=case_id).order_by("pk").first()


@transaction.atomic
def record_receipt(
    *, case_id: str, on: dt.date, user: User | AnonymousUser | None, source_note: str = ""
) -> Petition | None:
    """OTLA's receipt: the workflow step (which starts the ILC's clock), the petition's receipt date and
    the opening of its screening."""
    workflow.transition(case_id=case_id, action="record_receipt", on=on, user=user, source_note=source_note)
    petition = _petition_of(case_id)
    if petition is not None:
        petition.received_on = on
        petition.save(update_fields=["received_on", "updated_at"])
        Screening.objects.get_or_create(petition=petition, defaults={"started_on": on})
    return petition


ILC_DETERMINATION_STEPS = {
    ScreeningDetermination.SUFFICIENT: "request_review",
    ScreeningDetermination.INSUFFICIENT: "decline_petition",
    ScreeningDetermination.RESOLVED: "resolve_without_request",
}


@transaction.atomic
def record_ilc_determination(
    *,
    case_id: str,
    determination: str,
    on: dt.date,
    findings: str,
    employer_consulted: bool,
    petitioner_notified_on: dt.date | None,
    source_url: str,
    user: User | AnonymousUser | None,
) -> Screening | None:
    """The ILC's determination and its workflow step: a positive one is made public with the request
    for review (docs/mechanism.md), a negative one closes the case."""
    action = ILC_DETERMINATION_STEPS[ScreeningDetermination(determination)]
    result = workflow.transition(
        case_id=case_id, action=action, on=on, user=user, description=findings, source_url=source_url
    )
    if action == "request_review":
        remediation_services.open_mexico_review(case=result.case, requested_on=on)
    petition = _petition_of(case_id)
    if petition is None:
        return None
    screening, _ = Screening.objects.get_or_create(
        petition=petition, defaults={"started_on": petition.received_on or on}
    )
    return save_validated(
        screening,
        {
            "determination": determination,
            "determined_on": on,
            "findings": findings,
            "employer_consulted": employer_consulted,
            "petitioner_notified_on": petitioner_notified_on,
        },
    )


@transaction.atomic
def withdraw_petition(*, case_id: str, on: dt.date, reason: str, user: User | AnonymousUser | None) -> Case:
    """The petitioner withdraws: a workflow step that closes the case; the petition stays on record."""
    result = workflow.transition(case_id=case_id, action="withdraw", on=on, user=user, description=reason)
    petition = _petition_of(case_id)
    if petition is not None and hasattr(petition, "screening"):
        screening = petition.screening
        if screening.determination == ScreeningDetermination.PENDING:
            screening.determination = ScreeningDetermination.WITHDRAWN
            screening.determined_on = on
            screening.save(update_fields=["determination", "determined_on", "updated_at"])
    return result.case
