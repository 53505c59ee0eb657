"""/api/v1/public/: these paths are fixed; journalists' scripts depend on them."""

from django.db.transaction import non_atomic_requests
from django.urls import path

from public.api import denials, exports, index, keys, views

app_name = "public"


def read_only(view: type[views.PublicView]):  # type: ignore[no-untyped-def]
    # Nothing here writes: a cached answer must not even open a database transaction.
    return non_atomic_requests(view.as_view())


urlpatterns = [
    path("", read_only(index.PublicIndex), name="index"),
    *(path(f"{name}/", read_only(view), name=name) for name, view in index.ENDPOINTS.items()),
    path("cases/<slug:case_id>/", read_only(views.CaseDetail), name="case-detail"),
    path("facilities/<int:facility_id>/", read_only(denials.FacilityDetail), name="facility-detail"),
    path("companies/<int:company_id>/", read_only(denials.CompanyDetail), name="company-detail"),
    path("export/<str:name>", read_only(exports.ExportFile), name="export-file"),
    # The only writes under /public/: API keys on request.
    path("keys/requests/", keys.KeyRequests.as_view(), name="key-requests"),
    path("keys/confirmations/", keys.KeyConfirmations.as_view(), name="key-confirmations"),
]
