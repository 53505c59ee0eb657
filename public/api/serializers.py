"""Public representations. Every field is listed here by name: a field that is not listed is not shown,
and the querysets in public.selectors do not even load the columns that are not on their allowlists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from public.selectors import PUBLIC_EXPLANATION_KEYS, is_unconfirmed
from public.statistics import FIGURE_DEFINITIONS, GROUPINGS
from rrm.choices import EventKind, MexicanState, Outcome, Stage
from rrm.models import Case, Deadline, DeadlineStatus

# --------------------------------------------------------------------------------------------------
# Cases, facilities, companies


class LabelField(serializers.CharField):
    """The words for a code of a vocabulary, in the language of the request.

    Model.get_FOO_display() rebuilds its lookup table on every call; a page of cases has three per row.
    """

    def __init__(self, choices: type[models.TextChoices], **kwargs: Any) -> None:
        self.labels = dict(choices.choices)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(self.labels.get(value, value))


STATE_NAMES = dict(MexicanState.choices)


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Company id (stable).")
    name = serializers.CharField(help_text="Name of the company as reported.")


class FacilitySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Facility id (stable).")
    name = serializers.CharField(help_text="Facility name as reported.")
    city = serializers.CharField(help_text="Municipality or city; blank if unreported.")
    state = serializers.CharField(help_text="Mexican state, ISO 3166-2:MX code.")
    state_name = LabelField(MexicanState, source="state", help_text="Name of the state.")
    sector = serializers.CharField(help_text="Priority Sector; blank when the source does not allow mapping.")
    subsector = serializers.CharField(help_text="Priority subsector under 19 U.S.C. §4643, or blank.")


class PetitionerSerializer(serializers.Serializer):
    name = serializers.CharField(source="organisation.name", help_text="Organisation's name.")
    kind = serializers.CharField(source="organisation.kind", help_text="Type of organisation.")
    role = serializers.CharField(help_text="lead or co.")


class CaseSerializer(serializers.Serializer):
    case_id = serializers.SlugField(help_text="Stable public identifier, e.g. us-mx-2021-gm-silao.")
    url = serializers.SerializerMethodField(help_text="Address of the case's own page.")
    title = serializers.CharField(help_text="Short public title, if staff wrote one.")
    annex = serializers.CharField(help_text="31-A (United States–Mexico) or 31-B (Canada–Mexico).")
    initiation = serializers.CharField(help_text="petition or self_initiated.")
    stage = serializers.CharField(help_text="Current stage of the workflow.")
    stage_label = LabelField(Stage, source="stage", help_text="The stage in words.")
    outcome = serializers.CharField(help_text="Outcome code (process.md §7); open = none found.")
    outcome_label = LabelField(Outcome, source="outcome", help_text="The outcome in words.")
    outcome_date = serializers.DateField(allow_null=True, help_text="Date the outcome was announced.")
    year = serializers.IntegerField(
        allow_null=True, help_text="Year of the petition's receipt, or of the request for review."
    )
    ustr_invocation_no = serializers.IntegerField(allow_null=True, help_text="USTR's running number.")
    facility = FacilitySummarySerializer(help_text="Facility the case concerns.")
    company = CompanySummarySerializer(
        source="facility.operator", help_text="Company operating the facility."
    )
    petitioner_type = serializers.CharField(
        help_text="Type of the lead petitioner; undisclosed for anonymous or confidential petitioners."
    )
    petitioners = serializers.SerializerMethodField(
        help_text="Named petitioners: never those of an anonymous petition, nor any who asked not to be."
    )
    petition_received_on = serializers.DateField(allow_null=True, help_text="Receipt of the petition.")
    request_for_review_on = serializers.DateField(
        allow_null=True, help_text="Request for review sent to Mexico."
    )
    mexico_response = serializers.CharField(help_text="Mexico's response as reported by the source.")
    mexico_response_on = serializers.DateField(allow_null=True, help_text="Date Mexico accepted or refused.")
    remediation_agreed_on = serializers.DateField(allow_null=True, help_text="Course of remediation agreed.")
    panel_requested_on = serializers.DateField(allow_null=True, help_text="Panel requested.")
    liquidation_suspended_on = serializers.DateField(allow_null=True, help_text="Liquidation suspended.")
    liquidation_resumed_on = serializers.DateField(allow_null=True, help_text="Liquidation resumed.")
    backpay_usd = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Published back pay in U.S. dollars."
    )
    backpay_is_floor = serializers.BooleanField(help_text="The source says 'more than' this amount.")
    workers_covered = serializers.IntegerField(allow_null=True, help_text="Workers covered, as reported.")
    source_url = serializers.CharField(help_text="Primary public source.")
    updated_at = serializers.DateTimeField(help_text="When the case row last changed.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case: Case) -> str:
        return reverse(
            "public:case-detail", kwargs={"case_id": case.case_id}, request=self.context.get("request")
        )

    @extend_schema_field(PetitionerSerializer(many=True))
    def get_petitioners(self, case: Case) -> list[dict[str, Any]]:
        petition = getattr(case, "petition", None)
        if petition is None or petition.anonymous:
            return []
        # Built directly: a nested serializer per row would copy its fields fifty times a page.
        return [
            {"name": row.organisation.name, "kind": row.organisation.kind, "role": row.role}
            for row in petition.petitioners.all()
        ]

    def to_representation(self, case: Case) -> dict[str, Any]:
        """The declared fields, built directly: DRF's two calls per field and row are most of a page's
        time. tests/public/test_serializers.py holds this equal to Serializer.to_representation."""
        facility = case.facility
        company = facility.operator
        return {
            "case_id": case.case_id,
            "url": self.get_url(case),
            "title": case.title,
            "annex": case.annex,
            "initiation": case.initiation,
            "stage": case.stage,
            "stage_label": self._label("stage_label", case.stage),
            "outcome": case.outcome,
            "outcome_label": self._label("outcome_label", case.outcome),
            "outcome_date": _iso(case.outcome_date),
            "year": case.year,  # type: ignore[attr-defined]
            "ustr_invocation_no": case.ustr_invocation_no,
            "facility": {
                "id": facility.id,
                "name": facility.name,
                "city": facility.city,
                "state": facility.state,
                "state_name": str(STATE_NAMES.get(facility.state, facility.state)),
                "sector": facility.sector,
                "subsector": facility.subsector,
            },
            "company": {"id": company.id, "name": company.name},
            "petitioner_type": case.petitioner_type,  # type: ignore[attr-defined]
            "petitioners": self.get_petitioners(case),
            "petition_received_on": _iso(case.petition_received_on),
            "request_for_review_on": _iso(case.request_for_review_on),
            "mexico_response": case.mexico_response,
            "mexico_response_on": _iso(case.mexico_response_on),
            "remediation_agreed_on": _iso(case.remediation_agreed_on),
            "panel_requested_on": _iso(case.panel_requested_on),
            "liquidation_suspended_on": _iso(case.liquidation_suspended_on),
            "liquidation_resumed_on": _iso(case.liquidation_resumed_on),
            "backpay_usd": self._shown("backpay_usd", case.backpay_usd),
            "backpay_is_floor": case.backpay_is_floor,
            "workers_covered": case.workers_covered,
            "source_url": case.source_url,
            "updated_at": self._shown("updated_at", case.updated_at),
        }

    def _label(self, name: str, value: str) -> str:
        field = self.fields[name]
        assert isinstance(field, LabelField)
        return field.to_representation(value)

    def _shown(self, name: str, value: Any) -> Any:
        return None if value is None else self.fields[name].to_representation(value)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Event id (stable).")
    case = serializers.SlugField(source="case.case_id", help_text="Case identifier.")
    kind = serializers.CharField(help_text="What happened (event kind).")
    kind_label = LabelField(EventKind, source="kind", help_text="The event in words.")
    occurred_on = serializers.DateField(help_text="Date the event took place.")
    from_stage = serializers.CharField(help_text="Stage before the event, for transitions.")
    to_stage = serializers.CharField(help_text="Stage after the event, for transitions.")
    description = serializers.CharField(help_text="What the source says happened.")
    source_url = serializers.CharField(help_text="Public source of the event.")
    source_note = serializers.CharField(help_text="Source when it has no address.")
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="Event this one corrects."
    )
    corrected = serializers.BooleanField(source="is_corrected", help_text="A later event corrects this one.")
    recorded_at = serializers.DateTimeField(help_text="When the event was recorded here.")


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable name of the clock.")
    name = serializers.CharField(help_text="Name of the clock.")
    citation = serializers.CharField(help_text="Legal source of the rule.")
    confidence = serializers.CharField(help_text="C confirmed, S secondary source only, U unconfirmed.")
    version = serializers.DateField(
        source="effective_from", help_text="Version: first start date it applies to."
    )
    length = serializers.IntegerField(help_text="Number of days.")
    unit = serializers.CharField(help_text="calendar or business days.")
    calendar = serializers.CharField(help_text="Whose weekends and holidays count (US or MX).")


def deadline_verdict(deadline: Deadline) -> str:
    if deadline.status == DeadlineStatus.OPEN:
        return "overdue" if deadline.due_date < timezone.localdate() else "pending"
    return str(deadline.status)


class DeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Deadline id (stable).")
    case = serializers.SlugField(source="case.case_id", help_text="Case identifier.")
    rule = RuleSerializer(help_text="Rule version that computed the due date.")
    unconfirmed = serializers.SerializerMethodField(help_text="The rule is tagged U: shown as unconfirmed.")
    start_date = serializers.DateField(help_text="Date the clock started.")
    due_date = serializers.DateField(help_text="Date by which the stopping event is due.")
    status = serializers.CharField(help_text="open, met, late, missed or cancelled.")
    verdict = serializers.SerializerMethodField(
        help_text="met, late, missed, cancelled, or for an open clock pending (not yet due) or overdue."
    )
    satisfied_on = serializers.DateField(
        allow_null=True, help_text="Date of the event that stopped the clock."
    )
    days_late = serializers.IntegerField(allow_null=True, help_text="Calendar days after the due date.")
    explanation = serializers.SerializerMethodField(
        help_text="How the due date was computed: text, unconfirmed flag, nominal due date, skipped days."
    )

    def get_unconfirmed(self, deadline: Deadline) -> bool:
        return is_unconfirmed(deadline.rule, deadline.explanation)

    def get_verdict(self, deadline: Deadline) -> str:
        return deadline_verdict(deadline)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_explanation(self, deadline: Deadline) -> dict[str, Any]:
        shown = {
            key: deadline.explanation[key] for key in PUBLIC_EXPLANATION_KEYS if key in deadline.explanation
        }
        shown["unconfirmed"] = self.get_unconfirmed(deadline)
        return shown


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Action id (stable).")
    kind = serializers.CharField(help_text="What the facility or government must do.")
    due_on = serializers.DateField(allow_null=True, help_text="Date by which it is due.")
    status = serializers.CharField(help_text="Progress.")
    completed_on = serializers.DateField(allow_null=True, help_text="When it was done.")
    verified_on = serializers.DateField(allow_null=True, help_text="When it was verified.")
    verified_by = serializers.CharField(help_text="Who verified it.")
    workers_covered = serializers.IntegerField(allow_null=True, help_text="Workers the action covers.")
    amount_usd = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Money paid, in U.S. dollars."
    )


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Plan id (stable).")
    case = serializers.SlugField(source="case.case_id", help_text="Case identifier.")
    kind = serializers.CharField(help_text="government (course of remediation) or company (USTR agreement).")
    agreed_on = serializers.DateField(help_text="Date the plan was agreed.")
    ends_on = serializers.DateField(allow_null=True, help_text="End of the remediation period.")
    status = serializers.CharField(help_text="in_progress, completed, failed or facility_closed.")
    summary = serializers.CharField(help_text="Commitments of the plan.")
    source_url = serializers.CharField(help_text="Published plan or announcement.")
    actions = ActionSerializer(many=True, help_text="Actions of the plan.")


class ReviewSerializer(serializers.Serializer):
    requested_on = serializers.DateField(help_text="Date of the request for review.")
    response = serializers.CharField(help_text="pending, accepted, declined or no_answer.")
    response_on = serializers.DateField(allow_null=True, help_text="Date of the answer.")
    response_reported = serializers.CharField(help_text="The answer as reported by the source.")
    finding = serializers.CharField(help_text="pending, denial, no_denial or remedied.")
    finding_on = serializers.DateField(allow_null=True, help_text="Date the result was communicated.")
    findings = serializers.CharField(help_text="Summary of the findings.")


class PanelSerializer(serializers.Serializer):
    secretariat_no = serializers.CharField(help_text="Secretariat case number.")
    requested_on = serializers.DateField(help_text="Date the panel was requested.")
    constituted_on = serializers.DateField(allow_null=True, help_text="Date the panelists were selected.")
    basics_confirmed_on = serializers.DateField(
        allow_null=True, help_text="Date the panel confirmed the request."
    )
    determination = serializers.CharField(help_text="pending, denial or no_denial.")
    determined_on = serializers.DateField(allow_null=True, help_text="Date of the determination.")
    report_published_on = serializers.DateField(allow_null=True, help_text="Date the report was published.")
    report_url = serializers.CharField(help_text="Published report.")


class RemedySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Measure imposed.")
    description = serializers.CharField(help_text="Scope and rate of the measure.")
    imposed_on = serializers.DateField(help_text="Date it took effect.")
    lifted_on = serializers.DateField(allow_null=True, help_text="Date it was lifted.")


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="Title of the document.")
    url = serializers.CharField(help_text="Public address.")
    language = serializers.CharField(help_text="en or es.")
    issued_on = serializers.DateField(allow_null=True, help_text="Date printed on the document.")


class CorrectionSerializer(serializers.Serializer):
    """Rows of public.selectors.corrections_changelog()."""

    kind = serializers.CharField(
        source="entry_kind", help_text="record (written by staff) or timeline (an event corrected)."
    )
    case = serializers.CharField(
        source="entry_case", allow_null=True, help_text="Case; null for the dataset."
    )
    corrected_on = serializers.DateField(source="entry_date", help_text="Date of the correction.")
    field = serializers.CharField(source="entry_field", help_text="What was corrected.")
    previous_value = serializers.CharField(source="entry_previous", help_text="What was published before.")
    corrected_value = serializers.CharField(
        source="entry_corrected", help_text="What is published now ('retracted' if withdrawn)."
    )
    reason = serializers.CharField(source="entry_reason", help_text="Why.")
    source_url = serializers.CharField(source="entry_source", help_text="Source of the corrected value.")
    recorded_at = serializers.DateTimeField(source="entry_recorded", help_text="When it was recorded.")


class CaseDetailSerializer(CaseSerializer):
    """One case with all its records; built field by field by DRF (one row, no need to hurry)."""

    def to_representation(self, case: Case) -> dict[str, Any]:
        return dict(serializers.Serializer.to_representation(self, case))

    summary_en = serializers.CharField(help_text="Public summary in English.")
    summary_es = serializers.CharField(help_text="Public summary in Spanish.")
    notes = serializers.CharField(help_text="Provenance and caveats of the public sources.")
    claim_categories = serializers.SerializerMethodField(
        help_text="Categories of the petition's public claims."
    )
    timeline = EventSerializer(source="events.all", many=True, help_text="Every event, corrections flagged.")
    deadlines = DeadlineSerializer(
        source="deadlines.all", many=True, help_text="Every clock with its verdict."
    )
    mexico_review = serializers.SerializerMethodField(help_text="Mexico's review, if a request was sent.")
    remediation_plans = PlanSerializer(
        source="remediation_plans.all", many=True, help_text="Courses of remediation."
    )
    panels = PanelSerializer(source="panels.all", many=True, help_text="Rapid Response Labor Panels.")
    remedies = RemedySerializer(source="remedies.all", many=True, help_text="Remedies imposed.")
    documents = DocumentSerializer(source="documents.all", many=True, help_text="Public documents.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_claim_categories(self, case: Case) -> list[str]:
        petition = getattr(case, "petition", None)
        if petition is None:
            return []
        return sorted({claim.category for claim in petition.claims.all()})

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_mexico_review(self, case: Case) -> dict[str, Any] | None:
        review = getattr(case, "mexico_review", None)
        return None if review is None else ReviewSerializer(review).data


class FacilitySerializer(FacilitySummarySerializer):
    company = CompanySummarySerializer(source="operator", help_text="Company operating the facility.")
    sector_reported = serializers.CharField(help_text="Sector exactly as the source reports it.")
    headcount = serializers.IntegerField(allow_null=True, help_text="Approximate number of workers.")
    case_count = serializers.IntegerField(help_text="Cases about the facility.")
    repeat = serializers.SerializerMethodField(help_text="More than one case.")
    updated_at = serializers.DateTimeField(help_text="When the facility row last changed.")

    def get_repeat(self, facility: Any) -> bool:
        return bool(facility.case_count > 1)


class CompanySerializer(CompanySummarySerializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 country of the headquarters, if known.")
    parent_id = serializers.IntegerField(allow_null=True, help_text="Parent company id.")
    case_count = serializers.IntegerField(help_text="Cases about its facilities.")
    facility_count = serializers.IntegerField(help_text="Its facilities named in a case.")
    repeat = serializers.SerializerMethodField(help_text="More than one case.")
    updated_at = serializers.DateTimeField(help_text="When the company row last changed.")

    def get_repeat(self, company: Any) -> bool:
        return bool(company.case_count > 1)


# --------------------------------------------------------------------------------------------------
# Statistics: these serializers are the documentation of every figure (FIGURE_DEFINITIONS).


class RateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator; null if 0 cases.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    low_n = serializers.BooleanField(help_text="The denominator is under 5 cases.")


class DeterminationsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    sufficient = serializers.IntegerField()
    insufficient = serializers.IntegerField()


class RequestsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    petition_based = serializers.IntegerField()
    self_initiated = serializers.IntegerField()


class ResponsesSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    no_answer = serializers.IntegerField()
    not_recorded = serializers.IntegerField()


class FindingsSerializer(serializers.Serializer):
    denial = serializers.IntegerField()
    no_denial = serializers.IntegerField()
    remedied = serializers.IntegerField()


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


class ClockSerializer(serializers.Serializer):
    name = serializers.CharField()
    citation = serializers.CharField()
    unconfirmed = serializers.BooleanField(help_text="Rule tagged U in process.md.")
    met = serializers.IntegerField()
    late = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Of the pending, those past their due date.")
    missed = serializers.IntegerField()
    compliance_rate = RateSerializer()


class BackPaySerializer(serializers.Serializer):
    usd = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cases = serializers.IntegerField()
    is_floor = serializers.BooleanField()


class WorkersSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    cases = serializers.IntegerField()


class RepeatSerializer(serializers.Serializer):
    facilities = serializers.IntegerField()
    companies = serializers.IntegerField()


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


class StatsSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=GROUPINGS, allow_null=True, help_text="Grouping requested.")
    filters = serializers.DictField(child=serializers.CharField(), help_text="Filters applied.")
    low_n_threshold = serializers.IntegerField(help_text="Rates over fewer cases are flagged low_n.")
    definitions = serializers.DictField(
        child=serializers.CharField(), help_text="Definition of every figure."
    )
    groups = StatsGroupSerializer(many=True)


class ExportFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="File name.")
    url = serializers.URLField(help_text="Where to download it.")
    media_type = serializers.CharField(help_text="text/csv or application/vnd.sqlite3.")
    rows = serializers.IntegerField(help_text="Data rows (for the SQLite file, all tables).")
    bytes = serializers.IntegerField(help_text="Size.")
    sha256 = serializers.CharField(help_text="SHA-256 of the content.")


class ExportSerializer(serializers.Serializer):
    built_at = serializers.DateTimeField(allow_null=True, help_text="When the files were built.")
    build = serializers.IntegerField(allow_null=True, help_text="Build number.")
    rebuilding = serializers.BooleanField(help_text="A newer build is waiting or running.")
    datasette = serializers.CharField(help_text="How to browse the SQLite file.")
    files = ExportFileSerializer(many=True)
