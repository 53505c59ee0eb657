"""Staff administration of the case record.

Fields that the workflow owns (stage, outcome, milestone dates) are read-only here: a case moves only
through the workflow, which writes the new stage and its timeline event together. The timeline is
append-only, so events can be added (notes and corrections) but never changed or deleted.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from rrm import workflow
from rrm.choices import Confidence, EventKind
from rrm.models import (
    CalendarHoliday,
    Case,
    CaseFacility,
    CaseWatch,
    Company,
    Deadline,
    DeadlineAlert,
    DeadlineRule,
    Document,
    Facility,
    Notification,
    Organisation,
    Subscription,
    TimelineEvent,
    WatchedDateAlert,
    WebhookEndpoint,
)

# Kinds staff may record by hand; every other kind is a workflow step that also moves the case.
HAND_RECORDED_EVENT_KINDS = (EventKind.NOTE, EventKind.CORRECTION)

WORKFLOW_FIELDS = (
    "stage",
    "outcome",
    "outcome_date",
    "petition_received_on",
    "request_for_review_on",
    "mexico_response_on",
    "remediation_agreed_on",
    "panel_requested_on",
    "liquidation_suspended_on",
    "liquidation_resumed_on",
)


def confidence_label(rule: DeadlineRule) -> str:
    """The rule's confidence as staff should read it; rules tagged [U] (docs/mechanism.md) are flagged
    in capitals."""
    label = str(Confidence(rule.confidence).label)
    return label.upper() if rule.is_unconfirmed else label


def explanation_html(explanation: dict[str, Any]) -> str:
    """The clock's sentence first, then every step it recorded, folded."""
    details = json.dumps(explanation, indent=2, ensure_ascii=False, sort_keys=True)
    return format_html(
        "<p>{}</p><details><summary>Computation</summary><pre>{}</pre></details>",
        explanation.get("text", ""),
        details,
    )


class ReadOnlyAdminMixin:
    """For rows written only by services (deadlines, alerts, notifications): staff may look, not touch."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DeadlineShownMixin:
    """How a deadline reads to staff, on its own page and in the case's list of deadlines."""

    @admin.display(description="Confidence")
    def rule_confidence(self, deadline: Deadline) -> str:
        return confidence_label(deadline.rule)

    @admin.display(description="How the due date was computed")
    def explanation_shown(self, deadline: Deadline) -> str:
        return explanation_html(deadline.explanation)


class TimelineEventForm(ModelForm):
    kind = forms.ChoiceField(
        choices=[(kind.value, kind.label) for kind in HAND_RECORDED_EVENT_KINDS],
        help_text="Workflow steps are recorded by the workflow; here only notes and corrections.",
    )

    class Meta:
        model = TimelineEvent
        fields = ("kind", "occurred_on", "description", "source_url", "source_note", "corrects")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        corrects: TimelineEvent | None = cleaned.get("corrects")
        case: Case | None = cleaned.get("case")
        if not cleaned.get("source_url") and not cleaned.get("source_note"):
            self.add_error("source_note", "Give the source: an address, or a note such as 'USTR letter'.")
        if cleaned.get("kind") == EventKind.CORRECTION and corrects is None:
            self.add_error("corrects", "A correction must name the event it corrects.")
        if corrects is not None and cleaned.get("kind") != EventKind.CORRECTION:
            self.add_error("corrects", "Only a correction event may point to another event.")
        if corrects is not None and case is not None and corrects.case_id != case.pk:
            self.add_error("corrects", "The corrected event belongs to another case.")
        return cleaned


class AppendOnlyTimelineMixin:
    """New events may be added; existing ones are shown read-only (PostgreSQL refuses changes anyway)."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class TimelineEventInline(AppendOnlyTimelineMixin, admin.TabularInline):
    model = TimelineEvent
    fk_name = "case"
    form = TimelineEventForm
    extra = 0
    raw_id_fields = ("corrects",)
    readonly_fields = ("recorded_at", "recorded_by")
    fields = (*TimelineEventForm.Meta.fields, "recorded_at", "recorded_by")
    ordering = ("occurred_on", "id")


class DocumentsCitedInline(admin.StackedInline):
    """Rows that cite the case's documents, shown on the page of the row they belong to."""

    extra = 0
    autocomplete_fields = ("documents",)


