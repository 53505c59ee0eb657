"""Server-rendered public pages and the staff workspace."""

from django.urls import path
from django.views.generic import RedirectView

from pages import following, staff_views, views, workspace

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<slug:case_id>/", views.case_detail, name="case-detail"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("search/", views.search, name="search"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:slug>.csv", views.statistics_csv, name="statistics-csv"),
    path("staff/", staff_views.staff_queue, name="staff-queue"),
    path("staff/queue.csv", staff_views.staff_queue_csv, name="staff-queue-csv"),
    path("staff/cases/<slug:case_id>/", staff_views.staff_case, name="staff-case"),
    # The fixed seven-day dashboard that the work queue replaced.
    path(
        "staff/deadlines/",
        RedirectView.as_view(pattern_name="pages:staff-queue", query_string=True, permanent=True),
        name="staff-dashboard",
    ),
    path("api-key/", views.api_key_request, name="api-key-request"),
    path("api-key/<str:token>/", views.api_key_confirm, name="api-key-confirm"),
    path("cases/<slug:case_id>/follow/", following.follow_case, name="follow-case"),
    path("follow/confirm/<str:token>/", following.follow_confirm, name="follow-confirm"),
    path("unsubscribe/<str:token>/", following.unsubscribe, name="unsubscribe"),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/petitions/new/", workspace.petition_start, name="petition-start"),
    path("workspace/petitions/<int:petition_id>/file/", workspace.petition_file, name="petition-file"),
    path(
        "workspace/petitions/<int:petition_id>/discard/", workspace.petition_discard, name="petition-discard"
    ),
    path("workspace/petitions/<int:petition_id>/<slug:step>/", workspace.petition_step, name="petition-step"),
    path("workspace/cases/<slug:case_id>/", workspace.workspace_case, name="workspace-case"),
    path("workspace/notices/", workspace.notices, name="notices"),
    path("workspace/notices/<int:subscription_id>/remove", workspace.notice_remove, name="notice-remove"),
    path("statistics/<slug:slug>.svg", views.statistics_svg, name="statistics-svg"),
]
