"""Public pages (no login); the staff workspace is pages.staff_views."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.links import LinkError
from accounts.views import notice, render_form, unusable_link
from pages import charts, selectors
from pages.chart_svg import chart_svg
from pages.charts import ChartTable
from pages.forms import ApiKeyRequestForm, CaseFilterForm, SearchForm
from pages.workspace_forms import FollowForm
from public import search as full_text
from public import services as public_services
from public.api.throttles import KeyRequestThrottle
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
    is_filtered = form.is_bound and form.is_filtered()
    clear_url = reverse("pages:case-list") if is_filtered else ""
    context = {"form": form, "page": page, "is_filtered": is_filtered, "clear_url": clear_url}
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
    context = {"page": selectors.case_page(case_id=case_id), "follow_form": FollowForm()}
    return render(request, "pages/case_detail.html", context)


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


def api_key_request(request: HttpRequest) -> HttpResponse:
    """Ask for a key of the public API: a confirmation link goes to the address given."""
    form = ApiKeyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not KeyRequestThrottle().allows_page_request(request):
            message = _("Too many key requests came from your address: try again in an hour.")
            return notice(request, title=_("Too many requests"), message=message, status=429, role="alert")
        public_services.request_api_key(
            **form.cleaned_data, language=get_language(), origin=request.build_absolute_uri("/")
        )
        message = _("A confirmation link was sent to %(email)s: open it to get your key.") % form.cleaned_data
        return notice(request, title=_("Check your e-mail"), message=message)
    return render_form(request, "pages/api_key_request.html", {"form": form})


@never_cache
def api_key_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: a button (so that a mail scanner opening the link issues nothing), then the key,
    shown once."""
    try:
        public_services.pending_key_request(token=token)
        if request.method != "POST":
            return render(request, "pages/api_key_confirm.html")
        api_key, key = public_services.confirm_api_key_request(token=token)
    except LinkError as error:
        return unusable_link(request, error)
    return render(request, "pages/api_key_issued.html", {"api_key": api_key, "key": key})
