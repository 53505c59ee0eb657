"""What the public surface keeps of its own: throttle tiers, API keys, the corrections changelog and the
builds of the bulk export. The case record itself stays in rrm, petitions and remediation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import EmailedLink
from rrm.fields import choice_field, in_vocabulary, optional_reference, protected_reference
from rrm.models import Case


class ThrottleTier(models.Model):
    """A request budget. Staff change the numbers in the admin; the throttle reads them from here."""

    code = models.SlugField(max_length=40, unique=True, help_text="Stable name, e.g. 'anonymous'.")
    name = models.CharField(max_length=100, help_text="Human name shown to staff.")
    requests = models.PositiveIntegerField(help_text="Requests allowed per period.")
    period_seconds = models.PositiveIntegerField(help_text="Length of the period in seconds.")
    for_anonymous = models.BooleanField(
        default=False, help_text="The tier of callers without an API key (one tier at most)."
    )
    description = models.TextField(blank=True, help_text="Who the tier is for.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the limits last changed.")

    class Meta:
        ordering = ["requests"]
        constraints = [
            models.CheckConstraint(condition=Q(requests__gte=1), name="tier_requests_positive"),
            models.CheckConstraint(condition=Q(period_seconds__gte=1), name="tier_period_positive"),
            models.UniqueConstraint(
                fields=["for_anonymous"], condition=Q(for_anonymous=True), name="tier_one_anonymous"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.requests} per {self.period_seconds} s)"


class ApiKey(models.Model):
    """A key for a higher tier. Only the SHA-256 of the key is stored; the key is shown once."""

    name = models.CharField(max_length=200, help_text="Who holds the key (newsroom, research group).")
    contact_email = models.EmailField(blank=True, help_text="Whom to tell about changes; never published.")
    prefix = models.CharField(
        max_length=16, unique=True, help_text="Start of the key, to recognise it without the secret."
    )
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole key, in hex.")
    tier = protected_reference(ThrottleTier, related_name="api_keys", help_text="Request budget.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the key was issued.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When it stopped working.")

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiKeyRequest(EmailedLink):
    """Someone's request for a key, kept until they confirm their address from the e-mailed link; the
    key is issued at confirmation (public.services.confirm_api_key_request), once."""

    name = models.CharField(max_length=200, help_text="Who asks (newsroom, research group, person).")
    email = models.EmailField(help_text="Address the confirmation link was sent to; never published.")
    api_key = models.OneToOneField(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
        help_text="The key issued at confirmation.",
    )

    class Meta(EmailedLink.Meta):
        verbose_name = "API key request"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Correction(models.Model):
    """A published correction of the public record, for the changelog of the API and the bulk export.

    Dates corrected on a case's timeline are listed from the timeline itself (an event that corrects
    another); these rows are what staff write about any other correction.
    """

    case = optional_reference(
        Case,
        related_name="public_corrections",
        help_text="Case corrected; blank for a correction of the dataset as a whole.",
    )
    corrected_on = models.DateField(default=timezone.localdate, help_text="Date the correction was made.")
    field = models.CharField(max_length=100, blank=True, help_text="Field or table corrected.")
    previous_value = models.TextField(blank=True, help_text="What was published before.")
    corrected_value = models.TextField(blank=True, help_text="What is published now.")
    reason = models.TextField(help_text="Why, with the source of the corrected value.")
    source_url = models.URLField(max_length=500, blank=True, help_text="Source of the corrected value.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the entry was written.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True, help_text="When it last changed.")

    class Meta:
        ordering = ["-corrected_on", "-id"]

    def __str__(self) -> str:
        where = self.case.case_id if self.case is not None else "dataset"
        return f"{where}: {self.field or 'correction'} on {self.corrected_on}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a worker"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ExportBuild(models.Model):
    """One build of the bulk export (CSV files and a SQLite database) in its own directory."""

    Status = ExportStatus

    status = choice_field(Status, max_length=10, default=Status.PENDING, help_text="Where the build is.")
    requested_at = models.DateTimeField(auto_now_add=True, help_text="When a change asked for it.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker began it.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it was ready or failed.")
    directory = models.CharField(
        max_length=64, blank=True, help_text="Directory under PUBLIC_EXPORT_ROOT holding the files."
    )
    files = models.JSONField(
        default=list, blank=True, help_text="Each file: name, media type, rows, bytes, SHA-256."
    )
    error = models.TextField(blank=True, help_text="Why the build failed.")

    class Meta:
        ordering = ["-id"]
        constraints = [
            in_vocabulary("status", ExportStatus, name="export_status_valid"),
            # A burst of changes asks for one build, not one each.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="pending"), name="export_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Export build {self.pk} ({self.status})"
