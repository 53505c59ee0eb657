"""Public pages (no login) and the staff dashboard."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pages import charts, selectors
from pages.chart_svg import chart_svg
from pages.charts import ChartTable
from pages.forms import CaseFilterForm
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


def _chart_file(
    slug: str, *, extension: str, content_type: str, content: Callable[[ChartTable], str]
) -> HttpResponse:
    """A file of one chart, named after the chart."""
    if slug not in charts.CHART_BUILDERS:
        raise Http404(slug)
    response = HttpResponse(content(charts.chart(slug)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="rrm-{slug}.{extension}"'
    return response


@require_GET
def statistics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One chart's table as CSV."""
    return _chart_file(
        slug, extension="csv", content_type="text/csv; charset=utf-8", content=ChartTable.csv_text
    )


@require_GET
def statistics_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """One chart as an SVG image, drawn from the same figures as the page's chart."""
    return _chart_file(
        slug,
        extension="svg",
        content_type="image/svg+xml; charset=utf-8",
        content=lambda table: chart_svg(table.spec, title=table.title),
    )


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
