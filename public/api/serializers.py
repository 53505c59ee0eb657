"""Public representations. Every field is listed here by name: a field that is not listed is not shown,
and the querysets in public.selectors do not even load the columns that are not on their allowlists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, partial
from operator import attrgetter
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from public import columns
from public.columns import Api, Column, Kind, Table
from public.search import SNIPPET, highlighted
from public.selectors import PUBLIC_EXPLANATION_KEYS, is_unconfirmed
from rrm import selectors as rrm_selectors
from rrm.choices import STATES_OF_COUNTRY, DateBasis, EventKind
from rrm.models import Case, Deadline

# --------------------------------------------------------------------------------------------------
# Cases, facilities, companies


class LabelField(serializers.CharField):
    """The words for a code of a vocabulary, in the language of the request.

    Model.get_FOO_display() rebuilds its lookup table on every call; a page of cases has three per row.
    """

    def __init__(self, *vocabularies: type[models.TextChoices], **kwargs: Any) -> None:
        self.labels = {value: label for choices in vocabularies for value, label in choices.choices}
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(self.labels.get(value, value))


# A serializer that builds its rows directly from its fields: DRF's two calls per field and row are
# most of a page's time. tests/public/test_serializers.py holds this equal to DRF's rows. (A comment,
# not a docstring: the OpenAPI schema would show a docstring as the description of every subclass.)
class RowSerializer(serializers.Serializer):
    def to_representation(self, row: Any) -> dict[str, Any]:
        return {name: read(row) for name, read in self.readers.items()}

    @cached_property
    def readers(self) -> dict[str, Callable[[Any], Any]]:
        return {name: self.reader(field) for name, field in self.fields.items()}

    def reader(self, field: serializers.Field) -> Callable[[Any], Any]:
        if isinstance(field, serializers.SerializerMethodField):
            method: Callable[[Any], Any] = getattr(self, field.method_name)
            return method
        read = attrgetter(".".join(field.source_attrs))
        shown = shown_by(field)
        return read if shown is as_stored else lambda row: shown(read(row))


def shown_by(field: serializers.Field) -> Callable[[Any], Any]:
    """How `field` shows a stored value, as its to_representation would: as it is, as an ISO date, by
    its label in the active language (looked up once), or through the field (money, times); null
    stays null."""
    if type(field) in PLAIN_FIELDS:
        return as_stored
    if type(field) is serializers.DateField:
        return _iso
    if isinstance(field, LabelField):
        labels = {value: str(label) for value, label in field.labels.items()}
        return lambda value: None if value is None else labels.get(value, str(value))
    return lambda value: None if value is None else field.to_representation(value)


class SearchedRows(serializers.Serializer):
    """A row of a list searched with q= has a `snippet`; an answer to any other request has none (the
    view says which in the context's `searched`)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return self.without_unsearched_snippet(super().get_fields())

    def without_unsearched_snippet(
        self, fields: dict[str, serializers.Field]
    ) -> dict[str, serializers.Field]:
        if self.context.get("searched") is False:
            fields.pop("snippet", None)
        return fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_snippet(self, row: Any) -> str | None:
        return highlighted(getattr(row, SNIPPET, None))


SNIPPET_HELP = (
    "Only when the list is searched (q=): the row's text around the matches, as HTML: the text escaped, "
    "each match in <mark>."
)


def snippet_field() -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(help_text=SNIPPET_HELP)


# Fields whose value is shown as the row holds it.
PLAIN_FIELDS = (
    serializers.CharField,
    serializers.SlugField,
    serializers.IntegerField,
    serializers.BooleanField,
)


def as_stored(value: Any) -> Any:
    """A value shown as the row holds it."""
    return value


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class CompanySummarySerializer(RowSerializer):
    id = serializers.IntegerField(help_text="Company id (stable).")
    name = serializers.CharField(help_text="Name of the company as reported.")
    slug = serializers.SlugField(
        help_text="Stable public identifier of the company, made from its name when it was added."
    )


class FacilityPlaceSerializer(RowSerializer):
    id = serializers.IntegerField(help_text="Facility id (stable).")
    name = serializers.CharField(help_text="Facility name as reported.")
    city = serializers.CharField(help_text="Municipality or city; blank if unreported.")
    state = serializers.CharField(
        help_text="State, province or federal entity of its country: the ISO 3166-2 code after the "
        "country's (NLE of MX-NLE)."
    )
    state_name = LabelField(
        *STATES_OF_COUNTRY.values(), source="state", help_text="Name of the state, province or entity."
    )
    country = serializers.CharField(help_text="Country it is in: US, CA or MX.")


class FacilitySummarySerializer(FacilityPlaceSerializer):
    sector = serializers.CharField(help_text="Priority Sector; blank when the source does not allow mapping.")
    subsector = serializers.CharField(help_text="Priority subsector under 19 U.S.C. §4643, or blank.")


class PetitionerSerializer(serializers.Serializer):
    name = serializers.CharField(source="organisation.name", help_text="Organisation's name.")
    kind = serializers.CharField(source="organisation.kind", help_text="Type of organisation.")
    role = serializers.CharField(help_text="lead or co.")


# Each field of a named petitioner and the path it reads from a Petitioner row.
PETITIONER_SOURCES = {name: field.source or name for name, field in PetitionerSerializer().fields.items()}
PETITIONER_READERS = {name: attrgetter(source) for name, source in PETITIONER_SOURCES.items()}


FIELD_OF_KIND: dict[Kind, Callable[..., serializers.Field]] = {
    Kind.TEXT: serializers.CharField,
    Kind.SLUG: serializers.SlugField,
    Kind.INTEGER: serializers.IntegerField,
    Kind.MONEY: partial(serializers.DecimalField, max_digits=14, decimal_places=2),
    Kind.BOOLEAN: serializers.BooleanField,
    Kind.DATE: serializers.DateField,
    Kind.DATETIME: serializers.DateTimeField,
}
# The case columns of kind COMPUTED: the serializer builds them from the row.
COMPUTED_FIELDS: dict[str, Callable[..., serializers.Field]] = {
    "url": serializers.SerializerMethodField,
    "facility": FacilitySummarySerializer,
    "company": CompanySummarySerializer,
    "facilities": serializers.SerializerMethodField,
    "petitioners": serializers.SerializerMethodField,
    "snippet": serializers.SerializerMethodField,
}


def field_for(column: Column) -> serializers.Field:
    """The API field of a declared column, documented by the column's description in the language the
    OpenAPI schema is built in (/api/schema/?lang=es gives the Spanish ones)."""
    options: dict[str, Any] = {"help_text": lazy(lambda: column.description_in(get_language()), str)()}
    if column.path != column.name:
        options["source"] = column.path.replace("__", ".")
    if column.null:
        options["allow_null"] = True
    if column.kind is Kind.COMPUTED:
        return COMPUTED_FIELDS[column.name](**options)
    if column.choices is not None:
        return LabelField(column.choices, **options)
    return FIELD_OF_KIND[column.kind](**options)


def registry_serializer(table: Table) -> type[RowSerializer]:
    """A serializer of the columns `table` shows in lists, in their declared order."""
    fields = {column.name: field_for(column) for column in table.shown(Api.LIST)}
    name = "".join(part.title() for part in table.name.split("_"))
    return type(f"{name}Serializer", (RowSerializer,), fields)


UnionVoteSerializer = registry_serializer(columns.UNION_VOTES)
ReinstatementSerializer = registry_serializer(columns.REINSTATEMENTS)
PaymentSerializer = registry_serializer(columns.PAYMENTS)
WorkerCountSerializer = registry_serializer(columns.WORKER_COUNTS)


class CaseSerializer(SearchedRows, RowSerializer):
    """A case in a list: the columns of public.columns.CASES shown in lists, in their declared order
    (read when the fields are built, so that the registry is the only place a column is named)."""

    levels: tuple[Api, ...] = (Api.LIST,)

    def get_fields(self) -> dict[str, serializers.Field]:
        declared = {column.name: field_for(column) for column in columns.CASES.shown(*self.levels)}
        return self.without_unsearched_snippet({**declared, **super().get_fields()})

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case: Case) -> str:
        return reverse(
            "public:case-detail", kwargs={"case_id": case.case_id}, request=self.context.get("request")
        )

    @extend_schema_field(FacilityPlaceSerializer(many=True))
    def get_facilities(self, case: Case) -> list[dict[str, Any]]:
        return [self.facility_place.to_representation(link.facility) for link in case.facility_links.all()]

    @cached_property
    def facility_place(self) -> FacilityPlaceSerializer:
        return FacilityPlaceSerializer()

    @extend_schema_field(PetitionerSerializer(many=True))
    def get_petitioners(self, case: Case) -> list[dict[str, Any]]:
        # Every filed petition's petitioners (public_cases prefetches filed petitions only and, of their
        # petitioners, only those shown_petitioners allows); an anonymous petition names nobody.
        # Built directly: a nested serializer per row would copy its fields fifty times a page.
        return [
            {name: read(row) for name, read in PETITIONER_READERS.items()}
            for petition in case.petitions.all()
            if not petition.anonymous
            for row in petition.petitioners.all()
        ]


