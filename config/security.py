"""Login brute-force protection: django-axes' lockout check, for logins that arrive over HTTP."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse


def django_request(request: Any) -> Any:
    """The Django request inside DRF's Request (the token endpoint hands authenticate() the latter)."""
    return getattr(request, "_request", request)


class LoginLockout(AxesStandaloneBackend):
    """Refuses a locked-out caller before any password is checked; failures are counted by axes'
    receiver of user_login_failed.

    Callers inside the process (manage.py, the test client's login) pass no request: there is no
    client address to lock out, and axes would refuse them outright, so they go on to the password
    check unchanged.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(django_request(request), username=username, password=password, **kwargs)


# Connected when Django first loads the authentication backends, which is before any login can fail.
@receiver(user_locked_out, dispatch_uid="config.security.flag_django_request")
def flag_django_request(sender: Any, request: Any, **kwargs: Any) -> None:
    """Axes flags the request object it was given; its middleware reads the Django request. For DRF's
    Request those differ, and the API would answer a lockout like a wrong password (400) instead of 429."""
    inner = django_request(request)
    if inner is not request:
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)


LOGINS_DATABASE = "logins"


class LoginAttemptsRouter:
    """Axes' rows (failed logins, lockouts) go through the `logins` connection when settings define it:
    the same database, autocommit, so a failure is kept even when the request's transaction rolls back."""

    def _route(self, model: type[Model]) -> str | None:
        if model._meta.app_label == "axes" and LOGINS_DATABASE in settings.DATABASES:
            return LOGINS_DATABASE
        return None

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return self._route(model)

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return self._route(model)

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The `logins` alias is another door to the default database, whose migrations already ran.
        return False if db == LOGINS_DATABASE else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with Retry-After; JSON for the API, plain text for the admin's form. Names no username."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    message = "Too many failed logins from this address"
    message += f": try again in {max(1, seconds // 60)} minutes." if seconds else "."
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
