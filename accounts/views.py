"""The account pages: sign-in (with the authenticator code), sign-out, password reset, invitations, the
security page (sessions, API tokens, two-factor authentication) and the remembered language.

Thin views: the writes are accounts.services, the reads accounts.selectors."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from accounts import forms, selectors, services
from accounts.links import LinkError
from rrm.api.roles import is_case_officer

# The site's language cookie carries the user's preference from the sign-in on.
LANGUAGE_COOKIE_ARGUMENTS = ("path", "domain", "secure", "httponly", "samesite")


def with_language(response: HttpResponseBase, language: str | None) -> HttpResponseBase:
    if language is not None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            **{
                name: getattr(settings, f"LANGUAGE_COOKIE_{name.upper()}")
                for name in LANGUAGE_COOKIE_ARGUMENTS
            },
        )
    return response


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page with a form: 400 when the form was sent and refused, so that scripts see the refusal."""
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def signed_in_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def notice(
    request: HttpRequest, *, title: str, message: str, status: int = 200, role: str = "status"
) -> HttpResponse:
    """A page that says one thing (accounts/notice.html)."""
    return render(
        request, "accounts/notice.html", {"title": title, "message": message, "role": role}, status=status
    )


class SignInView(auth_views.LoginView):
    form_class = forms.SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    extra_context = {
        "title": _lazy("Sign in"),
        "action": reverse_lazy("accounts:login"),
        "submit": _lazy("Sign in"),
        "aside": {
            "url": reverse_lazy("accounts:password-reset"),
            "label": _lazy("Forgotten your password?"),
        },
    }

    def form_valid(self, form: forms.SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        auth_login(self.request, user)
        if form.device is not None:
            otp_login(self.request, form.device)
        response = redirect(self.get_success_url())
        with_language(response, selectors.language_of(user))
        return response

    def form_invalid(self, form: forms.SignInForm) -> HttpResponse:  # type: ignore[override]
        return render_form(self.request, self.template_name, self.get_context_data(form=form))


sign_out = auth_views.LogoutView.as_view()
sign_in = SignInView.as_view()


# Django's four password-reset views, on one page (accounts/password_reset.html) that tells them apart by
# their context; their titles come from Django, translated.
RESET_PAGE = "accounts/password_reset.html"
password_reset = auth_views.PasswordResetView.as_view(
    template_name=RESET_PAGE,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(template_name=RESET_PAGE)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name=RESET_PAGE, success_url=reverse_lazy("accounts:password-reset-complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(template_name=RESET_PAGE)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {"organisations": user.organisations.all(), "is_case_officer": is_case_officer(user)}
    return render(request, "accounts/home.html", context)


# --------------------------------------------------------------------------------------------------
# Invitations


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not selectors.may_invite(user):
        message = _(
            "Only an organisation's administrators and the case officers may invite members. Ask one of them."
        )
        return notice(request, title=_("Invite members"), message=message, status=403, role="alert")
    form = forms.InvitationForm(request.POST or None, inviter=user, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        invitation = services.invite_member(
            **form.cleaned_data, invited_by=user, origin=request.build_absolute_uri("/")
        )
        messages.success(
            request,
            _("An invitation to %(organisation)s was sent to %(email)s.")
            % {"organisation": invitation.organisation, "email": invitation.email},
        )
        return redirect("accounts:invite")
    context = {"form": form, "invitation_days": settings.RRM_INVITATION_DAYS}
    return render_form(request, "accounts/invite.html", context)


def unusable_link(request: HttpRequest, error: LinkError) -> HttpResponse:
    title = _("This link cannot be used")
    return notice(request, title=title, message=str(error), status=error.status, role="alert")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A new account sets its password here; an existing one, signed in, joins with one button."""
    try:
        invitation = services.usable_invitation(token=token)
    except LinkError as error:
        return unusable_link(request, error)
    if User.objects.filter(username__iexact=invitation.email).exists():
        return _join_existing_account(request, token, invitation)
    form = forms.NewPasswordForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, password=form.cleaned_data["password1"], language=get_language()
            )
        except LinkError as error:
            return unusable_link(request, error)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome: you are a member of %(organisation)s.") % {"organisation": invitation.organisation},
        )
        return with_language(redirect("accounts:home"), get_language())  # type: ignore[return-value]
    context = {
        "form": form,
        "title": _("Join %(organisation)s") % {"organisation": invitation.organisation.name},
        "lead": _("Choose a password for your account. Your username is your e-mail address, %(email)s.")
        % {"email": invitation.email},
        "submit": _("Create my account"),
    }
    return render_form(request, "accounts/form_page.html", context)


def _join_existing_account(request: HttpRequest, token: str, invitation: object) -> HttpResponse:
    if request.method == "POST" and request.user.is_authenticated:
        try:
            joined = services.join_with_invitation(token=token, user=signed_in_user(request))
        except LinkError as error:
            return unusable_link(request, error)
        messages.success(
            request, _("You are now a member of %(organisation)s.") % {"organisation": joined.organisation}
        )
        return redirect("accounts:home")
    return render(request, "accounts/join_organisation.html", {"invitation": invitation})


# --------------------------------------------------------------------------------------------------
# Security: sessions, tokens, two-factor authentication


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        "sessions": selectors.live_sessions_of(user),
        "current_session_key": request.session.session_key,
        "tokens": selectors.live_tokens_of(user),
        "authenticators": selectors.confirmed_authenticators_of(user),
        "two_factor_required": _two_factor_required(user),
    }
    return render(request, "accounts/security.html", context)


def _back_to_security(request: HttpRequest, *, done: bool, message: str) -> HttpResponse:
    if done:
        messages.success(request, message)
    return redirect("accounts:security")


@require_POST
@login_required
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    ended = services.end_session(user=signed_in_user(request), session_id=session_id)
    return _back_to_security(
        request, done=ended, message=_("The session was ended: that browser is signed out.")
    )


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_key: str) -> HttpResponse:
    revoked = services.revoke_token(user=signed_in_user(request), token_key=token_key)
    message = _("The API token was revoked: scripts using it must ask for a new one.")
    return _back_to_security(request, done=revoked, message=message)


def _safe_next(request: HttpRequest) -> str:
    """Where to go once the code is proven: `next` when it stays on this site."""
    target = request.GET.get("next", "")
    stays_here = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and stays_here else reverse("accounts:home")


def _two_factor_required(user: User) -> bool:
    return bool(settings.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS and is_case_officer(user))


def _qr_code_data_uri(config_url: str) -> str:
    svg = segno.make(config_url, error="m").svg_inline(scale=4, omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or, for a user who has one, prove this session holds it."""
    user = signed_in_user(request)
    confirmed = selectors.confirmed_authenticators_of(user)
    if confirmed.exists():
        form = forms.AuthenticatorCodeForm(request.POST or None, devices=confirmed)
        if request.method == "POST" and form.is_valid():
            otp_login(request, form.device)
            return redirect(_safe_next(request))
        context = {
            "form": form,
            "title": _("Enter your authentication code"),
            "lead": _("Case officers prove each sign-in with the code of their authenticator app."),
            "submit": _("Continue"),
        }
        return render_form(request, "accounts/form_page.html", context)
    device = selectors.pending_authenticator_of(user) or services.start_authenticator(user=user)
    form = forms.AuthenticatorCodeForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        services.confirm_authenticator(device=device)
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication is on: sign-ins now ask for a code."))
        return redirect("accounts:security")
    context = {
        "form": form,
        "qr_code": _qr_code_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render_form(request, "accounts/two_factor_setup.html", context)


# --------------------------------------------------------------------------------------------------
# Language


def set_language(request: HttpRequest) -> HttpResponseBase:
    """Django's set_language, and the choice kept as the signed-in user's preference."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.remember_language(user=signed_in_user(request), language=language)
    return response