class DeadlineInline(DeadlineShownMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = Deadline
    extra = 0
    fields = (
        "rule",
        "rule_confidence",
        "start_date",
        "due_date",
        "status",
        "satisfied_on",
        "days_late",
        "explanation_shown",
    )
    readonly_fields = fields
    ordering = ("due_date", "id")


class CaseFacilityInline(admin.TabularInline):
    model = CaseFacility
    extra = 0
    fields = ("position", "facility")
    autocomplete_fields = ("facility",)
    ordering = ("position",)
    verbose_name = "further facility"
    verbose_name_plural = "further facilities the case covers, from position 1 (the first is its facility)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseFacility]:
        # Position 0 follows the case's facility field above; editing it here would contradict that field.
        return super().get_queryset(request).filter(position__gt=0)


@admin.register(CaseFacility)
class CaseFacilityAdmin(admin.ModelAdmin):
    list_display = ("case", "position", "facility")
    search_fields = ("case__case_id", "facility__name", "facility__operator__name")
    autocomplete_fields = list_select_related = ("case", "facility")


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "parent", "country", "updated_at")
    list_filter = ("country",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("parent",)
    # Set once from the name, never changed: public links and API filters name the company by it.
    readonly_fields = ("slug",)


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "operator", "city", "country", "state", "sector", "subsector", "headcount")
    list_filter = ("country", "state", "sector", "subsector")
    search_fields = ("name", "operator__name", "city", "sector_reported")
    autocomplete_fields = list_select_related = ("operator",)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name",)
    autocomplete_fields = ("members",)


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    # Other apps show their rows on this page by calling `add_case_inline` from their own admin
    # module, so rrm (the kernel) never imports them; the admin reads `inlines` at each request.
    inlines: list[type[InlineModelAdmin]] = [CaseFacilityInline, TimelineEventInline, DeadlineInline]
    list_display = (
        "case_id",
        "facility",
        "annex",
        "complainant",
        "respondent",
        "stage",
        "outcome",
        "request_for_review_on",
        "ustr_invocation_no",
        "is_liquidation_suspended",
    )
    list_filter = (
        "annex",
        "complainant",
        "respondent",
        "stage",
        "outcome",
        "initiation",
        "facility__state",
        "facility__sector",
        "facility__subsector",
    )
    search_fields = ("case_id", "title", "facility__name", "facility__operator__name", "facility__city")
    date_hierarchy = "request_for_review_on"
    autocomplete_fields = list_select_related = ("facility",)
    readonly_fields = WORKFLOW_FIELDS

    @admin.display(boolean=True, description="Liquidation suspended")
    def is_liquidation_suspended(self, case: Case) -> bool:
        return case.is_liquidation_suspended

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not TimelineEvent:
            super().save_formset(request, form, formset, change)
            return
        for event in formset.save(commit=False):
            event.recorded_by = request.user
            event.save()


def add_case_inline(inline: type[InlineModelAdmin]) -> None:
    """Show another app's rows on the case page; called by that app's admin module at import."""
    if inline not in CaseAdmin.inlines:
        CaseAdmin.inlines = [*CaseAdmin.inlines, inline]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "case", "language", "issued_on", "confidential")
    list_filter = ("language", "confidential")
    search_fields = ("title", "case__case_id", "url")
    date_hierarchy = "issued_on"
    autocomplete_fields = list_select_related = ("case",)


