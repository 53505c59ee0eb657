"""Server-rendered public pages and the staff dashboard."""

from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<slug:case_id>/", views.case_detail, name="case-detail"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:slug>.csv", views.statistics_csv, name="statistics-csv"),
    path("statistics/<slug:slug>.svg", views.statistics_svg, name="statistics-svg"),
    path("staff/deadlines/", views.staff_dashboard, name="staff-dashboard"),
]
