"""What accounts keep of their own: invitations to an organisation, who administers an organisation,
each user's language, and the browser sessions each user holds (so that they can be listed and ended)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rrm.fields import owner
from rrm.models import Organisation


class EmailedLink(models.Model):
    """What a row reached through an e-mailed single-use link keeps (accounts.links): the language of the
    e-mail, when it was sent and when the link was used (once)."""

    language = models.CharField(max_length=8, choices=settings.LANGUAGES, help_text="Language of the e-mail.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the link was sent.")
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the link was used.")

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Invitation(EmailedLink):
    """An e-mailed, expiring, single-use invitation to join an organisation."""

    organisation = owner(Organisation, related_name="invitations", help_text="Organisation to join.")
    email = models.EmailField(help_text="Address the invitation was sent to; the new account's username.")
    as_administrator = models.BooleanField(
        default=False, help_text="The invitee may invite further members of the organisation."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who sent the invitation.",
    )
    expires_at = models.DateTimeField(help_text="After this the link no longer works.")

    class Meta(EmailedLink.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_after_creation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class OrganisationAdministrator(models.Model):
    """A member who may invite others into the organisation."""

    organisation = owner(Organisation, related_name="administrators", help_text="Organisation.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="administered_organisations",
        help_text="Member who administers it.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisation_administrator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} administers {self.organisation}"


class Preferences(models.Model):
    """What a user chose for themselves; applied at each sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", help_text="Owner."
    )
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, help_text="Language of the pages and the e-mails."
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class SignedInSession(models.Model):
    """A browser session of a user, recorded at sign-in, so that the user can see and end it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        help_text="Owner.",
    )
    session_key = models.CharField(max_length=40, unique=True, help_text="Key of the session store's entry.")
    signed_in_at = models.DateTimeField(auto_now_add=True, help_text="When the user signed in.")
    user_agent = models.CharField(
        max_length=200, blank=True, help_text="The browser, as it described itself."
    )

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
