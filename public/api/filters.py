"""The filters every public list (and the statistics and the feeds) shares, on the case or through
`case__`, and the 400 answers that name what a parameter takes.

Several values of one filter are given comma-separated (`state=GUA,COA`), repeated
(`state=GUA&state=COA`), or both; every date column of a list's table has an inclusive range
(`due_date_after`, `due_date_before`). A parameter no filter knows, an unknown value, or an id the
database's column cannot hold, is a 400 naming the parameter and the valid values or format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, TextChoices
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django_filters.fields import BaseCSVField
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from django_filters.widgets import BaseCSVWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView

from public import columns, search
from public.api.search_filter import SearchWordsField, search_filter
from public.columns import Kind, Table
from public.selectors import PETITIONER_TYPE_CHOICES, case_year, petitioner_type
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm.choices import STATES_OF_COUNTRY, Annex, Country, DeadlineStatus, Initiation, Outcome, Sector, Stage
from rrm.mapping import map_state
from rrm.models import Case, CaseFacility, Company, Deadline, Facility, TimelineEvent

FIRST_YEAR, LAST_YEAR = 2020, 2100
# Flat, not grouped by country: a refused value's answer lists the codes, not the countries.
STATE_CHOICES = [choice for states in STATES_OF_COUNTRY.values() for choice in states.choices]
CODES_OF_STATES = frozenset(str(code) for code, _label in STATE_CHOICES)


class RepeatedCSVWidget(BaseCSVWidget):
    """The values of a parameter given comma-separated, repeated, or both (`year=2023,2024`,
    `year=2023&year=2024`); blank parts are dropped."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[str] | None:
        if name not in data:
            return None
        given = data.getlist(name) if isinstance(data, MultiValueDict) else [data[name]]
        return [part.strip() for value in given for part in str(value).split(",") if part.strip()]


class RepeatedCSVField(BaseCSVField):
    base_widget_class = RepeatedCSVWidget


class ManyValuesFilter(django_filters.BaseInFilter):
    """Rows whose value is any of the values given."""

    base_field_class = RepeatedCSVField


class ChoiceInFilter(ManyValuesFilter, django_filters.ChoiceFilter):
    pass


