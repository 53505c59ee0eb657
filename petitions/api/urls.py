from django.urls import path

from petitions.api import views

urlpatterns = [
    path("facilities/", views.FacilityList.as_view(), name="facility-list"),
    path("petitions/", views.PetitionList.as_view(), name="petition-list"),
    path("petitions/<int:petition_id>/", views.PetitionDetail.as_view(), name="petition-detail"),
    path("petitions/<int:petition_id>/submit/", views.PetitionSubmission.as_view(), name="petition-submit"),
    path("petitions/<int:petition_id>/petitioners/", views.PetitionerList.as_view(), name="petitioner-list"),
    path("petitions/<int:petition_id>/claims/", views.ClaimList.as_view(), name="claim-list"),
    path(
        "petitions/<int:petition_id>/claims/<int:claim_id>/", views.ClaimDetail.as_view(), name="claim-detail"
    ),
    path("petitions/<int:petition_id>/evidence/", views.EvidenceList.as_view(), name="evidence-list"),
    path("evidence/<int:evidence_id>/", views.EvidenceDetail.as_view(), name="evidence-detail"),
    path("evidence/<int:evidence_id>/download/", views.EvidenceDownload.as_view(), name="evidence-download"),
    path("cases/<slug:case_id>/receipt/", views.CaseReceipt.as_view(), name="case-receipt"),
    path(
        "cases/<slug:case_id>/ilc-determination/",
        views.CaseIlcDetermination.as_view(),
        name="case-ilc-determination",
    ),
    path("cases/<slug:case_id>/screening/", views.CaseScreening.as_view(), name="case-screening"),
    path("cases/<slug:case_id>/withdrawal/", views.CaseWithdrawal.as_view(), name="case-withdrawal"),
]
