"""Staff see invitations (sent from the invitation page, which e-mails the link) and name an
organisation's administrators."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Invitation, OrganisationAdministrator


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "as_administrator", "created_at", "expires_at", "used_at")
    list_filter = ("as_administrator",)
    search_fields = ("email", "organisation__name")
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OrganisationAdministrator)
class OrganisationAdministratorAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
