"""/api/v1/public/: these paths are fixed; journalists' scripts depend on them."""

from django.db.transaction import non_atomic_requests
from django.urls import path

from public.api import views

app_name = "public"


def read_only(view: type[views.PublicView]):  # type: ignore[no-untyped-def]
    # Nothing here writes: a cached answer must not even open a database transaction.
    return non_atomic_requests(view.as_view())


urlpatterns = [
    path("", read_only(views.PublicIndex), name="index"),
    path("cases/", read_only(views.CaseList), name="cases"),
    path("cases/<slug:case_id>/", read_only(views.CaseDetail), name="case-detail"),
    path("facilities/", read_only(views.FacilityList), name="facilities"),
    path("companies/", read_only(views.CompanyList), name="companies"),
    path("events/", read_only(views.EventList), name="events"),
    path("deadlines/", read_only(views.DeadlineList), name="deadlines"),
    path("remediation/", read_only(views.PlanList), name="remediation"),
    path("corrections/", read_only(views.CorrectionList), name="corrections"),
    path("stats/", read_only(views.StatsView), name="stats"),
    path("export/", read_only(views.ExportIndex), name="export"),
    path("export/<str:name>", read_only(views.ExportFile), name="export-file"),
]
