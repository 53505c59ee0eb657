"""Reads of accounts: whom a user may invite where, their sessions, tokens, devices and language."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import Preferences, SignedInSession
from rrm.api.roles import is_case_officer
from rrm.models import Organisation


def organisations_open_to_invitations_by(user: User) -> QuerySet[Organisation]:
    """Case officers invite into any organisation; a member into those they administer."""
    return Organisation.objects.all() if is_case_officer(user) else administered_by(user)


def administered_by(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(administrators__user=user)


def may_invite(user: User) -> bool:
    return is_case_officer(user) or administered_by(user).exists()


def live_sessions_of(user: User) -> list[SignedInSession]:
    """The user's recorded sessions whose store entry still exists (not signed out, not expired)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    recorded = SignedInSession.objects.filter(user=user)
    return [session for session in recorded if store(session_key=session.session_key).load()]


def live_tokens_of(user: User) -> QuerySet[AuthToken]:
    return AuthToken.objects.filter(user=user).order_by("-created")


def confirmed_authenticators_of(user: User) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def pending_authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def language_of(user: User) -> str | None:
    """The language the user chose, if it is still one the site offers."""
    language = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else None
