"""The case list's filters: the public API's filters as a GET form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from public import search
from public.api.filters import StateField
from public.selectors import PETITIONER_TYPE_CHOICES, PetitionerType, public_companies
from rrm.choices import Annex, OrganisationKind, Outcome, Sector, Stage
from rrm.labels import STATE_NAMES
from rrm.models import Case

ANY = [("", _("Any"))]

# Labels of the public API's petitioner types that are not organisation kinds.
PETITIONER_TYPE_LABELS = {
    PetitionerType.SELF_INITIATED: _("Self-initiated by the government"),
    PetitionerType.UNDISCLOSED: _("Anonymous or confidential petitioner"),
    PetitionerType.UNKNOWN: _("Not reported"),
}


class CompanyChoiceField(forms.ModelChoiceField):
    """A company by its slug (the options' values), or by its id as older links give it."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.isdigit() and self.queryset is not None:
            found = self.queryset.filter(pk=int(value)).first()
            if found is not None:
                return found
        return super().to_python(value)


def state_choices() -> list[tuple[str, Any]]:
    return sorted(STATE_NAMES.items(), key=lambda item: str(item[1]))


def _petitioner_type_choices() -> list[tuple[str, Any]]:
    """The public API's values; a kind of organisation is named by its translated label."""
    return [
        (value, PETITIONER_TYPE_LABELS.get(value) or OrganisationKind(value).label)
        for value, _label in PETITIONER_TYPE_CHOICES
    ]


class CaseFilterForm(forms.Form):
    """Every field is optional; a value that is not one of the choices is reported on its field."""

    year = forms.TypedChoiceField(
        label=_("Year the case began"), required=False, coerce=int, empty_value=None
    )
    annex = forms.ChoiceField(label=_("Annex"), required=False, choices=ANY + Annex.choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=ANY + Sector.choices)
    # By code or by name (state=Guanajuato), as the public API takes it.
    state = StateField(label=_("Mexican state"), required=False)
    company = CompanyChoiceField(
        label=_("Company"),
        required=False,
        queryset=public_companies().none(),
        empty_label=_("Any"),
        to_field_name="slug",
    )
    petitioner_type = forms.ChoiceField(label=_("Petitioner type"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=ANY + Stage.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=ANY + Outcome.choices)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = ANY + [(year, str(year)) for year in years]
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = ANY + state_choices()
        petitioner_field = self.fields["petitioner_type"]
        assert isinstance(petitioner_field, forms.ChoiceField)
        petitioner_field.choices = ANY + _petitioner_type_choices()
        company_field = self.fields["company"]
        assert isinstance(company_field, CompanyChoiceField)
        company_field.queryset = public_companies().order_by("name")

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        """The cases of `cases` (annotated with `year` and `petitioner_type`, as public_cases() is) that
        match every valid field; an invalid field filters nothing."""
        self.is_valid()
        values = self.cleaned_data
        for name, lookup in (
            ("year", "year"),
            ("annex", "annex"),
            ("sector", "facility__sector"),
            ("state", "facility__state"),
            ("stage", "stage"),
            ("outcome", "outcome"),
            ("petitioner_type", "petitioner_type"),
        ):
            if values.get(name) not in (None, ""):
                cases = cases.filter(**{lookup: values[name]})
        if values.get("company") is not None:
            cases = cases.filter(facility__operator=values["company"])
        return cases

    def is_filtered(self) -> bool:
        return self.is_valid() and any(value not in (None, "") for value in self.cleaned_data.values())


class ApiKeyRequestForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label=_("Your name or your organisation's"),
        help_text=_("A newsroom, a research group or a person: staff see it beside the key."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The confirmation link goes here; it is never published.")
    )


class SearchForm(forms.Form):
    """The search box of every page: words, as the public API's q= takes them."""

    q = forms.CharField(label=_("Search the record"), max_length=search.MAX_LENGTH, strip=True)
