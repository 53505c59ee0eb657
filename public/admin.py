"""Staff administration of the public surface: throttle tiers (changed without a deploy), API keys
(issued and revoked here, the key shown once), corrections, and the export builds."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from public import services
from public.models import ApiKey, Correction, ExportBuild, ThrottleTier


@admin.register(ThrottleTier)
class ThrottleTierAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "requests", "period_seconds", "for_anonymous", "updated_at")
    list_editable = ("requests", "period_seconds")
    search_fields = ("code", "name")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "tier", "created_at", "revoked_at")
    list_filter = ("tier", "revoked_at")
    search_fields = ("name", "prefix", "contact_email")
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "contact_email", "tier")
        return ("name", "contact_email", "tier", "prefix", "created_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        return () if obj is None else ("prefix", "created_at", "revoked_at")

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued, key = services.issue_api_key(name=obj.name, tier=obj.tier, contact_email=obj.contact_email)
        obj.pk = issued.pk
        obj.prefix, obj.key_hash, obj.created_at = issued.prefix, issued.key_hash, issued.created_at
        obj._state.adding = False
        self.message_user(
            request,
            f"API key for {issued.name}: {key} (copy it now: only its hash is kept; it is not shown again).",
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            services.revoke_api_key(api_key_id=api_key.pk)
        self.message_user(request, f"{queryset.count()} key(s) revoked.")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("corrected_on", "case", "field", "reason")
    search_fields = ("case__case_id", "field", "reason")
    date_hierarchy = "corrected_on"
    autocomplete_fields = ("case",)


@admin.register(ExportBuild)
class ExportBuildAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "requested_at", "started_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("status", "requested_at", "started_at", "finished_at", "directory", "files", "error")
    actions = ["rebuild"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Build the export again now")
    def rebuild(self, request: HttpRequest, queryset: QuerySet[ExportBuild]) -> None:
        requested = services.request_export_build()
        self.message_user(request, "A build was requested." if requested else "A build is already waiting.")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
