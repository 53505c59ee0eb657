"""Writes of accounts: invitations, joining an organisation, the language preference, browser sessions,
API tokens and authenticator devices. Keyword-only arguments; each write in one transaction."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.links import Link, LinkExpired, LinkInvalid, LinkUsed, opened_link, send_link
from accounts.models import Invitation, OrganisationAdministrator, Preferences, SignedInSession
from rrm.models import Organisation

INVITATION_PURPOSE = "invitation"


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.RRM_INVITATION_DAYS)


# --------------------------------------------------------------------------------------------------
# Invitations


@transaction.atomic
def invite_member(
    *,
    organisation: Organisation,
    email: str,
    invited_by: User,
    language: str,
    origin: str,
    as_administrator: bool = False,
) -> Invitation:
    """An invitation, e-mailed once this transaction commits; `origin` is the site's scheme and host."""
    from accounts import tasks

    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        as_administrator=as_administrator,
        language=language,
        invited_by=invited_by,
        expires_at=timezone.now() + invitation_lifetime(),
    )
    transaction.on_commit(lambda: tasks.send_invitation.delay(invitation.pk, origin))
    return invitation


def send_invitation(*, invitation_id: int, origin: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    send_link(
        Link(
            purpose=INVITATION_PURPOSE,
            pk=invitation.pk,
            view_name="accounts:accept-invitation",
            origin=origin,
        ),
        to=invitation.email,
        language=invitation.language,
        subject=gettext_noop("You are invited to the RRM case record"),
        template="accounts/email/invitation.txt",
        context={"invitation": invitation},
    )


def usable_invitation(*, token: str, for_update: bool = False) -> Invitation:
    """The invitation a link names, still usable; LinkExpired, LinkInvalid or LinkUsed otherwise."""
    pk = opened_link(purpose=INVITATION_PURPOSE, token=token, max_age=invitation_lifetime())
    rows = Invitation.objects.select_related("organisation")
    invitation = (rows.select_for_update(of=("self",)) if for_update else rows).filter(pk=pk).first()
    if invitation is None:
        raise LinkExpired(_("This invitation was withdrawn: ask for a new one."))
    if invitation.used_at is not None:
        raise LinkUsed(_("This invitation was already used: sign in, or ask for a new one."))
    if invitation.is_expired:
        raise LinkExpired(_("This invitation has expired: ask the organisation for a new one."))
    return invitation


def _join(invitation: Invitation, user: User) -> None:
    invitation.organisation.members.add(user)
    if invitation.as_administrator:
        OrganisationAdministrator.objects.get_or_create(organisation=invitation.organisation, user=user)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])


@transaction.atomic
def accept_invitation(*, token: str, password: str, language: str) -> User:
    """A new account named after the invited address, with this password, member of the organisation."""
    invitation = usable_invitation(token=token, for_update=True)
    user = User.objects.create_user(username=invitation.email, email=invitation.email, password=password)
    _join(invitation, user)
    remember_language(user=user, language=language)
    return user


@transaction.atomic
def join_with_invitation(*, token: str, user: User) -> Invitation:
    """An existing account, signed in as the invited address, joins the organisation."""
    invitation = usable_invitation(token=token, for_update=True)
    if user.get_username().lower() != invitation.email and user.email.lower() != invitation.email:
        message = _("This invitation is for another address: sign in as %(email)s.")
        raise LinkInvalid(message % {"email": invitation.email})
    _join(invitation, user)
    return invitation


# --------------------------------------------------------------------------------------------------
# Preferences


@transaction.atomic
def remember_language(*, user: User, language: str) -> Preferences:
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults={"language": language})
    return preferences


# --------------------------------------------------------------------------------------------------
# Sessions and tokens


def record_session(*, user: User, session_key: str, user_agent: str) -> SignedInSession:
    session, _created = SignedInSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "user_agent": user_agent[:200]}
    )
    return session


def forget_session(*, session_key: str) -> None:
    SignedInSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def end_session(*, user: User, session_id: int) -> bool:
    """End one of the user's sessions (its store entry too); False when it is not theirs."""
    session = SignedInSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        return False
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key).delete()
    session.delete()
    return True


@transaction.atomic
def revoke_token(*, user: User, token_key: str) -> bool:
    """Revoke the user's API tokens that start with `token_key`; False when none is theirs."""
    deleted, _rows = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


# --------------------------------------------------------------------------------------------------
# Two-factor authentication


@transaction.atomic
def start_authenticator(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for the user, the one kept while they have not confirmed it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_authenticator(*, device: TOTPDevice) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device
