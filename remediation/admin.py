"""Staff administration of Mexico's reviews, remediation plans and their actions, panels and remedies."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from remediation import models
from rrm.admin import DocumentsCitedInline, add_case_inline


class RemediationActionInline(admin.StackedInline):
    model = models.RemediationAction
    extra = 0
    fields = (
        ("kind", "status"),
        "description",
        ("due_on", "completed_on", "verified_on"),
        "verified_by",
        "verification_notes",
        ("workers_covered", "amount_usd"),
    )


class PanelVerificationInline(DocumentsCitedInline):
    model = models.PanelVerification


class CaseStepCitingDocumentsAdmin(SimpleHistoryAdmin):
    """A step of a case that cites the case's documents."""

    autocomplete_fields = ("case", "documents")
    list_select_related = ("case",)


@admin.register(models.MexicoReview)
class MexicoReviewAdmin(CaseStepCitingDocumentsAdmin):
    list_display = ("case", "requested_on", "response", "response_on", "finding", "finding_on")
    list_filter = ("response", "finding")
    search_fields = ("case__case_id", "response_reported", "findings")
    date_hierarchy = "requested_on"


@admin.register(models.RemediationPlan)
class RemediationPlanAdmin(CaseStepCitingDocumentsAdmin):
    inlines = [RemediationActionInline]
    list_display = ("case", "kind", "agreed_on", "ends_on", "status")
    list_filter = ("status", "kind")
    search_fields = ("case__case_id", "case__facility__name", "summary")
    date_hierarchy = "agreed_on"


@admin.register(models.RemediationAction)
class RemediationActionAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "plan", "status", "due_on", "completed_on", "verified_on", "verified_by")
    list_filter = ("status", "kind")
    search_fields = ("plan__case__case_id", "description", "verified_by")
    date_hierarchy = "due_on"
    autocomplete_fields = ("plan",)
    list_select_related = ("plan", "plan__case")


@admin.register(models.Panel)
class PanelAdmin(SimpleHistoryAdmin):
    inlines = [PanelVerificationInline]
    list_display = (
        "case",
        "secretariat_no",
        "requested_on",
        "constituted_on",
        "determination",
        "determined_on",
    )
    list_filter = ("determination",)
    search_fields = ("case__case_id", "secretariat_no")
    date_hierarchy = "requested_on"
    autocomplete_fields = list_select_related = ("case",)


@admin.register(models.PanelVerification)
class PanelVerificationAdmin(SimpleHistoryAdmin):
    list_display = ("panel", "requested_on", "consented_on", "refused", "visit_started_on", "visit_ended_on")
    list_filter = ("refused",)
    search_fields = ("panel__case__case_id", "panel__secretariat_no", "findings")
    date_hierarchy = "requested_on"
    autocomplete_fields = ("panel", "documents")
    list_select_related = ("panel", "panel__case")


@admin.register(models.Remedy)
class RemedyAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "case", "panel", "imposed_on", "lifted_on")
    list_filter = ("kind",)
    search_fields = ("case__case_id", "description")
    date_hierarchy = "imposed_on"
    autocomplete_fields = list_select_related = ("case", "panel")


class CaseMexicoReviewInline(DocumentsCitedInline):
    model = models.MexicoReview


class CaseRemediationPlanInline(admin.TabularInline):
    """Plans on the case page; their actions are edited on the plan's own page (change link)."""

    model = models.RemediationPlan
    extra = 0
    fields = ("kind", "agreed_on", "ends_on", "status", "source_url")
    show_change_link = True


class CasePanelInline(admin.TabularInline):
    model = models.Panel
    extra = 0
    fields = ("secretariat_no", "requested_on", "constituted_on", "determination", "determined_on")
    show_change_link = True


for case_inline in (CaseMexicoReviewInline, CaseRemediationPlanInline, CasePanelInline):
    add_case_inline(case_inline)


class RemediationOutcomeAdmin(SimpleHistoryAdmin):
    """Votes, reinstatements, payments and worker counts. A row with an 'import: ...' source note is
    rewritten by the next import of the files; correct the files, or enter a row of your own."""

    list_filter = ("date_basis",)
    search_fields = ("case__case_id", "note", "source_url")
    autocomplete_fields = ("case",)
    raw_id_fields = ("event",)
    list_select_related = ("case",)


OUTCOME_COLUMNS: dict[type[models.RemediationOutcome], tuple[str, ...]] = {
    models.UnionVote: ("kind", "winning_union", "votes_for", "votes_against", "eligible"),
    models.Reinstatement: ("workers",),
    models.Payment: ("kind", "amount", "currency", "is_floor"),
    models.WorkerCount: ("count", "subject", "qualifier"),
}

for outcome_model, columns in OUTCOME_COLUMNS.items():
    admin.site.register(
        outcome_model,
        type(
            f"{outcome_model.__name__}Admin",
            (RemediationOutcomeAdmin,),
            {"list_display": ("case", "occurred_on", *columns, "source_note")},
        ),
    )
    add_case_inline(
        type(
            f"Case{outcome_model.__name__}Inline",
            (admin.TabularInline,),
            {
                "model": outcome_model,
                "extra": 0,
                "fields": (
                    "occurred_on",
                    "date_precision",
                    "date_basis",
                    *columns,
                    "source_url",
                    "source_note",
                ),
                "show_change_link": True,
            },
        )
    )
