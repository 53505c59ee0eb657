"""Routes of the kernel's endpoints; config/api_v1.py includes them under /api/v1/."""

from django.urls import path

from rrm.api import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<slug:case_id>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<slug:case_id>/timeline/", views.CaseTimeline.as_view(), name="case-timeline"),
    path("cases/<slug:case_id>/deadlines/", views.CaseDeadlines.as_view(), name="case-deadlines"),
    path(
        "cases/<slug:case_id>/deadlines/<int:deadline_id>/extensions/",
        views.DeadlineExtension.as_view(),
        name="deadline-extension",
    ),
    path("cases/<slug:case_id>/suspensions/", views.CaseSuspension.as_view(), name="case-suspension"),
    path("cases/<slug:case_id>/transitions/", views.CaseTransitions.as_view(), name="case-transitions"),
    path("cases/<slug:case_id>/corrections/", views.CaseCorrections.as_view(), name="case-corrections"),
    path("cases/<slug:case_id>/history/", views.CaseHistory.as_view(), name="case-history"),
    path("cases/<slug:case_id>/watch/", views.CaseWatchView.as_view(), name="case-watch"),
    path("watches/", views.WatchList.as_view(), name="watch-list"),
    path("webhooks/", views.WebhookList.as_view(), name="webhook-list"),
    path("webhooks/<int:webhook_id>/", views.WebhookDetail.as_view(), name="webhook-detail"),
    path("webhooks/<int:webhook_id>/test/", views.WebhookTest.as_view(), name="webhook-test"),
    path(
        "webhooks/<int:webhook_id>/deliveries/", views.WebhookDeliveries.as_view(), name="webhook-deliveries"
    ),
]