@admin.register(TimelineEvent)
class TimelineEventAdmin(AppendOnlyTimelineMixin, admin.ModelAdmin):
    form = TimelineEventForm
    list_display = ("case", "occurred_on", "kind", "from_stage", "to_stage", "recorded_by", "recorded_at")
    list_filter = ("kind", "to_stage")
    search_fields = ("case__case_id", "description", "source_note")
    date_hierarchy = "occurred_on"
    autocomplete_fields = ("case",)
    raw_id_fields = ("corrects",)
    list_select_related = ("case", "recorded_by")

    def get_fields(self, request: HttpRequest, obj: TimelineEvent | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("case", *TimelineEventForm.Meta.fields)
        return tuple(field.name for field in TimelineEvent._meta.fields if field.name != "id")

    def save_model(self, request: HttpRequest, obj: TimelineEvent, form: ModelForm, change: bool) -> None:
        obj.recorded_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


# Fields that decide a due date: once a version has computed deadlines they stay as they are, so
# every stored due date stays explainable by the rule version it names.
RULE_COMPUTING_FIELDS = (
    "code",
    "effective_from",
    "length",
    "unit",
    "calendar",
    "start_event",
    "satisfied_by",
    "roll_forward",
    "annex",
)


class DeadlineRuleForm(ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        changed = [name for name in RULE_COMPUTING_FIELDS if name in self.changed_data]
        if self.instance.pk is not None and changed and self.instance.deadlines.exists():
            raise forms.ValidationError(
                "This version already computed deadlines, so %(fields)s cannot change. Use "
                "'Save as new' with a later 'effective from' to add the next version.",
                params={"fields": ", ".join(changed)},
            )
        return self.cleaned_data


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    """Staff add a new version of a rule (same code, later effective_from) without a code change;
    "Save as new" copies a version into the next one."""

    form = DeadlineRuleForm
    save_as = True
    fieldsets = (
        (None, {"fields": ("name", "citation", "confidence", "effective_to", "notes")}),
        ("Fixed once this version has computed deadlines", {"fields": RULE_COMPUTING_FIELDS}),
    )
    list_display = (
        "code",
        "name",
        "effective_from",
        "effective_to",
        "length",
        "unit",
        "calendar",
        "confidence_shown",
        "citation",
    )
    list_filter = ("confidence", "calendar", "unit", "annex", "code")
    search_fields = ("code", "name", "citation")
    date_hierarchy = "effective_from"

    @admin.display(description="Confidence", ordering="confidence")
    def confidence_shown(self, rule: DeadlineRule) -> str:
        return confidence_label(rule)


@admin.register(Deadline)
class DeadlineAdmin(DeadlineShownMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("case", "rule", "rule_confidence", "start_date", "due_date", "status", "days_late")
    list_filter = ("status", "rule__code", "rule__confidence")
    search_fields = ("case__case_id", "rule__code")
    date_hierarchy = "due_date"
    list_select_related = ("case", "rule")
    readonly_fields = ("explanation_shown",)
    exclude = ("explanation",)


@admin.register(CalendarHoliday)
class CalendarHolidayAdmin(admin.ModelAdmin):
    """A new holiday moves the open deadlines whose window holds it, each move recorded on the timeline.
    Its calendar and day cannot change afterwards, nor can it be deleted: the deadlines it moved would
    not move back."""

    list_display = ("day", "calendar", "name", "source_url")
    list_filter = ("calendar",)
    search_fields = ("name",)
    date_hierarchy = "day"

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarHoliday | None = None
    ) -> tuple[str, ...]:
        return () if obj is None else ("calendar", "day")

    def has_delete_permission(self, request: HttpRequest, obj: CalendarHoliday | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarHoliday, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            return
        moved = workflow.record_holiday_moves(calendar=obj.calendar, day=obj.day, name=obj.name)
        self.message_user(request, f"Open deadlines moved by this holiday: {len(moved)}.")


@admin.register(CaseWatch)
class CaseWatchAdmin(admin.ModelAdmin):
    list_display = ("case", "user", "created_at")
    search_fields = ("case__case_id", "user__username", "user__email")
    autocomplete_fields = list_select_related = ("case", "user")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Written by the subscription services (a visitor's address only once confirmed); staff may look,
    and remove one on request."""

    list_display = ("email", "scope", "case", "organisation", "language", "confirmed_at")
    list_filter = ("scope", "language")
    search_fields = ("email", "case__case_id", "organisation__name")
    list_select_related = ("case", "organisation")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Endpoints are created through the API, which shows the signing secret once; staff may
    deactivate one or change its cases. The salt is never shown."""

    list_display = ("url", "organisation", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "organisation__name")
    fields = ("organisation", "url", "cases", "active")
    readonly_fields = ("organisation", "url")
    autocomplete_fields = ("cases",)
    list_select_related = ("organisation",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("deadline", "kind", "lead_days", "created_at")
    list_filter = ("kind", "lead_days")
    search_fields = ("deadline__case__case_id",)
    date_hierarchy = "created_at"
    list_select_related = ("deadline", "deadline__case")


@admin.register(WatchedDateAlert)
class WatchedDateAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("source", "row_id", "case", "due_on", "kind", "lead_days", "created_at")
    list_filter = ("source", "kind", "lead_days")
    search_fields = ("case__case_id",)
    date_hierarchy = "created_at"
    list_select_related = ("case",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "channel", "status", "recipient_email", "endpoint", "attempts", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("recipient_email", "endpoint__url", "alert__deadline__case__case_id")
    date_hierarchy = "created_at"
    list_select_related = ("endpoint",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).select_related("alert__deadline__case")
