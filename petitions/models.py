"""Petitions as filed, who filed them, what they claim, their evidence, and the ILC's screening."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rrm.choices import Annex, Language
from rrm.fields import (
    choice_field,
    date_not_before,
    in_vocabulary,
    optional_date,
    optional_reference,
    owner,
    protected_reference,
    user_reference,
)
from rrm.models import Case, Document, Facility, Organisation, TimeStamped

# Fields of a petition that a petitioner may ask to keep from the public (ILC final guidelines,
# 88 FR 40914: identity information is exempt from public inspection).
CONFIDENTIAL_FIELD_NAMES = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_address",
    "narrative",
    "facility_description",
    "laws_cited",
    "domestic_proceedings",
)


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Petition(TimeStamped):
    Status = PetitionStatus

    case = optional_reference(
        Case,
        related_name="petitions",
        help_text="Case the petition was filed on; a case may have none, one or several.",
    )
    status = choice_field(
        Status, max_length=10, default=Status.DRAFT, db_index=True, help_text="Draft or submitted."
    )
    annex = choice_field(
        Annex, default=Annex.A31, help_text="31-A petitions go to the ILC; 31-B claims to Canada's NAO."
    )
    facility = optional_reference(
        Facility, related_name="petitions", help_text="Covered facility the allegations concern."
    )
    proposed_facility = models.JSONField(
        null=True,
        blank=True,
        help_text=(
            "A facility not on record, as the petitioners named it (name, operator, city, state, sector, "
            "subsector); found or added only when the petition is filed, so that a draft adds no record "
            "another organisation could find."
        ),
    )
    facility_description = models.TextField(
        blank=True,
        help_text="Products or services, and the facility's trade with or competition in the other Party.",
    )
    narrative = models.TextField(blank=True, help_text="The specific facts of the alleged denial of rights.")
    laws_cited = models.TextField(
        blank=True, help_text="Mexican laws allegedly not complied with (recommended)."
    )
    domestic_proceedings = models.TextField(
        blank=True, help_text="Relief sought in Mexico and its status (optional since 2023)."
    )
    language = choice_field(Language, default=Language.EN, help_text="Language the petition is written in.")
    anonymous = models.BooleanField(
        default=False, help_text="Filed without naming the petitioners publicly (allowed since 2023)."
    )
    contact_name = models.CharField(max_length=255, blank=True, help_text="Contact person.")
    contact_email = models.EmailField(blank=True, help_text="Contact e-mail.")
    contact_phone = models.CharField(max_length=50, blank=True, help_text="Contact telephone.")
    contact_address = models.TextField(blank=True, help_text="Postal address.")
    confidential_fields = models.JSONField(
        default=list,
        blank=True,
        help_text=f"Fields kept from the public; any of {', '.join(CONFIDENTIAL_FIELD_NAMES)}.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the petitioner submitted it.")
    received_on = optional_date(help_text="OTLA's receipt date, which starts the ILC's 30-day clock.")
    created_by = user_reference(help_text="User who opened the draft.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("status", PetitionStatus, name="petition_status_valid"),
            in_vocabulary("language", Language, name="petition_language_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="petition_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Petition {self.pk} ({self.status})"


class PetitionerRole(models.TextChoices):
    LEAD = "lead", _("Lead petitioner")
    CO = "co", _("Co-petitioner")


class Petitioner(models.Model):
    Role = PetitionerRole

    petition = owner(Petition, related_name="petitioners", help_text="Petition filed.")
    organisation = protected_reference(
        Organisation, related_name="petitions", help_text="Organisation filing."
    )
    role = choice_field(Role, max_length=4, default=Role.CO, help_text="Lead or co-petitioner.")
    identity_confidential = models.BooleanField(
        default=False, help_text="The organisation asks that its identity not be published."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "organisation"], name="petitioner_once_per_petition"),
            models.UniqueConstraint(fields=["petition"], condition=Q(role="lead"), name="petition_one_lead"),
            in_vocabulary("role", PetitionerRole, name="petitioner_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on petition {self.petition_id}"


class ClaimCategory(models.TextChoices):
    DISMISSAL = "dismissal_union_activity", _("Dismissal for union activity")
    INTERFERENCE = "employer_interference", _("Employer interference")
    PROTECTION_CONTRACT = "protection_contract", _("Protection contract or imposed CBA")
    VOTE_IRREGULARITIES = "vote_irregularities", _("Irregularities in a vote")
    DENIAL_OF_ACCESS = "denial_of_access", _("Denial of access to union representatives")
    FAILURE_TO_BARGAIN = "failure_to_bargain", _("Failure to bargain or apply a contrato ley")
    BLACKLISTING = "blacklisting", _("Blacklisting")
    OTHER = "other", _("Other")


class Claim(models.Model):
    """One allegation of the petition, tagged with a denial-of-rights category (docs/mechanism.md)."""

    Category = ClaimCategory

    petition = owner(Petition, related_name="claims", help_text="Petition making the claim.")
    category = choice_field(Category, max_length=30, help_text="Denial-of-rights category.")
    description = models.TextField(help_text="Facts alleged.")
    began_on = optional_date(help_text="When the conduct began (must post-date 1 July 2020 to be covered).")
    ended_on = optional_date(help_text="When it ended, if it has.")
    confidential = models.BooleanField(default=False, help_text="Kept from the public.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("category", ClaimCategory, name="claim_category_valid"),
            date_not_before("ended_on", "began_on", name="claim_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class Evidence(TimeStamped):
    petition = protected_reference(
        Petition, related_name="evidence", help_text="Petition the evidence supports."
    )
    title = models.CharField(max_length=255, help_text="What the document is.")
    file = models.FileField(
        upload_to="evidence/%Y/%m/",
        help_text="Stored outside the web root; served only through a permission check.",
    )
    content_type = models.CharField(max_length=100, help_text="Media type judged from the content.")
    size = models.PositiveBigIntegerField(help_text="Size in bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the content.")
    language = choice_field(Language, default=Language.ES, help_text="Language of the document.")
    confidential = models.BooleanField(
        default=True, help_text="Kept from the public; worker statements usually are."
    )
    uploaded_by = user_reference(help_text="Uploader.")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="evidence_not_empty"),
            in_vocabulary("language", Language, name="evidence_language_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class ScreeningDetermination(models.TextChoices):
    PENDING = "pending", "Pending"
    SUFFICIENT = "sufficient", "Sufficient, credible evidence"
    INSUFFICIENT = "insufficient", "Insufficient evidence"
    RESOLVED = "resolved", "Issue resolved during review"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Screening(TimeStamped):
    """The ILC's (or Canada's NAO's) 30-day screening of a petition."""

    Determination = ScreeningDetermination

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="screening", help_text="Petition screened."
    )
    started_on = models.DateField(help_text="Date the screening began (OTLA's receipt).")
    determination = choice_field(
        Determination, max_length=15, default=Determination.PENDING, help_text="Result."
    )
    determined_on = optional_date(help_text="Date of the determination.")
    findings = models.TextField(blank=True, help_text="Reasons given.")
    employer_consulted = models.BooleanField(
        default=False, help_text="The ILC consulted the employer (allowed since 2023)."
    )
    petitioner_notified_on = optional_date(help_text="Notice to the petitioner (mandatory since 2023).")
    certified_to_congress_on = optional_date(
        help_text="Certification of a negative determination to Congress."
    )
    documents = models.ManyToManyField(
        Document, blank=True, related_name="screenings", help_text="Documents of the screening."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("determination", ScreeningDetermination, name="screening_determination_valid"),
            models.CheckConstraint(
                condition=Q(determined_on__isnull=True) | Q(determined_on__gte=models.F("started_on")),
                name="screening_determined_after_start",
            ),
            models.CheckConstraint(
                condition=Q(determination="pending") | Q(determined_on__isnull=False),
                name="screening_determination_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening of petition {self.petition_id}"