class StateField(forms.ChoiceField):
    """A state, province or federal entity by its code (GUA) or its name, compared as the importer
    compares the names of its sources (accents, case, dots and hyphens folded: 'nuevo leon')."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text.upper() in CODES_OF_STATES:
            return text.upper()
        named = (map_state(text, country=country) for country in STATES_OF_COUNTRY)
        return next((code for code in named if code is not None), text)


class StateInFilter(ChoiceInFilter):
    field_class = StateField


class StrictBooleanField(forms.NullBooleanField):
    """true or false (also 1 or 0); anything else is refused rather than read as 'any'."""

    WORDS = {"true": True, "1": True, "false": False, "0": False}
    # The value as written: the select's widget reads an unknown value as 'any'.
    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: not given
        if value in self.empty_values:
            return None
        if str(value).lower() not in self.WORDS:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.WORDS[str(value).lower()]


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class YearFilter(ManyValuesFilter, django_filters.NumberFilter):
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
class IntegerInFilter(ManyValuesFilter, django_filters.Filter):
    """Comma-separated whole numbers, each within the range of the integer column it is compared with:
    a number the database cannot hold (an id past 2**63) is a 400 naming the filter, never a database
    error."""

    field_class = forms.IntegerField

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            self.extra["min_value"], self.extra["max_value"] = column_range(self.model, self.field_name)
        return super().field


class CompanyField(forms.CharField):
    """A company by its slug (`manufacturas-vu`) or its id: the id of the company."""

    def __init__(self, *args: Any, id_field: forms.IntegerField, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.id_field = id_field

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        if text.isdigit():
            return int(self.id_field.clean(text))
        found = Company.objects.filter(slug=text).values_list("pk", flat=True).first()
        if found is None:
            raise forms.ValidationError(
                _("No company has the slug %(slug)s.") % {"slug": text}, code="invalid_choice"
            )
        return int(found)


@extend_schema_field(OpenApiTypes.STR)
class CompanyInFilter(ManyValuesFilter, django_filters.Filter):
    """Companies by slug or id, comma-separated or repeated; an unknown slug is a 400."""

    field_class = CompanyField

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            low, high = column_range(self.model, self.field_name)
            self.extra["id_field"] = forms.IntegerField(min_value=low, max_value=high)
        return super().field


def _through(prefix: str, name: str) -> str:
    return f"{prefix}{name}"


def date_ranges(table: Table, prefix: str = "") -> dict[str, django_filters.Filter]:
    """`<column>_after` and `<column>_before` (both inclusive) for every date column of `table`."""
    ranges: dict[str, django_filters.Filter] = {}
    for column in table.columns:
        if column.kind is Kind.DATE:
            path = _through(prefix, column.path)
            ranges[f"{column.name}_after"] = django_filters.DateFilter(
                field_name=path, lookup_expr="gte", label=f"{column.description} On or after (ISO date)."
            )
            ranges[f"{column.name}_before"] = django_filters.DateFilter(
                field_name=path, lookup_expr="lte", label=f"{column.description} On or before (ISO date)."
            )
    return ranges


def case_filters(prefix: str) -> dict[str, django_filters.Filter]:
    """The case filters, reaching the case through `prefix` ('' on Case, 'case__' elsewhere)."""

    def by_year(queryset: QuerySet, name: str, value: list[int]) -> QuerySet:
        return queryset.alias(public_year=case_year(prefix)).filter(public_year__in=value)

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
        **date_ranges(columns.CASES, prefix),
        "annex": choice("annex", Annex, "Annex."),
        "sector": ChoiceInFilter(
            method=any_facility("facility__sector"),
            choices=Sector.choices,
            label="Priority Sector of any of the case's facilities.",
        ),
        "state": StateInFilter(
            method=any_facility("facility__state"),
            choices=STATE_CHOICES,
            label="State, province or federal entity of any of the case's facilities: its ISO 3166-2 code "
            "after the country's (GUA) or its name (Guanajuato; accents and case do not matter).",
        ),
        "company": CompanyInFilter(
            field_name=_through(prefix, "facility__operator_id"),
            method=any_facility("facility__operator_id"),
            label="Slug (or id) of the company operating any of the case's facilities.",
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
    model: type[Model], prefix: str, table: Table | None = None, **extra: django_filters.Filter
) -> type[django_filters.FilterSet]:
    """The case filters reached through `prefix`, the date ranges of `table` (the list's own), and
    `extra`."""
    meta = type("Meta", (), {"model": model, "fields": []})
    own = {} if table is None or table is columns.CASES else date_ranges(table)
    attributes: dict[str, Any] = {**case_filters(prefix), **own, **extra, "Meta": meta}
    return type(f"Public{model.__name__}Filter", (django_filters.FilterSet,), attributes)


CaseFilter = filterset_for(Case, "")
# The case list's filters: those of the statistics, and words to search for.
CaseListFilter = filterset_for(Case, "", q=search_filter(Case))
EventFilter = filterset_for(
    TimelineEvent,
    "case__",
    columns.EVENTS,
    q=search_filter(TimelineEvent),
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
    columns.DEADLINES,
    rule=django_filters.CharFilter(field_name="rule__code", label="Rule code, e.g. ilc_screening."),
    status=ChoiceInFilter(field_name="status", choices=DeadlineStatus.choices, label="Deadline status."),
)
PlanFilter = filterset_for(RemediationPlan, "case__", columns.REMEDIATION_PLANS)


class StrictOrderingFilter(OrderingFilter):
    """Ordering by the view's `ordering_fields` only, with a 400 for anything else, and always a
    unique last key so that pages never overlap."""

    def parameters(self, view: APIView) -> list[str]:
        return [self.ordering_param]

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

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        # A search without an ordering asked for lists the best matches first.
        if search.RANK in queryset.query.annotations and not request.query_params.get(self.ordering_param):
            return queryset.order_by(f"-{search.RANK}", *view.ordering)  # type: ignore[attr-defined]
        return super().filter_queryset(request, queryset, view)


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
        "repeat": StrictBooleanFilter(method=by_repeat, label="true: more than one case."),
        "q": search_filter(model),
        "Meta": meta,
    }
    return type(f"Public{model.__name__}Filter", (django_filters.FilterSet,), attributes)


FacilityFilter = listed_rows_filterset(
    Facility,
    "facility",
    country=ChoiceInFilter(field_name="country", choices=Country.choices, label="Country: US, CA or MX."),
    state=StateInFilter(
        field_name="state", choices=STATE_CHOICES, label="State, province or entity: code or name."
    ),
    sector=ChoiceInFilter(field_name="sector", choices=Sector.choices, label="Priority Sector."),
    company=CompanyInFilter(field_name="operator_id", label="Company slug (or id)."),
)
CompanyFilter = listed_rows_filterset(Company, "company")


class ChangelogForm(forms.Form):
    updated_since = forms.DateTimeField(required=False)
    case = forms.SlugField(required=False, max_length=100)


# --------------------------------------------------------------------------------------------------
# The 400 answers: a parameter no filter knows, or a value its filter refuses, named with what it takes.


def valid_values(codes: Iterable[Any]) -> str:
    return _("Valid values: %(values)s.") % {"values": ", ".join(str(code) for code in codes)}


def takes(field: forms.Field) -> str:
    """What a filter's field takes, in words."""
    if isinstance(field, forms.ChoiceField):
        choices = cast(Iterable[tuple[Any, Any]], field.choices)
        return valid_values(code for code, _label in choices if code != "")
    if isinstance(field, SearchWordsField):
        return SearchWordsField.takes()
    if isinstance(field, CompanyField):
        return _("Valid values: company slugs (the slug of each row of /api/v1/public/companies/) or ids.")
    if isinstance(field, forms.DateTimeField):
        return _("Format: an ISO 8601 date and time, e.g. 2024-03-01T00:00:00Z.")
    if isinstance(field, forms.DateField):
        return _("Format: an ISO 8601 date, YYYY-MM-DD.")
    if isinstance(field, forms.IntegerField):
        return _("Format: whole numbers, comma-separated or repeated.")
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return valid_values(["true", "false"])
    return _("Format: text.")


def explained(form: forms.Form) -> dict[str, list[str]]:
    """The form's errors by parameter, each followed by what the parameter takes."""
    return {
        name: [
            *(str(error) for error in errors),
            *([takes(form.fields[name])] if name in form.fields else []),
        ]
        for name, errors in form.errors.items()
    }


def refuse_unknown(query: Iterable[str], known: Iterable[str]) -> None:
    """A 400 naming each parameter of `query` that is not one of `known`, and the valid ones."""
    valid = sorted(set(known))
    unknown = sorted(set(query) - set(valid))
    if unknown:
        message = _("Unknown parameter. Valid parameters: %(names)s.") % {"names": ", ".join(valid)}
        raise ValidationError({name: [message] for name in unknown})


def filtered(
    filterset_class: type[django_filters.FilterSet],
    query: MultiValueDict,
    queryset: QuerySet,
    *,
    also: Iterable[str] = (),
) -> QuerySet:
    """`queryset` filtered by `query`, whose every parameter is a filter of `filterset_class` or one
    of `also`."""
    refuse_unknown(query, [*filterset_class.base_filters, *also])
    filterset = filterset_class(query, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(explained(filterset.form))
    return filterset.qs


def cleaned(
    form_class: type[forms.Form], query: MultiValueDict, *, also: Iterable[str] = ()
) -> dict[str, Any]:
    """The values of `query` as `form_class` cleans them, every parameter being one of its fields or
    of `also`."""
    refuse_unknown(query, [*form_class.base_fields, *also])
    form = form_class(query)
    if not form.is_valid():
        raise ValidationError(explained(form))
    return form.cleaned_data


def parameters_of(backend: Any, view: APIView) -> list[str]:
    """The query parameters a filter backend reads (those of this module say; others read none)."""
    read = getattr(backend, "parameters", None)
    return [] if read is None else list(read(view))


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend whose 400 names what each refused parameter takes."""

    def parameters(self, view: APIView) -> list[str]:
        filterset_class = getattr(view, "filterset_class", None)
        return [] if filterset_class is None else list(filterset_class.base_filters)

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        # Without a parameter of its own a FilterSet filters nothing; building its form is most of the
        # cost of an unfiltered page.
        if not set(request.query_params).intersection(self.parameters(view)):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(explained(filterset.form))
        return filterset.qs