class EventSerializer(SearchedRows):
    id = serializers.IntegerField(help_text="Event id (stable).")
    case = serializers.SlugField(source="case.case_id", help_text="Case identifier.")
    kind = serializers.CharField(help_text="What happened (event kind).")
    kind_label = LabelField(EventKind, source="kind", help_text="The event in words.")
    occurred_on = serializers.DateField(help_text="Date the event took place.")
    date_precision = serializers.CharField(help_text="day, or month when only the month is known.")
    date_basis = serializers.CharField(
        help_text="How the date is known: act, announced, reported, approximate."
    )
    date_basis_label = LabelField(
        DateBasis, source="date_basis", help_text="How the date is known, in words."
    )
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
    snippet = snippet_field()


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


def _deadline_column(name: str) -> str:
    return next(column.description for column in columns.DEADLINES.columns if column.name == name)


def deadline_verdict(deadline: Deadline) -> str:
    return rrm_selectors.verdict_of(deadline, today=timezone.localdate())


class DeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Deadline id (stable).")
    case = serializers.SlugField(source="case.case_id", help_text="Case identifier.")
    rule = RuleSerializer(help_text="Rule version that computed the due date.")
    unconfirmed = serializers.SerializerMethodField(help_text="The rule is tagged U: shown as unconfirmed.")
    start_date = serializers.DateField(help_text="Date the clock started.")
    due_date = serializers.DateField(help_text="Date by which the stopping event is due.")
    status = serializers.CharField(help_text="open, met, late, ended or cancelled.")
    verdict = serializers.SerializerMethodField(help_text=_deadline_column("verdict"))
    satisfied_on = serializers.DateField(allow_null=True, help_text=_deadline_column("satisfied_on"))
    days_late = serializers.IntegerField(allow_null=True, help_text=_deadline_column("days_late"))
    days_late_is_minimum = serializers.BooleanField(help_text=_deadline_column("days_late_is_minimum"))
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
    """One case with all its records, the columns shown on its page among them; built field by field by
    DRF (one row, no need to hurry)."""

    levels = (Api.LIST, Api.DETAIL)

    def to_representation(self, case: Case) -> dict[str, Any]:
        return dict(serializers.Serializer.to_representation(self, case))

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
    union_votes = UnionVoteSerializer(source="union_votes.all", many=True, help_text="Votes of the workers.")
    reinstatements = ReinstatementSerializer(
        source="reinstatements.all", many=True, help_text="Dismissed workers reinstated."
    )
    payments = PaymentSerializer(source="payments.all", many=True, help_text="Money paid to workers.")
    worker_counts = WorkerCountSerializer(
        source="worker_counts.all", many=True, help_text="Numbers of workers the sources give."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_claim_categories(self, case: Case) -> list[str]:
        return sorted(
            {claim.category for petition in case.petitions.all() for claim in petition.claims.all()}
        )

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_mexico_review(self, case: Case) -> dict[str, Any] | None:
        review = getattr(case, "mexico_review", None)
        return None if review is None else ReviewSerializer(review).data


# A facility or company row, which counts the cases that name it: it is a repeat when more than one does.
# (No docstring: the OpenAPI schema describes the row with SearchedRows's.)
class NamedInCases(SearchedRows):
    def get_repeat(self, row: Any) -> bool:
        return bool(row.case_count > 1)


def repeat_field() -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(help_text="More than one case.")


def updated_field(noun: str) -> serializers.DateTimeField:
    return serializers.DateTimeField(help_text=f"When the {noun} row last changed.")


class FacilitySerializer(NamedInCases, FacilitySummarySerializer):
    company = CompanySummarySerializer(source="operator", help_text="Company operating the facility.")
    sector_reported = serializers.CharField(help_text="Sector exactly as the source reports it.")
    headcount = serializers.IntegerField(allow_null=True, help_text="Approximate number of workers.")
    case_count = serializers.IntegerField(help_text="Cases about the facility.")
    repeat = repeat_field()
    updated_at = updated_field("facility")
    snippet = snippet_field()


class CompanySerializer(NamedInCases, CompanySummarySerializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 country of the headquarters, if known.")
    parent_id = serializers.IntegerField(allow_null=True, help_text="Parent company id.")
    case_count = serializers.IntegerField(help_text="Cases about its facilities.")
    facility_count = serializers.IntegerField(help_text="Its facilities named in a case.")
    repeat = repeat_field()
    updated_at = updated_field("company")
    snippet = snippet_field()
