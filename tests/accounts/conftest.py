"""Fixtures of the account tests: people with passwords, case officers, authenticator codes, and the
e-mails the flows send."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.world import PASSWORD
from tests.api.world import make_officer as make_case_officer
from tests.api.world import make_user as make_person

__all__ = ["PASSWORD", "make_case_officer", "make_person"]


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def authenticator_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def last_link() -> str:
    """The address of the link in the last e-mail sent."""
    match = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(0)


@pytest.fixture
def link_path() -> Callable[[], str]:
    def path() -> str:
        return "/" + last_link().split("/", 3)[3]

    return path
