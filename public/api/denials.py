"""One facility, one company: the public fields of the lists and the determinations of denial at them
and at their owner's other facilities, with the remedy tier a next one may reach, as information
(docs/mechanism.md, "Remedies")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from public import selectors
from public.api.serializers import CompanySerializer, EventSerializer, FacilitySerializer
from public.api.views import PublicDetailView
from rrm.models import Company, Facility
from rrm.selectors import DenialHistory, company_denial_history, facility_denial_history

# The fields of a determination's timeline event that it shows, as the events list shows them.
EVENT_FIELDS = (
    "kind",
    "kind_label",
    "occurred_on",
    "date_precision",
    "date_basis",
    "date_basis_label",
    "source_url",
    "source_note",
)


class DeterminationSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        event = EventSerializer().get_fields()
        case_id = serializers.SlugField(help_text="Case identifier.")
        return {"case_id": case_id, **{name: event[name] for name in EVENT_FIELDS}}


class DenialHistorySerializer(serializers.Serializer):
    determinations = DeterminationSerializer(
        source="own", many=True, help_text="Determinations of denial here, one per case, oldest first."
    )
    owner_determinations = DeterminationSerializer(
        source="owner", many=True, help_text="Those at other facilities with the same owner."
    )
    count = serializers.IntegerField(help_text="Both together.")
    next_tier = serializers.CharField(help_text="first, repeat or entry: what a next one may bring.")
    next_tier_label = serializers.CharField(source="next_tier.label", help_text="The same, in words.")
    information = serializers.CharField(help_text="Information, not a legal conclusion.")
    citation = serializers.CharField(help_text="Where the tiers are stated, with confidence tags.")


def _shown(history: DenialHistory) -> dict[str, Any]:
    return dict(DenialHistorySerializer(history).data)


class FacilityDetailSerializer(FacilitySerializer):
    denial_history = serializers.SerializerMethodField(help_text="Determinations of denial, as information.")

    @extend_schema_field(DenialHistorySerializer)
    def get_denial_history(self, facility: Facility) -> dict[str, Any]:
        return _shown(facility_denial_history(facility=facility, cases=selectors.public_cases()))


class CompanyDetailSerializer(CompanySerializer):
    denial_history = serializers.SerializerMethodField(help_text="Determinations of denial, as information.")

    @extend_schema_field(DenialHistorySerializer)
    def get_denial_history(self, company: Company) -> dict[str, Any]:
        return _shown(company_denial_history(company=company, cases=selectors.public_cases()))


def detail_view(
    name: str, serializer: type[serializers.Serializer], read: Callable[[], QuerySet], *, about: str, key: str
) -> type[PublicDetailView]:
    """The public detail of one row of a list, found by its id: `about` it, and the determinations of
    denial there and at its owner's other facilities, with what a next one may bring, as information."""
    attributes = {
        "serializer_class": serializer,
        "filter_backends": [],
        "selector": staticmethod(read),
        "lookup_url_kwarg": key,
    }
    view = type(name, (PublicDetailView,), attributes)
    description = f"{about}, with the determinations of denial there and at its owner's other facilities and "
    description += "what a next one may bring, as information."
    return extend_schema(
        summary=f"One {name.removesuffix('Detail').lower()}", description=description, tags=["public"]
    )(view)


FacilityDetail = detail_view(
    "FacilityDetail",
    FacilityDetailSerializer,
    selectors.public_facilities,
    about="A facility named in a case",
    key="facility_id",
)
CompanyDetail = detail_view(
    "CompanyDetail",
    CompanyDetailSerializer,
    selectors.public_companies,
    about="A company operating a facility named in a case",
    key="company_id",
)
