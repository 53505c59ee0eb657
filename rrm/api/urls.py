"""Routes of the kernel's endpoints; config/api_v1.py includes them under /api/v1/."""

from rrm.api import views
from rrm.api.bases import CASE, TOP, record_route, routes

WEBHOOK = record_route("webhooks", "webhook_id", "Webhook endpoint id.")
DEADLINE = record_route(f"{CASE}deadlines", "deadline_id", "Deadline id.")

urlpatterns = routes(
    (TOP, "cases/", views.CaseList, "case-list"),
    (CASE, "", views.CaseDetail, "case-detail"),
    (CASE, "timeline/", views.CaseTimeline, "case-timeline"),
    (CASE, "deadlines/", views.CaseDeadlines, "case-deadlines"),
    (DEADLINE, "extensions/", views.DeadlineExtension, "deadline-extension"),
    (CASE, "suspensions/", views.CaseSuspension, "case-suspension"),
    (CASE, "transitions/", views.CaseTransitions, "case-transitions"),
    (CASE, "corrections/", views.CaseCorrections, "case-corrections"),
    (CASE, "history/", views.CaseHistory, "case-history"),
    (CASE, "watch/", views.CaseWatchView, "case-watch"),
    (TOP, "watches/", views.WatchList, "watch-list"),
    (TOP, "webhooks/", views.WebhookList, "webhook-list"),
    (WEBHOOK, "", views.WebhookDetail, "webhook-detail"),
    (WEBHOOK, "test/", views.WebhookTest, "webhook-test"),
    (WEBHOOK, "deliveries/", views.WebhookDeliveries, "webhook-deliveries"),
)
