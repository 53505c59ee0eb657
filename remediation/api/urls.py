from remediation.api import views
from rrm.api.bases import CASE, record_route, routes

PLAN = record_route("remediation-plans", "plan_id", "Remediation plan id.")
ACTION = record_route("remediation-actions", "action_id", "Remediation action id.")
PANEL = record_route("panels", "panel_id", "Panel id.")
REMEDY = record_route("remedies", "remedy_id", "Remedy id.")

urlpatterns = routes(
    (CASE, "request-for-review/", views.CaseRequestForReview, "case-request-for-review"),
    (CASE, "mexico-review/", views.CaseMexicoReview, "case-mexico-review"),
    (CASE, "mexico-review/response/", views.CaseMexicoResponse, "case-mexico-response"),
    (CASE, "mexico-review/finding/", views.CaseMexicoFinding, "case-mexico-finding"),
    (CASE, "remediation-plans/", views.CaseRemediationPlans, "case-remediation-plans"),
    (PLAN, "", views.RemediationPlanDetail, "remediation-plan-detail"),
    (PLAN, "actions/", views.RemediationActions, "remediation-actions"),
    (ACTION, "", views.RemediationActionDetail, "remediation-action-detail"),
    (ACTION, "verify/", views.RemediationActionVerification, "remediation-action-verify"),
    (CASE, "panels/", views.CasePanels, "case-panels"),
    (PANEL, "", views.PanelDetail, "panel-detail"),
    (PANEL, "steps/", views.PanelSteps, "panel-steps"),
    (CASE, "remedies/", views.CaseRemedies, "case-remedies"),
    (REMEDY, "", views.RemedyDetail, "remedy-detail"),
)
