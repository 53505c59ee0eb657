"""Serializers of Mexico's review, remediation plans and actions, panels and remedies."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from remediation.models import (
    MexicoReview,
    MexicoReviewFinding,
    MexicoReviewResponse,
    Panel,
    PanelDetermination,
    PanelVerification,
    RemediationAction,
    RemediationActionStatus,
    RemediationPlan,
    Remedy,
)
from remediation.services import PanelStep
from rrm.api.fields import ChoiceField, ModelSerializer
from rrm.api.serializers import RECORD_KEEPING, case_identifier, optional_text, optional_url


def _ordered(attrs: dict[str, Any], instance: Any, later: str, earlier: str) -> None:
    """400 on `later` when it precedes `earlier` (values from the request, else from the stored row)."""
    late = attrs.get(later, getattr(instance, later, None))
    early = attrs.get(earlier, getattr(instance, earlier, None))
    if late is not None and early is not None and late < early:
        raise serializers.ValidationError({later: [f"{later} ({late}) cannot precede {earlier} ({early})."]})


class MexicoReviewSerializer(ModelSerializer[MexicoReview]):
    class Meta:
        model = MexicoReview
        exclude = ["id", "case", *RECORD_KEEPING]


class MexicoResponseSerializer(serializers.Serializer[Any]):
    response = ChoiceField(choices=[MexicoReviewResponse.ACCEPTED, MexicoReviewResponse.DECLINED])
    on = serializers.DateField()
    reported = optional_text(help_text="As the source reports it.")
    source_url = optional_url()


class MexicoFindingSerializer(serializers.Serializer[Any]):
    finding = ChoiceField(
        choices=[MexicoReviewFinding.DENIAL, MexicoReviewFinding.NO_DENIAL, MexicoReviewFinding.REMEDIED]
    )
    on = serializers.DateField()
    findings = optional_text()
    source_url = optional_url()


class RequestForReviewSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Date the request was sent; Mexico's 10- and 45-day clocks start.")
    description = optional_text()
    source_url = optional_url()


class RemediationPlanSerializer(ModelSerializer[RemediationPlan]):
    case = case_identifier()

    class Meta:
        model = RemediationPlan
        fields = [
            "id",
            "case",
            "kind",
            "agreed_on",
            "ends_on",
            "status",
            "summary",
            "source_url",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _ordered(attrs, self.instance, "ends_on", "agreed_on")
        return attrs


class RemediationPlanUpdateSerializer(RemediationPlanSerializer):
    class Meta(RemediationPlanSerializer.Meta):
        read_only_fields = ["kind", "agreed_on", "created_at"]


# What staff may set an action's status to; 'verified' comes only with a verification.
ACTION_PROGRESS_STATUSES = [
    (value, label)
    for value, label in RemediationActionStatus.choices
    if value != RemediationActionStatus.VERIFIED
]


class RemediationActionSerializer(ModelSerializer[RemediationAction]):
    status = ChoiceField(
        choices=ACTION_PROGRESS_STATUSES,
        required=False,
        help_text="Progress; 'verified' is set by the verify endpoint.",
    )

    class Meta:
        model = RemediationAction
        fields = [
            "id",
            "plan",
            "kind",
            "description",
            "due_on",
            "status",
            "completed_on",
            "verified_on",
            "verified_by",
            "verification_notes",
            "workers_covered",
            "amount_usd",
            "created_at",
        ]
        read_only_fields = ["plan", "verified_on", "verified_by", "verification_notes", "created_at"]

    def to_representation(self, instance: RemediationAction) -> dict[str, Any]:
        body = super().to_representation(instance)
        body["status"] = instance.status
        return body


class RemediationActionUpdateSerializer(RemediationActionSerializer):
    class Meta(RemediationActionSerializer.Meta):
        read_only_fields = [*RemediationActionSerializer.Meta.read_only_fields, "kind"]


class VerificationSerializer(serializers.Serializer[Any]):
    verified_on = serializers.DateField()
    verified_by = serializers.CharField(max_length=255, help_text="e.g. CFCRL, ILO observers, USTR.")
    notes = optional_text()


class PanelVerificationSerializer(ModelSerializer[PanelVerification]):
    class Meta:
        model = PanelVerification
        exclude = ["panel", *RECORD_KEEPING]


# What the panel's steps record (PanelStepSerializer); an update of the panel cannot change them.
PANEL_STEP_FIELDS = [
    "constituted_on",
    "basics_confirmed_on",
    "determination",
    "determined_on",
    "report_published_on",
    "report_url",
]


@extend_schema_serializer(component_name="PanelRecord")
class PanelSerializer(ModelSerializer[Panel]):
    case = case_identifier()
    verifications = PanelVerificationSerializer(many=True, read_only=True)

    class Meta:
        model = Panel
        fields = ["id", "case", "secretariat_no", "requested_on", *PANEL_STEP_FIELDS, "verifications"]
        read_only_fields = PANEL_STEP_FIELDS


class PanelStepSerializer(serializers.Serializer[Any]):
    step = ChoiceField(choices=PanelStep.choices)
    on = serializers.DateField()
    determination = ChoiceField(
        choices=[PanelDetermination.DENIAL, PanelDetermination.NO_DENIAL],
        required=False,
        allow_blank=True,
        default="",
        help_text="For step 'determination' only.",
    )
    report_url = optional_url()
    findings = optional_text()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["step"] == PanelStep.DETERMINATION and not attrs["determination"]:
            raise serializers.ValidationError({"determination": ["Give the panel's determination."]})
        if attrs["step"] != PanelStep.DETERMINATION and attrs["determination"]:
            raise serializers.ValidationError({"determination": ["Only the step 'determination' takes one."]})
        return attrs


@extend_schema_serializer(component_name="RemedyRecord")
class RemedySerializer(ModelSerializer[Remedy]):
    case = case_identifier()

    class Meta:
        model = Remedy
        fields = ["id", "case", "panel", "kind", "description", "imposed_on", "lifted_on", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _ordered(attrs, self.instance, "lifted_on", "imposed_on")
        return attrs


@extend_schema_serializer(component_name="RemedyUpdate")
class RemedyUpdateSerializer(RemedySerializer):
    class Meta(RemedySerializer.Meta):
        read_only_fields = ["panel", "kind", "imposed_on", "created_at"]
