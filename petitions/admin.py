"""Staff administration of petitions, their petitioners, claims, evidence and screening."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from rrm.admin import DocumentsCitedInline, add_case_inline


class EvidenceUploadedElsewhereMixin:
    """Evidence arrives through the upload API, which judges the media type from the content and
    hashes it; staff may retitle it or change its language and confidentiality, not add files here."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PetitionerInline(admin.TabularInline):
    model = Petitioner
    extra = 0
    autocomplete_fields = ("organisation",)


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0


class EvidenceInline(EvidenceUploadedElsewhereMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("title", "file", "content_type", "size", "sha256", "language", "confidential")
    readonly_fields = ("file", "content_type", "size", "sha256")
    show_change_link = True


class ScreeningInline(DocumentsCitedInline):
    model = Screening


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    inlines = [PetitionerInline, ClaimInline, EvidenceInline, ScreeningInline]
    list_display = (
        "__str__",
        "case",
        "facility",
        "status",
        "annex",
        "language",
        "anonymous",
        "received_on",
        "submitted_at",
    )
    list_filter = ("status", "annex", "language", "anonymous", "facility__state", "facility__subsector")
    search_fields = (
        "case__case_id",
        "facility__name",
        "facility__operator__name",
        "petitioners__organisation__name",
        "contact_name",
        "contact_email",
    )
    date_hierarchy = "received_on"
    autocomplete_fields = ("case", "facility", "created_by")
    list_select_related = ("case", "facility")


@admin.register(Petitioner)
class PetitionerAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "petition", "role", "identity_confidential")
    list_filter = ("role", "identity_confidential", "organisation__kind")
    search_fields = ("organisation__name", "petition__case__case_id")
    autocomplete_fields = list_select_related = ("organisation", "petition")


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ("category", "petition", "began_on", "ended_on", "confidential")
    list_filter = ("category", "confidential")
    search_fields = ("description", "petition__case__case_id")
    date_hierarchy = "began_on"
    autocomplete_fields = list_select_related = ("petition",)


@admin.register(Evidence)
class EvidenceAdmin(EvidenceUploadedElsewhereMixin, SimpleHistoryAdmin):
    list_display = ("title", "petition", "content_type", "size", "language", "confidential", "created_at")
    list_filter = ("language", "confidential", "content_type")
    search_fields = ("title", "sha256", "petition__case__case_id")
    date_hierarchy = "created_at"
    fields = ("petition", "title", "file", "content_type", "size", "sha256", "language", "confidential")
    readonly_fields = ("petition", "file", "content_type", "size", "sha256")
    list_select_related = ("petition",)


@admin.register(Screening)
class ScreeningAdmin(SimpleHistoryAdmin):
    list_display = ("petition", "started_on", "determination", "determined_on", "employer_consulted")
    list_filter = ("determination", "employer_consulted")
    search_fields = ("petition__case__case_id", "findings")
    date_hierarchy = "started_on"
    autocomplete_fields = ("petition", "documents")
    list_select_related = ("petition",)


class CasePetitionInline(admin.StackedInline):
    """The petitions filed on a case (none, one or several), shown on the case page; each edited on its
    own page."""

    model = Petition
    extra = 0
    fields = ("status", "annex", "language", "anonymous", "received_on", "submitted_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


add_case_inline(CasePetitionInline)
