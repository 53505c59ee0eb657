"""The filters every public list (and the statistics) shares, on the case or through `case__`.

Several values of one filter are given comma-separated (`state=GUA,COA`); an unknown value, or an id
the database's column cannot hold, is a 400 naming the filter and the value.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, TextChoices
from django_filters.utils import get_model_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView

from public.selectors import PETITIONER_TYPE_CHOICES, case_year, petitioner_type
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm.choices import STATES_OF_COUNTRY, Annex, Country, Initiation, Outcome, Sector, Stage
from rrm.models import Case, CaseFacility, Company, Deadline, DeadlineStatus, Facility, TimelineEvent

FIRST_YEAR, LAST_YEAR = 2020, 2100
# Flat, not grouped by country: a refused value's answer lists the codes, not the countries.
STATE_CHOICES = [choice for states in STATES_OF_COUNTRY.values() for choice in states.choices]


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def column_range(model: type[Model], field_name: str) -> tuple[int, int]:
    """The smallest and largest value the database stores in the integer column `field_name` names on
    `model` (for a foreign key, in the column it points to)."""
    column = get_model_field(model, field_name)
    compared = getattr(column, "target_field", column)
    low, high = connection.ops.integer_field_range(compared.get_internal_type())
    return int(low), int(high)


# Declared for the schema: a filter with a `method` gives drf-spectacular no model field to infer it from.
@extend_schema_field(OpenApiTypes.INT)
class IntegerInFilter(django_filters.BaseInFilter, django_filters.Filter):
    """Comma-separated whole numbers, each within the range of the integer column it is compared with:
    a number the database cannot hold (an id past 2**63) is a 400 naming the filter, never a database
    error."""

    field_class = forms.IntegerField

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            self.extra["min_value"], self.extra["max_value"] = column_range(self.model, self.field_name)
        return super().field


def _through(prefix: str, name: str) -> str:
    return f"{prefix}{name}"


def case_filters(prefix: str) -> dict[str, django_filters.Filter]:
    """The case filters, reaching the case through `prefix` ('' on Case, 'case__' elsewhere)."""

    def by_year(queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.alias(public_year=case_year(prefix)).filter(public_year=value)

    def by_petitioner_type(queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.alias(public_petitioner_type=petitioner_type(prefix)).filter(
            public_petitioner_type__in=value
        )

    def by_update(queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(case_changed_since(prefix, value))

    def choice(path: str, vocabulary: type[TextChoices], label: str) -> ChoiceInFilter:
        return ChoiceInFilter(field_name=_through(prefix, path), choices=vocabulary.choices, label=label)

    def any_facility(path: str) -> Any:
        """A filter on the case's facilities: the case matches when any of them does."""

        def by_facilities(queryset: QuerySet, name: str, value: list[Any]) -> QuerySet:
            links = CaseFacility.objects.filter(case=OuterRef(f"{prefix}pk"), **{f"{path}__in": value})
            return queryset.filter(Exists(links))

        return by_facilities

    return {
        "updated_since": django_filters.IsoDateTimeFilter(
            method=by_update,
            label="Only cases whose public record changed at or after this ISO 8601 time (incremental sync).",
        ),
        "year": YearFilter(
            method=by_year,
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            label="Year of the petition's receipt, or of the request for review for a case without one.",
        ),
        "annex": choice("annex", Annex, "Annex."),
        "sector": ChoiceInFilter(
            method=any_facility("facility__sector"),
            choices=Sector.choices,
            label="Priority Sector of any of the case's facilities.",
        ),
        "state": ChoiceInFilter(
            method=any_facility("facility__state"),
            choices=STATE_CHOICES,
            label="State, province or federal entity of any of the case's facilities (ISO 3166-2 code "
            "after the country's, e.g. GUA).",
        ),
        "company": IntegerInFilter(
            field_name=_through(prefix, "facility__operator_id"),
            method=any_facility("facility__operator_id"),
            label="Id of the company operating any of the case's facilities.",
        ),
        "facility": IntegerInFilter(
            field_name=_through(prefix, "facility_id"),
            method=any_facility("facility_id"),
            label="Id of any of the case's facilities.",
        ),
        "petitioner_type": ChoiceInFilter(
            method=by_petitioner_type, choices=PETITIONER_TYPE_CHOICES, label="Type of the lead petitioner."
        ),
        "initiation": choice("initiation", Initiation, "Petition or self-initiated."),
        "stage": choice("stage", Stage, "Workflow stage."),
        "outcome": choice("outcome", Outcome, "Outcome code; open = no outcome found in public sources."),
        "case": django_filters.CharFilter(
            field_name=_through(prefix, "case_id"), label="Case identifier (slug)."
        ),
    }


