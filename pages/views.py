"""Public pages (no login) and the staff dashboard."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pages import charts, selectors
from pages.forms import CaseFilterForm, SearchForm
from public import search as full_text
from public.selectors import public_cases
from rrm.selectors import company_denial_history, facility_denial_history

CASES_PER_PAGE = 20
LATEST_CASES_ON_HOME = 5


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "figures": selectors.key_figures(),
        "latest_cases": list(selectors.listed_cases()[:LATEST_CASES_ON_HOME]),
    }
    return render(request, "pages/home.html", context)


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, years=selectors.case_years())
    cases = form.filter(selectors.listed_cases()) if form.is_bound else selectors.listed_cases()
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "is_filtered": form.is_bound and form.is_filtered()}
    return render(request, "pages/case_list.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Every kind of public row matching the words of ?q=, best first, each kind under its heading. A
    search that is empty or too long is answered 400 with the form's error."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    found = full_text.search_everything(form.cleaned_data["q"]) if form.is_valid() else []
    context = {
        "form": form,
        "found": found,
        "search_words": request.GET.get("q", ""),
        "search_invalid": bool(form.errors),
    }
    return render(request, "pages/search.html", context, status=400 if form.errors else 200)


@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    return render(request, "pages/case_detail.html", {"page": selectors.case_page(case_id=case_id)})


@require_GET
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility, cases = selectors.facility_page(pk=pk)
    history = facility_denial_history(facility=facility, cases=public_cases())
    return render(
        request, "pages/facility_detail.html", {"facility": facility, "cases": cases, "history": history}
    )


@require_GET
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.company_page(pk=pk)
    history = company_denial_history(company=page.company, cases=public_cases())
    return render(request, "pages/company_detail.html", {"page": page, "history": history})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    context = {"charts": charts.all_charts(), "low_n_note": charts.low_n_note()}
    return render(request, "pages/statistics.html", context)


@require_GET
def statistics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One chart's table as CSV, named after the chart."""
    if slug not in charts.CHART_BUILDERS:
        raise Http404(slug)
    response = HttpResponse(charts.chart(slug).csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rrm-{slug}.csv"'
    return response


@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """Signed-in staff only: anyone else signed out is sent to the login page; a signed-in non-staff
    user is refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("admin:login"))
    if not request.user.is_staff:
        raise PermissionDenied
    deadlines = selectors.staff_deadlines(today=timezone.localdate())
    return render(request, "pages/staff_dashboard.html", {"deadlines": deadlines})
