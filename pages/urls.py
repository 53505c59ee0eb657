"""Server-rendered public pages and the staff workspace."""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path
from django.views.generic import RedirectView

from pages import following, staff_views, views, workspace

app_name = "pages"

# (route, view): each page is named after its view, `case_list` as "case-list".
PAGES: tuple[tuple[str, Callable[..., HttpResponse]], ...] = (
    ("", views.home),
    ("cases/", views.case_list),
    ("cases/<slug:case_id>/", views.case_detail),
    ("facilities/<int:pk>/", views.facility_detail),
    ("companies/<int:pk>/", views.company_detail),
    ("search/", views.search),
    ("statistics/", views.statistics),
    ("statistics/<slug:slug>.csv", views.statistics_csv),
    ("statistics/<slug:slug>.svg", views.statistics_svg),
    ("staff/", staff_views.staff_queue),
    ("staff/queue.csv", staff_views.staff_queue_csv),
    ("staff/cases/<slug:case_id>/", staff_views.staff_case),
    ("api-key/", views.api_key_request),
    ("api-key/<str:token>/", views.api_key_confirm),
    ("cases/<slug:case_id>/follow/", following.follow_case),
    ("follow/confirm/<str:token>/", following.follow_confirm),
    ("unsubscribe/<str:token>/", following.unsubscribe),
    ("workspace/", workspace.workspace),
    ("workspace/petitions/new/", workspace.petition_start),
    ("workspace/petitions/<int:petition_id>/file/", workspace.petition_file),
    ("workspace/petitions/<int:petition_id>/discard/", workspace.petition_discard),
    ("workspace/petitions/<int:petition_id>/<slug:step>/", workspace.petition_step),
    ("workspace/cases/<slug:case_id>/", workspace.workspace_case),
    ("workspace/notices/", workspace.notices),
    ("workspace/notices/<int:subscription_id>/remove", workspace.notice_remove),
)


def _page(route: str, view: Callable[..., HttpResponse]) -> URLPattern:
    return path(route, view, name=view.__name__.replace("_", "-"))


urlpatterns = [
    *(_page(route, view) for route, view in PAGES),
    # The fixed seven-day dashboard that the work queue replaced.
    path(
        "staff/deadlines/",
        RedirectView.as_view(pattern_name="pages:staff-queue", query_string=True, permanent=True),
        name="staff-dashboard",
    ),
]
