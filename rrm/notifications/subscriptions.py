"""Subscriptions to notices: a member's own (confirmed at once), a visitor's e-mail (double opt-in by a
signed link), and one-click unsubscribe by a signed link that every notice e-mail carries."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from rrm.errors import DomainError
from rrm.models import Case, CaseWatch, Organisation, Subscription

CONFIRM_SALT = "rrm.subscriptions.confirm"
UNSUBSCRIBE_SALT = "rrm.subscriptions.unsubscribe"
# A confirmation link lasts three days; an unsubscribe link as long as the notices it came with.
CONFIRMATION_MAX_AGE_SECONDS = 3 * 24 * 60 * 60
UNUSABLE_LINK = "This link is not valid or has expired."


def site_url(path: str) -> str:
    return f"{settings.RRM_SITE_URL}{path}"


def case_url(case_id: str) -> str:
    return site_url(reverse("pages:case-detail", kwargs={"case_id": case_id}))


def unsubscribe_url(email: str) -> str:
    token = signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT)
    return site_url(reverse("pages:unsubscribe", kwargs={"token": token}))


def confirmation_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    return site_url(reverse("pages:follow-confirm", kwargs={"token": token}))


@transaction.atomic
def subscribe_member(
    *, user: User, language: str, covering: Case | Organisation | None
) -> tuple[Subscription, bool]:
    """The member's own address, confirmed (the account proves it), for one case, for an organisation's
    cases, or (covering nothing) for every public case. The caller checked that the user may see the
    case or belongs to the organisation."""
    if not user.email:
        raise DomainError(gettext("Your account has no e-mail address to send notices to."))
    case = covering if isinstance(covering, Case) else None
    organisation = covering if isinstance(covering, Organisation) else None
    scope = (
        Subscription.Scope.CASE
        if case
        else Subscription.Scope.ORGANISATION
        if organisation
        else Subscription.Scope.PUBLIC
    )
    return Subscription.objects.get_or_create(
        email__iexact=user.email,
        scope=scope,
        case=case,
        organisation=organisation,
        defaults={"email": user.email, "user": user, "language": language, "confirmed_at": timezone.now()},
    )


@transaction.atomic
def unsubscribe_member(*, user: User, subscription_id: int) -> bool:
    deleted, _ = Subscription.objects.filter(pk=subscription_id, user=user).delete()
    return bool(deleted)


@transaction.atomic
def follow_case(*, case: Case, email: str, language: str) -> Subscription:
    """A visitor asks to follow a case: nothing is sent to the address but the confirmation link, and
    the same answer is given whether or not it already follows the case."""
    subscription, _ = Subscription.objects.get_or_create(
        email__iexact=email,
        scope=Subscription.Scope.CASE,
        case=case,
        organisation=None,
        defaults={"email": email, "language": language},
    )
    if subscription.confirmed_at is None:
        from rrm.tasks import send_follow_confirmation

        transaction.on_commit(partial(send_follow_confirmation.delay, subscription.pk))
    return subscription


def send_confirmation(*, subscription_id: int) -> bool:
    subscription = Subscription.objects.select_related("case").filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed_at is not None or subscription.case is None:
        return False
    with translation.override(subscription.language):
        subject = gettext("[RRM] Confirm that you follow %(case)s") % {"case": subscription.case.case_id}
        body = "\n".join(
            [
                gettext("Someone, probably you, asked to receive the news of case %(case)s at this address.")
                % {"case": subscription.case.case_id},
                gettext("To confirm, open this link within three days: %(url)s")
                % {"url": confirmation_url(subscription)},
                gettext("If it was not you, ignore this message: nothing will be sent."),
            ]
        )
    EmailMessage(subject=subject, body=body, to=[subscription.email]).send()
    return True


@transaction.atomic
def confirm_follow(*, token: str) -> Subscription:
    try:
        subscription_id = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE_SECONDS)
    except signing.BadSignature as error:
        raise DomainError(gettext(UNUSABLE_LINK)) from error
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        raise DomainError(gettext(UNUSABLE_LINK))
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(*, token: str) -> int:
    """Stop every notice e-mail to the address the link was sent to: its subscriptions and the watches of
    accounts with that address. Returns how many were removed (0 when it was already done)."""
    try:
        email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise DomainError(gettext(UNUSABLE_LINK)) from error
    subscriptions, _ = Subscription.objects.filter(email__iexact=email).delete()
    watches, _ = CaseWatch.objects.filter(user__email__iexact=email).delete()
    return subscriptions + watches
