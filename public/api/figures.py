"""The statistics' serializers: the documentation of every figure (FIGURE_DEFINITIONS)."""

from __future__ import annotations

from rest_framework import serializers

from public.figure_definitions import FIGURE_DEFINITIONS, PUBLISHED_TOTALS_DEFINITION
from public.statistics import COUNTED_VERDICTS, GROUPINGS
from rrm.api.fields import ChoiceField


def counts(class_name: str, /, *keys: str, **fields: serializers.Field) -> type[serializers.Serializer]:
    """A serializer of whole-number counts, one per key, and any further `fields`."""
    return type(
        class_name, (serializers.Serializer,), {**{key: serializers.IntegerField() for key in keys}, **fields}
    )


class RateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator; null if 0 cases.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    low_n = serializers.BooleanField(help_text="The denominator is under 5 cases.")


DeterminationsSerializer = counts("DeterminationsSerializer", "total", "sufficient", "insufficient")
RequestsSerializer = counts("RequestsSerializer", "total", "petition_based", "self_initiated")
ResponsesSerializer = counts("ResponsesSerializer", "accepted", "declined", "no_answer", "not_in_record")
FindingsSerializer = counts("FindingsSerializer", "denial", "no_denial", "remedied")


class DurationSerializer(serializers.Serializer):
    n = serializers.IntegerField(help_text="Cases with both dates.")
    median = serializers.FloatField(allow_null=True, help_text="Median, in days.")
    p90 = serializers.FloatField(allow_null=True, help_text="90th percentile, in days.")
    low_n = serializers.BooleanField(help_text="n is under 5.")


class DurationsSerializer(serializers.Serializer):
    receipt_to_determination = DurationSerializer()
    request_to_mexico_response = DurationSerializer()
    request_to_finding = DurationSerializer()
    request_to_remediation_plan = DurationSerializer()
    panel_request_to_determination = DurationSerializer()


# How many of a rule's clocks have each verdict; FIGURE_DEFINITIONS["clocks"] defines them.
ClockSerializer = counts(
    "ClockSerializer",
    *COUNTED_VERDICTS,
    name=serializers.CharField(),
    citation=serializers.CharField(),
    unconfirmed=serializers.BooleanField(
        help_text="The rule's length or legal basis is not confirmed in a primary source."
    ),
    compliance_rate=RateSerializer(),
)


class BackPaySerializer(serializers.Serializer):
    usd = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cases = serializers.IntegerField()
    is_floor = serializers.BooleanField()


WorkersSerializer = counts("WorkersSerializer", "total", "cases")
RepeatSerializer = counts("RepeatSerializer", "facilities", "companies")


class StatsGroupSerializer(serializers.Serializer):
    key = serializers.JSONField(allow_null=True, help_text="Value grouped by; null when not reported.")
    # DRF moves declared fields off the class, so this does not shadow Field.label at runtime.
    label = serializers.CharField(help_text="The value in words.")  # type: ignore[assignment]
    n = serializers.IntegerField(help_text=FIGURE_DEFINITIONS["n"])
    petitions_received = serializers.IntegerField(help_text=FIGURE_DEFINITIONS["petitions_received"])
    ilc_determinations = DeterminationsSerializer(help_text=FIGURE_DEFINITIONS["ilc_determinations"])
    requests_for_review = RequestsSerializer(help_text=FIGURE_DEFINITIONS["requests_for_review"])
    acceptance_rate = RateSerializer(help_text=FIGURE_DEFINITIONS["acceptance_rate"])
    mexico_responses = ResponsesSerializer(help_text=FIGURE_DEFINITIONS["mexico_responses"])
    mexico_agreement_rate = RateSerializer(help_text=FIGURE_DEFINITIONS["mexico_agreement_rate"])
    mexico_findings = FindingsSerializer(help_text=FIGURE_DEFINITIONS["mexico_findings"])
    outcomes = serializers.DictField(
        child=serializers.IntegerField(), help_text=FIGURE_DEFINITIONS["outcomes"]
    )
    durations = DurationsSerializer(help_text=FIGURE_DEFINITIONS["durations"])
    clocks = serializers.DictField(child=ClockSerializer(), help_text=FIGURE_DEFINITIONS["clocks"])
    back_pay = BackPaySerializer(help_text=FIGURE_DEFINITIONS["back_pay"])
    workers_covered = WorkersSerializer(help_text=FIGURE_DEFINITIONS["workers_covered"])
    repeat = RepeatSerializer(help_text=FIGURE_DEFINITIONS["repeat"])


class PublishedTotalSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What the total counts, as a stable code.")
    statement = serializers.CharField(help_text="The total as its source states it.")
    value = serializers.IntegerField()
    out_of = serializers.IntegerField(allow_null=True, help_text="The whole it is part of, if any.")
    is_floor = serializers.BooleanField(help_text="The source says 'more than'.")
    period_from = serializers.CharField(allow_null=True, help_text="YYYY-MM; null: not stated.")
    period_to = serializers.CharField(help_text="YYYY-MM.")
    # DRF moves declared fields off the class, so this does not shadow Field.source at runtime.
    source = serializers.CharField(help_text="The source that published the total.")  # type: ignore[assignment]
    source_url = serializers.CharField(allow_blank=True)
    confidence = serializers.CharField(help_text="C: a primary source; S: a secondary source only.")


class StatsSerializer(serializers.Serializer):
    group_by = ChoiceField(choices=GROUPINGS, allow_null=True, help_text="Grouping requested.")
    filters = serializers.DictField(child=serializers.CharField(), help_text="Filters applied.")
    low_n_threshold = serializers.IntegerField(help_text="Rates over fewer cases are flagged low_n.")
    definitions = serializers.DictField(
        child=serializers.CharField(), help_text="Definition of every figure."
    )
    groups = StatsGroupSerializer(many=True)
    published_totals = PublishedTotalSerializer(many=True, help_text=PUBLISHED_TOTALS_DEFINITION)
