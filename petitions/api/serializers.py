"""Serializers of petition filing: drafts, claims, petitioners, evidence, and the ILC's screening."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from petitions.models import (
    CONFIDENTIAL_FIELD_NAMES,
    Claim,
    Evidence,
    Petition,
    Petitioner,
    Screening,
    ScreeningDetermination,
)
from petitions.selectors import facilities_open_to
from petitions.uploads import ACCEPTED_NAMES, UnacceptableUpload, judge_upload
from rrm.api.fields import ChoiceField, ModelSerializer
from rrm.api.roles import organisations_of
from rrm.api.serializers import (
    RECORD_KEEPING,
    FacilitySerializer,
    WithoutCreationFields,
    case_identifier,
    optional_text,
    optional_url,
)
from rrm.choices import Language, MexicanState, PrioritySubsector, Sector


@extend_schema_field(OpenApiTypes.INT)
class MemberOrganisationField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An organisation the caller is a member of; any other id answers 'does not exist'."""

    def get_queryset(self) -> Any:
        return organisations_of(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class OpenFacilityField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A facility of a case or of the caller's own petitions; any other id answers 'does not exist', and
    the browsable API's form lists no other."""

    def get_queryset(self) -> Any:
        return facilities_open_to(self.context["request"].user)


class NewFacilitySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255)
    operator = serializers.CharField(max_length=255, help_text="Company operating the facility.")
    city = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    state = ChoiceField(choices=MexicanState.choices)
    sector = ChoiceField(choices=Sector.choices, required=False, allow_blank=True, default="")
    subsector = ChoiceField(choices=PrioritySubsector.choices, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="PetitionerRecord")
class PetitionerSerializer(ModelSerializer[Petitioner]):
    organisation = MemberOrganisationField(help_text="Co-petitioning organisation of the caller.")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Petitioner
        fields = ["id", "organisation", "organisation_name", "role", "identity_confidential"]
        read_only_fields = ["role"]


class PetitionSerializer(ModelSerializer[Petition]):
    organisation = MemberOrganisationField(
        write_only=True, help_text="Organisation filing (lead petitioner); one the caller is a member of."
    )
    facility = OpenFacilityField(
        allow_null=True, required=False, help_text="Covered facility's id, from /api/v1/facilities/."
    )
    new_facility = NewFacilitySerializer(
        source="proposed_facility",
        required=False,
        allow_null=True,
        help_text=(
            "A facility not listed by /api/v1/facilities/, as the petitioners name it; kept with the draft "
            "and found or added by operator and name when the petition is filed."
        ),
    )
    lead_identity_confidential = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="The lead petitioner asks that its name and kind never be published.",
    )
    facility_detail = FacilitySerializer(source="facility", read_only=True)
    confidential_fields = serializers.ListField(
        child=ChoiceField(choices=CONFIDENTIAL_FIELD_NAMES),
        required=False,
        help_text=f"Fields kept from the public; any of {', '.join(CONFIDENTIAL_FIELD_NAMES)}.",
    )
    case = case_identifier(allow_null=True)  # a draft has no case yet
    petitioners = PetitionerSerializer(many=True, read_only=True)

    class Meta:
        model = Petition
        fields = [
            "id",
            "status",
            "organisation",
            "annex",
            "facility",
            "new_facility",
            "facility_detail",
            "lead_identity_confidential",
            "facility_description",
            "narrative",
            "laws_cited",
            "domestic_proceedings",
            "language",
            "anonymous",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_address",
            "confidential_fields",
            "case",
            "petitioners",
            "submitted_at",
            "received_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "submitted_at", "received_on", "created_at", "updated_at"]

    def validate_confidential_fields(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("proposed_facility") and attrs.get("facility"):
            raise serializers.ValidationError(
                {"new_facility": ["Give either facility or new_facility, not both."]}
            )
        return attrs


class PetitionUpdateSerializer(WithoutCreationFields, PetitionSerializer):
    creation_fields = ("organisation",)

    class Meta(PetitionSerializer.Meta):
        read_only_fields = [*PetitionSerializer.Meta.read_only_fields, "annex"]


class ClaimSerializer(ModelSerializer[Claim]):
    class Meta:
        model = Claim
        fields = ["id", "category", "description", "began_on", "ended_on", "confidential"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        began = attrs.get("began_on", getattr(self.instance, "began_on", None))
        ended = attrs.get("ended_on", getattr(self.instance, "ended_on", None))
        today = timezone.localdate()
        for name, day in (("began_on", began), ("ended_on", ended)):
            if day is not None and day > today:
                raise serializers.ValidationError({name: [f"{day} is in the future."]})
        if began is not None and ended is not None and ended < began:
            raise serializers.ValidationError({"ended_on": [f"Ends ({ended}) before it began ({began})."]})
        return attrs


class EvidenceSerializer(ModelSerializer[Evidence]):
    file = serializers.FileField(
        write_only=True,
        help_text=f"The document: {ACCEPTED_NAMES}, judged from its content; size limited by the server.",
    )
    title = serializers.CharField(max_length=255)
    language = ChoiceField(choices=Language.choices, default=Language.ES)
    confidential = serializers.BooleanField(default=True)
    download = serializers.SerializerMethodField(
        help_text="Where the file is served, after a permission check."
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "petition",
            "title",
            "file",
            "content_type",
            "size",
            "sha256",
            "language",
            "confidential",
            "download",
            "created_at",
        ]
        read_only_fields = ["petition", "content_type", "size", "sha256", "created_at"]

    def get_download(self, evidence: Evidence) -> str:
        return f"/api/v1/evidence/{evidence.pk}/download/"

    def validate_file(self, value: Any) -> Any:
        try:
            judge_upload(value)
        except UnacceptableUpload as error:
            raise serializers.ValidationError(str(error)) from error
        return value


class EvidenceUpdateSerializer(WithoutCreationFields, EvidenceSerializer):
    creation_fields = ("file",)


class ScreeningSerializer(ModelSerializer[Screening]):
    class Meta:
        model = Screening
        exclude = ["id", "petition", *RECORD_KEEPING]


class ReceiptSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Date OTLA received the petition; starts the ILC's 30-day clock.")
    source_note = optional_text(max_length=500)


class IlcDeterminationSerializer(serializers.Serializer[Any]):
    determination = ChoiceField(
        choices=[
            ScreeningDetermination.SUFFICIENT,
            ScreeningDetermination.INSUFFICIENT,
            ScreeningDetermination.RESOLVED,
        ],
        help_text="sufficient (the request for review is sent), insufficient (declined), resolved.",
    )
    on = serializers.DateField()
    findings = optional_text()
    employer_consulted = serializers.BooleanField(required=False, default=False)
    petitioner_notified_on = serializers.DateField(required=False, allow_null=True, default=None)
    source_url = optional_url()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        notified: dt.date | None = attrs["petitioner_notified_on"]
        if notified is not None and notified < attrs["on"]:
            raise serializers.ValidationError(
                {
                    "petitioner_notified_on": [
                        f"Notice ({notified}) cannot precede the determination ({attrs['on']})."
                    ]
                }
            )
        return attrs
