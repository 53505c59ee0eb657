"""Forms of the petitioner workspace; each step's values go to the same services as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from pages.forms import state_choices
from petitions.models import Claim, Petition
from rrm.choices import Annex, Language
from rrm.models import Case, Organisation, Subscription


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation filing"), empty_label=None
    )
    annex = forms.ChoiceField(choices=Annex.choices, label=_("Mechanism"))
    language = forms.ChoiceField(choices=Language.choices, label=_("Language of the petition"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class NewFacilityForm(forms.Form):
    name = forms.CharField(max_length=255, label=_("Facility name"))
    operator = forms.CharField(max_length=255, label=_("Company that operates it"))
    city = forms.CharField(max_length=255, required=False, label=_("City"))
    state = forms.ChoiceField(choices=state_choices, label=_("State"))


def labelled_form(model: type[Model], labels: dict[str, Any]) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    """A form of the model's fields named in `labels`, each with its label."""
    return forms.modelform_factory(model, fields=list(labels), labels=labels)


FactsForm = labelled_form(
    Petition,
    {
        "narrative": _("The specific facts of the alleged denial of rights"),
        "facility_description": _("What the facility makes, and its trade with the other country"),
        "laws_cited": _("Mexican laws not complied with (recommended)"),
        "domestic_proceedings": _("Relief sought in Mexico and its status (optional)"),
    },
)
ClaimForm = labelled_form(
    Claim,
    {
        "category": _("Denial of rights alleged"),
        "description": _("Facts of this claim"),
        "began_on": _("When it began (YYYY-MM-DD)"),
        "confidential": _("Keep this claim from the public"),
    },
)
ContactFields = labelled_form(
    Petition,
    {
        "anonymous": _("File anonymously"),
        "contact_name": _("Contact person"),
        "contact_email": _("Contact e-mail"),
        "contact_phone": _("Contact telephone"),
        "contact_address": _("Postal address"),
    },
)


class ContactForm(ContactFields):  # type: ignore[misc,valid-type]
    lead_identity_confidential = forms.BooleanField(
        required=False, label=_("Keep the lead organisation's name from the public")
    )


class CoPetitionerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Co-petitioner (an organisation you belong to)")
    )
    identity_confidential = forms.BooleanField(required=False, label=_("Keep its name from the public"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, image, text, DOCX or ODT)"))
    title = forms.CharField(max_length=255, label=_("What the document is"))
    language = forms.ChoiceField(choices=Language.choices, label=_("Language of the document"))
    confidential = forms.BooleanField(required=False, initial=True, label=_("Keep it from the public"))


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))


class SubscriptionForm(forms.Form):
    scope = forms.ChoiceField(choices=Subscription.Scope.choices, label=_("Send me notices of"))
    case = forms.ModelChoiceField(queryset=Case.objects.none(), required=False, label=_("Case"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Organisation")
    )

    def __init__(
        self, *args: Any, cases: QuerySet[Case], organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == Subscription.Scope.CASE and not data.get("case"):
            self.add_error("case", _("Choose the case."))
        if scope == Subscription.Scope.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation."))
        return data
