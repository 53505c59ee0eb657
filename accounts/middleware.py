"""Two-factor authentication required of case officers where RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS
is on (production's default): a case officer signed in without proving an authenticator code is sent to
set one up, or to enter one; the API answers 403. Runs after django_otp's OTPMiddleware."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rrm.api.roles import is_case_officer

# Pages a case officer without a verified session may still open.
OPEN_VIEWS = ("accounts:two-factor", "accounts:logout", "set_language")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        if not settings.RRM_REQUIRE_TWO_FACTOR_FOR_CASE_OFFICERS or not self._unverified_officer(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            detail = _("Case officers must sign in with two-factor authentication: open %(url)s first.")
            return JsonResponse({"detail": detail % {"url": reverse("accounts:two-factor")}}, status=403)
        return redirect(reverse("accounts:two-factor") + "?" + urlencode({"next": request.get_full_path()}))

    @staticmethod
    def _unverified_officer(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or not is_case_officer(user):
            return False
        is_verified = getattr(user, "is_verified", None)
        return not (is_verified is not None and is_verified())
