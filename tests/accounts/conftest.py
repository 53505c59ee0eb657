"""Fixtures of the account tests: people with passwords, case officers, authenticator codes, and the
e-mails the flows send."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rrm.api.roles import CASE_OFFICERS_GROUP
from tests.factories import UserFactory

PASSWORD = "a long and uncommon passphrase 42"


def make_person(username: str, **fields: object) -> User:
    user: User = UserFactory(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_case_officer(username: str = "officer") -> User:
    user = make_person(username, is_staff=True)
    user.groups.add(Group.objects.get(name=CASE_OFFICERS_GROUP))
    return user


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
