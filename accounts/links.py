"""Signed, expiring links sent by e-mail: the confirmed-address flow shared by invitations
(accounts.services) and API key requests (public.services).

A link carries a row's id, signed with the secret key and a salt naming its purpose, and the time it
was signed; it stops working after `max_age`. That it works once only is the row's business: the service
that opens it records its use under a row lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rrm.errors import DomainError


class LinkError(DomainError):
    """A link that cannot be used; its message says why and what to do. `status`: the HTTP answer."""

    status = 410  # Gone: the link was good once


class LinkInvalid(LinkError):
    status = 400


class LinkExpired(LinkError):
    pass


class LinkUsed(LinkError):
    pass


def _salt(purpose: str) -> str:
    return f"rrm.links.{purpose}"


def link_token(*, purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=_salt(purpose), compress=False)


def opened_link(*, purpose: str, token: str, max_age: dt.timedelta) -> int:
    """The id a link names; LinkExpired or LinkInvalid when it cannot be used."""
    try:
        return int(signing.loads(token, salt=_salt(purpose), max_age=max_age))
    except signing.SignatureExpired as error:
        raise LinkExpired(str(translation.gettext("This link has expired: ask for a new one."))) from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise LinkInvalid(
            str(translation.gettext("This link is not valid: copy the whole address from the e-mail."))
        ) from error


@dataclass(frozen=True)
class Link:
    """A link to `view_name` with the signed token of row `pk`, on the site at `origin` (scheme and host)."""

    purpose: str
    pk: int
    view_name: str
    origin: str

    def address(self) -> str:
        token = link_token(purpose=self.purpose, pk=self.pk)
        return self.origin.rstrip("/") + reverse(self.view_name, args=[token])


def send_link(
    link: Link, *, to: str, language: str, subject: str, template: str, context: dict[str, object]
) -> None:
    """An e-mail in the recipient's language, its body from `template` (plain text) with the link's
    address as `link`."""
    with translation.override(language):
        body = render_to_string(template, {**context, "link": link.address()})
        send_mail(str(translation.gettext(subject)), body, settings.DEFAULT_FROM_EMAIL, [to])
