"""The staff case page's forms. Each validates what it is given, then records it through the service the
API's endpoint for the same write calls; a refusal by the service is shown on the form, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pages.steps import NEEDS_REMEDY_KIND, StepInput, record_step
from remediation import services as remediation_services
from remediation.models import RemediationAction, RemediationPlan, Remedy
from rrm import labels, workflow
from rrm.choices import EventKind, Stage
from rrm.errors import InvalidDate, InvalidTransition
from rrm.models import Case, Deadline

# The statuses staff may set by hand; 'verified' comes only with a verification (as in the API).
ACTION_PROGRESS = [
    choice for choice in RemediationAction.Status.choices if choice[0] != RemediationAction.Status.VERIFIED
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def text_field(label: Any, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


def step_label(action: str) -> str:
    """A step named by the transition table: the event it records and the stage it leads to."""
    step = workflow.TRANSITIONS[action]
    return gettext("%(event)s (to: %(stage)s)") % {
        "event": EventKind(step.event).label,
        "stage": Stage(step.target).label,
    }


class StaffForm(forms.Form):
    """A form of the case page: `save` records it and returns the sentence that confirms it; a date the
    service refuses is shown on the field `dated_by`."""

    dated_by: ClassVar[str] = "on"

    def save(self, *, user: User | AnonymousUser) -> str:
        raise NotImplementedError

    def refuse(self, error: Exception) -> None:
        """Show a service's refusal: per field where it names fields, a date on the form's date, the rest
        on the form."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return
        on_date = self.dated_by if isinstance(error, InvalidDate) and self.dated_by in self.fields else None
        self.add_error(on_date, error.messages if isinstance(error, ValidationError) else [str(error)])


class StepForm(StaffForm):
    """A workflow step: only the steps the transition table allows from the case's stage are offered.
    Valid, it carries the preview of what the step would do to the case's clocks."""

    action = forms.ChoiceField(label=_("Step"), widget=forms.RadioSelect)
    on = date_field(_("Date of the step"))
    description = text_field(_("What the source says (public)"))
    source_url = forms.URLField(label=_("Source address"), required=False, assume_scheme="https")
    remedy_kind = forms.ChoiceField(
        label=_("Kind of remedy (for a remedy only)"),
        required=False,
        choices=[("", "—"), *Remedy.Kind.choices],
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.preview: workflow.StepPreview | None = None
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(name, step_label(name)) for name in workflow.allowed_actions(case)]

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        action, on = values.get("action"), values.get("on")
        if action == NEEDS_REMEDY_KIND and not values.get("remedy_kind"):
            self.add_error("remedy_kind", gettext("Give the kind of remedy."))
        if action and on:
            try:
                self.preview = workflow.preview_transition(case_id=self.case.case_id, action=action, on=on)
            except InvalidDate as error:
                self.add_error("on", str(error))
            except InvalidTransition as error:
                self.add_error("action", str(error))
        return values

    def save(self, *, user: User | AnonymousUser) -> str:
        values = self.cleaned_data
        record_step(
            StepInput(
                case_id=self.case.case_id,
                action=values["action"],
                on=values["on"],
                description=values["description"],
                source_url=values["source_url"],
                remedy_kind=values["remedy_kind"],
                user=user,
            )
        )
        recorded = {"step": step_label(values["action"]), "on": values["on"]}
        return gettext("Recorded: %(step)s on %(on)s.") % recorded


class ExtensionForm(StaffForm):
    """An extension agreed by the Parties, of one open clock (rrm.workflow.extend_deadline)."""

    deadline_id = forms.TypedChoiceField(label=_("Clock"), coerce=int)
    days = forms.IntegerField(label=_("Days added"), min_value=1, max_value=366)
    on = date_field(_("Agreed on"))
    reason = text_field(_("Reason (public)"), required=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deadline = self.fields["deadline_id"]
        assert isinstance(deadline, forms.ChoiceField)
        open_clocks = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).select_related("rule")
        deadline.choices = [(clock.pk, _clock_choice(clock)) for clock in open_clocks]

    def save(self, *, user: User | AnonymousUser) -> str:
        deadline = workflow.extend_deadline(user=user, **self.cleaned_data)
        return gettext("Extended: now due %(due)s.") % {"due": deadline.due_date}


def _clock_choice(clock: Deadline) -> str:
    name = labels.rule_name(code=clock.rule.code, stored_name=clock.rule.name)
    return gettext("%(clock)s, due %(due)s") % {"clock": name, "due": date_format(clock.due_date)}


class SuspensionForm(StaffForm):
    """A suspension of every open clock of the case (rrm.workflow.suspend_clocks)."""

    start = date_field(_("Suspended from"))
    end = date_field(_("Suspended to (inclusive)"))
    reason = text_field(_("Reason (public)"), required=True)
    dated_by = "start"

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def save(self, *, user: User | AnonymousUser) -> str:
        moved = workflow.suspend_clocks(case_id=self.case.case_id, user=user, **self.cleaned_data)
        return gettext("Suspended: %(count)s open clocks moved.") % {"count": len(moved)}


class RecordForm(StaffForm):
    """A form about one record (a plan, an action): `service` is called with the record's id under
    `record_id` and the form's values, as the API calls it; `prefilled`, the form starts from the record."""

    service: ClassVar[Callable[..., object]]
    record_id: ClassVar[str]
    done: ClassVar[Promise]
    prefilled: ClassVar[bool] = True

    def __init__(self, *args: Any, record: RemediationPlan | RemediationAction, **kwargs: Any) -> None:
        if self.prefilled:
            kwargs["initial"] = {name: getattr(record, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.record = record

    def save(self, *, user: User | AnonymousUser) -> str:
        type(self).service(**{self.record_id: self.record.pk}, values=self.cleaned_data)
        return str(self.done)


class PlanForm(RecordForm):
    """A plan's status, end and summary (as the API's PATCH of a plan)."""

    status = forms.ChoiceField(label=_("Status of the plan"), choices=RemediationPlan.Status.choices)
    ends_on = date_field(_("Remediation period ends"), required=False)
    summary = text_field(_("Commitments (public)"))
    service = staticmethod(remediation_services.update_plan)
    record_id = "plan_id"
    done = _("Plan updated.")


class NewActionForm(RecordForm):
    """An action added to a plan (as the API adds one)."""

    kind = forms.ChoiceField(label=_("Action"), choices=RemediationAction.Kind.choices)
    description = text_field(_("Details (public)"))
    due_on = date_field(_("Due on"), required=False)
    service = staticmethod(remediation_services.add_action)
    record_id = "plan_id"
    done = _("Action added.")
    prefilled = False


class ActionProgressForm(RecordForm):
    """An action's progress (as the API's PATCH of an action)."""

    status = forms.ChoiceField(label=_("Progress"), choices=ACTION_PROGRESS)
    completed_on = date_field(_("Done on"), required=False)
    service = staticmethod(remediation_services.update_action)
    record_id = "action_id"
    done = _("Progress recorded.")


class VerificationForm(StaffForm):
    """The verification of an action marked done (remediation.services.verify_action)."""

    verified_on = date_field(_("Verified on"))
    verified_by = forms.CharField(label=_("Verified by"), max_length=255)
    notes = text_field(_("What the verification found (public)"))
    dated_by = "verified_on"

    def __init__(self, *args: Any, record: RemediationAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def save(self, *, user: User | AnonymousUser) -> str:
        remediation_services.verify_action(action_id=self.record.pk, **self.cleaned_data)
        return gettext("Action verified.")
