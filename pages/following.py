"""Anyone may follow a public case by e-mail: the address is confirmed by a signed link (double opt-in),
and every notice carries a one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pages.workspace_forms import FollowForm
from rrm.choices import request_language
from rrm.errors import DomainError
from rrm.models import Case
from rrm.notifications import subscriptions

NOTICES = _("Notices by e-mail")


def titled(
    request: HttpRequest, template: str, heading: Any, *, status: int = 200, **context: Any
) -> HttpResponse:
    """A page whose title and first heading are `heading`."""
    return render(request, f"pages/{template}.html", {"heading": heading, **context}, status=status)


@require_POST
def follow_case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = get_object_or_404(Case, case_id=case_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return titled(request, "follow/ask", _("Follow this case"), status=400, case=case, form=form)
    subscriptions.follow_case(case=case, email=form.cleaned_data["email"], language=request_language())
    return titled(request, "follow/requested", _("Check your inbox"), case=case)


@require_GET
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = subscriptions.confirm_follow(token=token)
    except DomainError as refusal:
        return titled(request, "follow/done", NOTICES, status=400, problem=str(refusal))
    return titled(request, "follow/done", NOTICES, case=subscription.case, confirmed=True)


# A mail client's one-click POST (List-Unsubscribe-Post) carries no CSRF token: the signed link is the
# credential, and it can only stop mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return titled(request, "follow/unsubscribe", _("Stop the notices"))
    try:
        subscriptions.unsubscribe(token=token)
    except DomainError as refusal:
        return titled(request, "follow/done", NOTICES, status=400, problem=str(refusal))
    return titled(request, "follow/done", NOTICES)
