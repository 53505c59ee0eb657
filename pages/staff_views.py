"""The staff workspace: the work queue (page and CSV) and each case's staff page, where every workflow
step, extension, suspension, remediation plan and action is recorded through the API's services.

Case officers only (rrm.api.roles.is_case_officer): anyone signed out is sent to settings.LOGIN_URL,
a signed-in user who is not a case officer is refused (403).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pages import staff_forms
from pages.staff_selectors import StaffCasePage, queue_sections, staff_case_page
from remediation.models import RemediationAction, RemediationPlan
from rrm.api.roles import is_case_officer
from rrm.errors import DomainError
from rrm.models import Case
from rrm.work_queue import QUEUE_COLUMNS, QueueFilters, work_queue

View = Callable[..., HttpResponse]


def case_officer_required(view: View) -> View:
    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_case_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@case_officer_required
@require_GET
def staff_queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilters(request.GET or None)
    items = work_queue(today=timezone.localdate(), filters=filters)
    context = {
        "filters": filters,
        "sections": queue_sections(items),
        "days": filters.window_days,
        "count": len(items),
        "today": timezone.localdate(),
        "csv_url": reverse("pages:staff-queue-csv") + (f"?{request.GET.urlencode()}" if request.GET else ""),
    }
    return render(request, "pages/staff_queue.html", context)


@case_officer_required
@require_GET
def staff_queue_csv(request: HttpRequest) -> HttpResponse:
    """The queue's items as CSV, filtered as the page is; a filter outside its valid values answers 400."""
    filters = QueueFilters(request.GET)
    if not filters.is_valid():
        lines = [f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in filters.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=QUEUE_COLUMNS)
    writer.writeheader()
    for item in work_queue(today=timezone.localdate(), filters=filters):
        writer.writerow(item.as_row())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rrm-work-queue.csv"'
    return response


def _form_named(case: Case, name: str, data: Any) -> staff_forms.StaffForm | None:
    """The case page's form that `name` (its prefix) names, bound to `data`; None if there is none."""
    kind, _, key = name.partition("-")
    simple = {"step": staff_forms.StepForm, "extension": staff_forms.ExtensionForm}
    simple["suspension"] = staff_forms.SuspensionForm
    if kind in simple and not key:
        return simple[kind](data, case=case, prefix=name)
    if not key.isdigit():
        return None
    plans = RemediationPlan.objects.filter(case=case)
    actions = RemediationAction.objects.filter(plan__case=case)
    about_plans = {"plan": staff_forms.PlanForm, "newaction": staff_forms.NewActionForm}
    about_actions = {"progress": staff_forms.ActionProgressForm, "verify": staff_forms.VerificationForm}
    if kind in about_plans:
        return about_plans[kind](data, record=get_object_or_404(plans, pk=key), prefix=name)
    if kind in about_actions:
        return about_actions[kind](data, record=get_object_or_404(actions, pk=key), prefix=name)
    return None


def _commits(request: HttpRequest, form: staff_forms.StaffForm) -> bool:
    """A step is recorded only from its preview's button; other forms are recorded when sent."""
    return not isinstance(form, staff_forms.StepForm) or "commit" in request.POST


@case_officer_required
@require_http_methods(["GET", "POST"])
def staff_case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("facility"), case_id=case_id)
    sent: staff_forms.StaffForm | None = None
    if request.method == "POST":
        sent = _form_named(case, request.POST.get("form", ""), request.POST)
        if sent is None:
            return HttpResponseBadRequest("Unknown form.")
        if sent.is_valid() and _commits(request, sent):
            try:
                message = sent.save(user=request.user)
            except (DomainError, ValidationError) as error:
                sent.refuse(error)
            else:
                messages.success(request, message)
                return redirect(reverse("pages:staff-case", args=[case.case_id]))
    page: StaffCasePage = staff_case_page(case=case, sent=sent)
    status = 400 if sent is not None and sent.errors else 200
    return render(request, "pages/staff_case.html", {"page": page}, status=status)
