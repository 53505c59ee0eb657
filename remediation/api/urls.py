from django.urls import path

from remediation.api import views

urlpatterns = [
    path(
        "cases/<slug:case_id>/request-for-review/",
        views.CaseRequestForReview.as_view(),
        name="case-request-for-review",
    ),
    path("cases/<slug:case_id>/mexico-review/", views.CaseMexicoReview.as_view(), name="case-mexico-review"),
    path(
        "cases/<slug:case_id>/mexico-review/response/",
        views.CaseMexicoResponse.as_view(),
        name="case-mexico-response",
    ),
    path(
        "cases/<slug:case_id>/mexico-review/finding/",
        views.CaseMexicoFinding.as_view(),
        name="case-mexico-finding",
    ),
    path(
        "cases/<slug:case_id>/remediation-plans/",
        views.CaseRemediationPlans.as_view(),
        name="case-remediation-plans",
    ),
    path(
        "remediation-plans/<int:plan_id>/",
        views.RemediationPlanDetail.as_view(),
        name="remediation-plan-detail",
    ),
    path(
        "remediation-plans/<int:plan_id>/actions/",
        views.RemediationActions.as_view(),
        name="remediation-actions",
    ),
    path(
        "remediation-actions/<int:action_id>/",
        views.RemediationActionDetail.as_view(),
        name="remediation-action-detail",
    ),
    path(
        "remediation-actions/<int:action_id>/verify/",
        views.RemediationActionVerification.as_view(),
        name="remediation-action-verify",
    ),
    path("cases/<slug:case_id>/panels/", views.CasePanels.as_view(), name="case-panels"),
    path("panels/<int:panel_id>/", views.PanelDetail.as_view(), name="panel-detail"),
    path("panels/<int:panel_id>/steps/", views.PanelSteps.as_view(), name="panel-steps"),
    path("cases/<slug:case_id>/remedies/", views.CaseRemedies.as_view(), name="case-remedies"),
    path("remedies/<int:remedy_id>/", views.RemedyDetail.as_view(), name="remedy-detail"),
]
