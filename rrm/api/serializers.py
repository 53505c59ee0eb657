"""Serializers of the kernel's endpoints: cases, timelines, deadlines, workflow steps, watches, webhooks."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from rrm.api import examples
from rrm.api.access import visible_cases
from rrm.api.fields import ChoiceField, ModelSerializer
from rrm.api.roles import is_administrator, is_case_officer, organisations_of
from rrm.choices import EventKind, Stage
from rrm.models import (
    Case,
    CaseWatch,
    Deadline,
    Facility,
    Notification,
    Organisation,
    TimelineEvent,
    WebhookEndpoint,
)
from rrm.services import EDITABLE_CASE_FIELDS
from rrm.webhook_targets import target_problem
from rrm.work_queue import QueueKind

# What every record keeps about itself rather than states: its documents (attached through the admin)
# and when its row was stored and changed.
RECORD_KEEPING = ["documents", "created_at", "updated_at"]

# Outcome steps with no record of their own; every other step has its own endpoint, which writes the
# record (screening, Mexico's review, plan, panel, remedy) together with the step.
OUTCOME_ACTIONS = (
    "accept_finding",
    "close_no_action",
    "complete_remediation",
    "facility_closes",
    "remedied_after_panel",
    "close",
)


@extend_schema_serializer(component_name="FacilityRecord")
class FacilitySerializer(ModelSerializer[Facility]):
    operator = serializers.CharField(source="operator.name", read_only=True, help_text="Operating company.")

    class Meta:
        model = Facility
        fields = ["id", "name", "operator", "city", "state", "sector", "subsector", "headcount"]


@extend_schema_serializer(component_name="CaseRecord")
class CaseSerializer(ModelSerializer[Case]):
    facility = FacilitySerializer(read_only=True)

    class Meta:
        model = Case
        fields = [
            "case_id",
            "facility",
            "annex",
            "initiation",
            "stage",
            "outcome",
            "outcome_date",
            "ustr_invocation_no",
            "petition_received_on",
            "request_for_review_on",
            "mexico_response",
            "mexico_response_on",
            "remediation_agreed_on",
            "panel_requested_on",
            "liquidation_suspended_on",
            "liquidation_resumed_on",
            *EDITABLE_CASE_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = [name for name in fields if name not in EDITABLE_CASE_FIELDS]


@extend_schema_serializer(examples=[examples.TIMELINE_EVENT])
class TimelineEventSerializer(ModelSerializer[TimelineEvent]):
    recorded_by = serializers.SerializerMethodField(help_text="Who recorded it; shown to staff only.")

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "kind",
            "occurred_on",
            "from_stage",
            "to_stage",
            "description",
            "source_url",
            "source_note",
            "data",
            "corrects",
            "recorded_at",
            "recorded_by",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, event: TimelineEvent) -> str | None:
        if not self.shows_recorders or event.recorded_by is None:
            return None
        return event.recorded_by.get_username()

    @cached_property
    def shows_recorders(self) -> bool:
        # Asked once per request: a list serializes every event with this one instance.
        request = self.context.get("request")
        return request is not None and is_case_officer(request.user)


@extend_schema_serializer(component_name="CaseDeadline", examples=[examples.DEADLINE])
class DeadlineSerializer(ModelSerializer[Deadline]):
    rule = serializers.CharField(source="rule.code", read_only=True, help_text="Code of the clock.")
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    citation = serializers.CharField(source="rule.citation", read_only=True, help_text="Legal source.")
    unconfirmed = serializers.BooleanField(
        source="rule.is_unconfirmed", read_only=True, help_text="The rule is tagged [U] in docs/mechanism.md."
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule",
            "rule_name",
            "citation",
            "unconfirmed",
            "start_date",
            "due_date",
            "status",
            "satisfied_on",
            "days_late",
            "explanation",
        ]


def optional_text(**options: Any) -> serializers.CharField:
    """A text a request may leave out (blank then)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **options)


def optional_url() -> serializers.URLField:
    """A source address a request may leave out (blank then)."""
    return serializers.URLField(required=False, allow_blank=True, default="", max_length=500)


def case_identifier(**options: Any) -> serializers.SlugRelatedField[Any]:
    """The case a record belongs to, by its case_id; set by the endpoint, never by the request."""
    return serializers.SlugRelatedField(slug_field="case_id", read_only=True, **options)


# Put first among the bases of an update serializer: drops the fields only a creation takes. (A comment,
# not a docstring: the OpenAPI schema would show a docstring as the description of every subclass.)
class WithoutCreationFields(ModelSerializer[Any]):
    creation_fields: tuple[str, ...] = ()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in self.creation_fields:
            fields.pop(name)
        return fields


class DatedStepSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(
        help_text="Date the step happened (not in the future, not before the last event)."
    )
    description = optional_text()
    source_url = optional_url()
    source_note = optional_text(max_length=500)


class OutcomeStepSerializer(DatedStepSerializer):
    action = ChoiceField(choices=OUTCOME_ACTIONS, help_text="Outcome step to record.")


class AllowedStepSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    endpoint = serializers.CharField(help_text="Path, under the case, of the endpoint that records it.")


class TransitionsSerializer(serializers.Serializer[Any]):
    case_id = serializers.CharField()
    stage = serializers.CharField()
    allowed = AllowedStepSerializer(many=True)


@extend_schema_serializer(component_name="CorrectionRequest")
class CorrectionSerializer(serializers.Serializer[Any]):
    corrects = serializers.IntegerField(min_value=1, help_text="Id of the timeline event corrected.")
    reason = serializers.CharField(max_length=2000, help_text="What was wrong, and the source of the fix.")
    corrected_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The right date; omit to retract the event."
    )

    def validate_corrects(self, value: int) -> int:
        case: Case = self.context["case"]
        if not TimelineEvent.objects.filter(case=case, pk=value).exclude(kind=EventKind.CORRECTION).exists():
            raise serializers.ValidationError(
                f"Case {case.case_id} has no event {value} that can be corrected."
            )
        return value


class ExtensionSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text="Days added, in the rule's unit.")
    on = serializers.DateField(help_text="Date the Parties agreed the extension.")
    reason = serializers.CharField(max_length=2000)


class SuspensionSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(help_text="First day of the suspension.")
    end = serializers.DateField(help_text="Last day of the suspension (inclusive).")
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {"end": [f"Ends ({attrs['end']}) before it starts ({attrs['start']})."]}
            )
        return attrs


class WatchSerializer(ModelSerializer[CaseWatch]):
    case = serializers.CharField(source="case.case_id", read_only=True)

    class Meta:
        model = CaseWatch
        fields = ["id", "case", "created_at"]


@extend_schema_field(OpenApiTypes.STR)
class VisibleCaseField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A case_id among the cases the caller may see; any other answers 'does not exist'."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="case_id", **kwargs)

    def get_queryset(self) -> Any:
        return visible_cases(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class ManagedOrganisationField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An organisation the caller acts for (any, for an administrator)."""

    def get_queryset(self) -> Any:
        user = self.context["request"].user
        return Organisation.objects.all() if is_administrator(user) else organisations_of(user)


class WebhookSerializer(ModelSerializer[WebhookEndpoint]):
    organisation = ManagedOrganisationField(help_text="Organisation that owns the endpoint.")
    cases = VisibleCaseField(
        many=True, required=False, help_text="case_ids whose deadline alerts it receives."
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "organisation", "url", "active", "cases", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_url(self, value: str) -> str:
        problem = target_problem(value, allow_private=settings.RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS)
        if problem is not None:
            raise serializers.ValidationError(problem)
        return value


class WebhookUpdateSerializer(WebhookSerializer):
    class Meta(WebhookSerializer.Meta):
        read_only_fields = ["organisation", "url", "created_at", "updated_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signing secret. Shown in this response only; it is not stored."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(ModelSerializer[Notification]):
    event = serializers.SerializerMethodField(help_text="What was announced, e.g. deadline.due_soon.")
    case = serializers.SerializerMethodField(help_text="case_id the delivery concerns, if any.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "case",
            "status",
            "attempts",
            "created_at",
            "sent_at",
            "response_code",
            "last_error",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_event(self, notification: Notification) -> str:
        return str(notification.payload.get("event", ""))

    @extend_schema_field(OpenApiTypes.STR)
    def get_case(self, notification: Notification) -> str | None:
        case = notification.payload.get("case")
        return str(case) if case else None


class HistoryChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer[Any]):
    model = serializers.CharField(help_text="Which record: case, petition, evidence, remediation_plan...")
    object_id = serializers.IntegerField()
    history_id = serializers.IntegerField()
    type = ChoiceField(choices=["created", "changed", "deleted"])
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True, help_text="Username; null for imports and scripts.")
    changes = HistoryChangeSerializer(many=True)


class QueueItemSerializer(serializers.Serializer[Any]):
    """One item of the work queue (rrm.work_queue.QueueItem)."""

    kind = ChoiceField(choices=QueueKind.choices)
    case_id = serializers.CharField()
    facility = serializers.CharField()
    stage = ChoiceField(choices=Stage.choices)
    due_on = serializers.DateField(allow_null=True, help_text="Due date, where the item has one.")
    what = serializers.CharField(help_text="The clock, the stage or the remediation date.")