def case_changed_since(prefix: str, moment: Any) -> Q:
    """The case row, any of its facilities, or any public record of the case changed at or after
    `moment`."""
    case = OuterRef(f"{prefix}pk")
    related = [
        TimelineEvent.objects.filter(case=case, recorded_at__gte=moment),
        Deadline.objects.filter(case=case, updated_at__gte=moment),
        MexicoReview.objects.filter(case=case, updated_at__gte=moment),
        RemediationPlan.objects.filter(case=case, updated_at__gte=moment),
        RemediationAction.objects.filter(plan__case=case, updated_at__gte=moment),
        Panel.objects.filter(case=case, updated_at__gte=moment),
        Remedy.objects.filter(case=case, updated_at__gte=moment),
    ]
    condition = Q(**{f"{prefix}updated_at__gte": moment}) | Q(
        Exists(CaseFacility.objects.filter(case=case, facility__updated_at__gte=moment))
    )
    for rows in related:
        condition |= Q(Exists(rows))
    return condition


def filterset_for(
    model: type[Model], prefix: str, **extra: django_filters.Filter
) -> type[django_filters.FilterSet]:
    meta = type("Meta", (), {"model": model, "fields": []})
    attributes: dict[str, Any] = {**case_filters(prefix), **extra, "Meta": meta}
    return type(f"Public{model.__name__}Filter", (django_filters.FilterSet,), attributes)


CaseFilter = filterset_for(Case, "")
EventFilter = filterset_for(
    TimelineEvent,
    "case__",
    kind=ChoiceInFilter(
        field_name="kind", choices=TimelineEvent._meta.get_field("kind").choices, label="Event kind."
    ),
    since=django_filters.IsoDateTimeFilter(
        field_name="recorded_at", lookup_expr="gte", label="Recorded at or after."
    ),
)
DeadlineFilter = filterset_for(
    Deadline,
    "case__",
    rule=django_filters.CharFilter(field_name="rule__code", label="Rule code, e.g. ilc_screening."),
    status=ChoiceInFilter(field_name="status", choices=DeadlineStatus.choices, label="Deadline status."),
)
PlanFilter = filterset_for(RemediationPlan, "case__")


class StrictOrderingFilter(OrderingFilter):
    """Ordering by the view's `ordering_fields` only, with a 400 for anything else, and always a
    unique last key so that pages never overlap."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> list[str]:
        requested = request.query_params.get(self.ordering_param)
        if not requested:
            return list(view.ordering)  # type: ignore[attr-defined]
        fields = [part.strip() for part in requested.split(",") if part.strip()]
        allowed = set(view.ordering_fields)  # type: ignore[attr-defined]
        unknown = [field for field in fields if field.lstrip("-") not in allowed]
        if unknown:
            raise ValidationError(
                {
                    "ordering": [
                        f"Cannot order by {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}."
                    ]
                }
            )
        return [*fields, "pk"]


DeadlineCaseFilter = filterset_for(Deadline, "case__")


def listed_rows_filterset(
    model: type[Model], noun: str, **extra: django_filters.Filter
) -> type[django_filters.FilterSet]:
    """The filters of the facility or company list: part of the name, `extra`, a change since a
    moment, more than one case (the list's case_count)."""

    def by_repeat(queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(case_count__gt=1) if value else queryset.filter(case_count__lte=1)

    meta = type("Meta", (), {"model": model, "fields": []})
    attributes: dict[str, Any] = {
        "name": django_filters.CharFilter(lookup_expr="icontains", label=f"Part of the {noun}'s name."),
        **extra,
        "updated_since": django_filters.IsoDateTimeFilter(
            field_name="updated_at", lookup_expr="gte", label=f"{noun.capitalize()} row changed at or after."
        ),
        "repeat": django_filters.BooleanFilter(method=by_repeat, label="true: more than one case."),
        "Meta": meta,
    }
    return type(f"Public{model.__name__}Filter", (django_filters.FilterSet,), attributes)


FacilityFilter = listed_rows_filterset(
    Facility,
    "facility",
    country=ChoiceInFilter(field_name="country", choices=Country.choices, label="Country: US, CA or MX."),
    state=ChoiceInFilter(field_name="state", choices=STATE_CHOICES, label="State, province or entity code."),
    sector=ChoiceInFilter(field_name="sector", choices=Sector.choices, label="Priority Sector."),
    company=IntegerInFilter(field_name="operator_id", label="Company id."),
)
CompanyFilter = listed_rows_filterset(Company, "company")


class ChangelogForm(forms.Form):
    updated_since = forms.DateTimeField(required=False)
    case = forms.SlugField(required=False, max_length=100)
