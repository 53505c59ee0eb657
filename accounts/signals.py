"""Every sign-in through django.contrib.auth (these pages, the admin, the API's session) records its
session, so that its user can see and end it on the security page; signing out forgets it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest

from accounts import services


def _session_key(request: HttpRequest | None) -> str | None:
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def record_session(sender: type, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    session_key = _session_key(request)
    if session_key is not None:
        services.record_session(
            user=user, session_key=session_key, user_agent=request.META.get("HTTP_USER_AGENT", "")
        )


def forget_session(sender: type, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    session_key = _session_key(request)
    if session_key is not None:
        services.forget_session(session_key=session_key)


def connect_receivers() -> None:
    user_logged_in.connect(record_session, dispatch_uid="accounts.signals.record_session")
    user_logged_out.connect(forget_session, dispatch_uid="accounts.signals.forget_session")
