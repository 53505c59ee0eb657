"""The forms of the account pages; every label and message is translated."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors
from rrm.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def code_field(*, required: bool, help_text: StrOrPromise) -> forms.RegexField:
    return forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        required=required,
        label=_("Authentication code"),
        help_text=help_text,
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _verified_device(devices: Iterable[TOTPDevice], code: str) -> TOTPDevice | None:
    """The device the code belongs to; django-otp throttles repeated failures per device."""
    return next((device for device in devices if device.verify_token(code.strip())), None)


class SignInForm(AuthenticationForm):
    """Username and password, and the authenticator code of a user who set up two-factor sign-in."""

    code = code_field(
        required=False,
        help_text=_("Only if you set up two-factor authentication: the 6 digits your app shows now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].help_text = _("If you joined by invitation: your e-mail address.")
        self.device: TOTPDevice | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        devices = selectors.confirmed_authenticators_of(user)
        if not devices.exists():
            return cleaned
        code = cleaned.get("code") or ""
        if not code:
            raise forms.ValidationError({"code": _("Enter the code of your authenticator app.")})
        self.device = _verified_device(devices, code)
        if self.device is None:
            raise forms.ValidationError(
                {"code": _("This code is wrong or has expired: enter the current one.")}
            )
        return cleaned


class AuthenticatorCodeForm(forms.Form):
    """A code that proves the user holds one of `devices`."""

    code = code_field(required=True, help_text=_("The 6 digits your authenticator app shows now."))

    def __init__(self, *args: Any, devices: Iterable[TOTPDevice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device: TOTPDevice | None = None

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        self.device = _verified_device(self.devices, code)
        if self.device is None:
            raise forms.ValidationError(_("This code is wrong or has expired: enter the current one."))
        return code


class InvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the invitation"))
    as_administrator = forms.BooleanField(
        required=False,
        label=_("May invite others"),
        help_text=_("The new member may invite further members of the organisation."),
    )

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.organisations_open_to_invitations_by(inviter)


class NewPasswordForm(forms.Form):
    """The password of an account created from an invitation, checked by the project's validators."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            raise forms.ValidationError({"password2": _("The two passwords differ.")})
        if first:
            try:
                password_validation.validate_password(first, User(username=self.email, email=self.email))
            except forms.ValidationError as error:
                raise forms.ValidationError({"password1": error.messages}) from error
        return cleaned
