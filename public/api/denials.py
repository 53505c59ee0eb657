"""One facility, one company: the public fields of the lists and the determinations of denial at them
and at their owner's other facilities, with the remedy tier a next one may reach, as information
(docs/mechanism.md, "Remedies")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from public import selectors
from public.api.serializers import CompanySerializer, FacilitySerializer, LabelField
from public.api.views import PublicDetailView
from rrm.choices import DateBasis, EventKind
from rrm.models import Company, Facility
from rrm.selectors import DenialHistory, company_denial_history, facility_denial_history


class DeterminationSerializer(serializers.Serializer):
    case_id = serializers.SlugField(help_text="The case.")
    kind = serializers.CharField(help_text="mexico_finding_denial or panel_determination_denial.")
    kind_label = LabelField(EventKind, source="kind", help_text="What the determination was.")
    occurred_on = serializers.DateField(help_text="Its date (the case's earlier one, if both).")
    date_precision = serializers.CharField(help_text="day, or month when only the month is known.")
    date_basis = serializers.CharField(
        help_text="How the date is known: act, announced, reported, approximate."
    )
    date_basis_label = LabelField(
        DateBasis, source="date_basis", help_text="How the date is known, in words."
    )
    source_url = serializers.CharField(help_text="Public source.")
    source_note = serializers.CharField(help_text="Source when it has no address.")


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


@extend_schema(
    summary="One facility",
    description="A facility named in a case, with the determinations of denial at it and at its owner's "
    "other facilities and what a next one may bring, as information.",
    tags=["public"],
)
class FacilityDetail(PublicDetailView):
    serializer_class = FacilityDetailSerializer
    filter_backends: list[type] = []
    selector = staticmethod(selectors.public_facilities)


@extend_schema(
    summary="One company",
    description="A company operating a facility named in a case, with the determinations of denial at its "
    "facilities and at its owner's other facilities and what a next one may bring, as information.",
    tags=["public"],
)
class CompanyDetail(PublicDetailView):
    serializer_class = CompanyDetailSerializer
    filter_backends: list[type] = []
    selector = staticmethod(selectors.public_companies)
