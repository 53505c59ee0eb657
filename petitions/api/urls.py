from petitions.api import views
from rrm.api.bases import CASE, TOP, record_route, routes

PETITION = record_route("petitions", "petition_id", "Petition id.")
CLAIM = record_route(f"{PETITION}claims", "claim_id", "Claim id.")
EVIDENCE = record_route("evidence", "evidence_id", "Evidence id.")

urlpatterns = routes(
    (TOP, "facilities/", views.FacilityList, "facility-list"),
    (TOP, "petitions/", views.PetitionList, "petition-list"),
    (PETITION, "", views.PetitionDetail, "petition-detail"),
    (PETITION, "submit/", views.PetitionSubmission, "petition-submit"),
    (PETITION, "petitioners/", views.PetitionerList, "petitioner-list"),
    (PETITION, "claims/", views.ClaimList, "claim-list"),
    (CLAIM, "", views.ClaimDetail, "claim-detail"),
    (PETITION, "evidence/", views.EvidenceList, "evidence-list"),
    (EVIDENCE, "", views.EvidenceDetail, "evidence-detail"),
    (EVIDENCE, "download/", views.EvidenceDownload, "evidence-download"),
    (CASE, "receipt/", views.CaseReceipt, "case-receipt"),
    (CASE, "ilc-determination/", views.CaseIlcDetermination, "case-ilc-determination"),
    (CASE, "screening/", views.CaseScreening, "case-screening"),
    (CASE, "withdrawal/", views.CaseWithdrawal, "case-withdrawal"),
)
