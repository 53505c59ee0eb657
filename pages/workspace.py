"""The petitioner workspace: a petition in steps, its drafts, the case page of the organisation's cases,
and the subscriptions to notices. Signed-in members of an organisation only; every write goes through
the services the API calls (petitions.services, rrm.notifications.subscriptions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from pages import selectors
from pages.following import NOTICES, titled
from pages.workspace_forms import (
    ClaimForm,
    ContactForm,
    CoPetitionerForm,
    EvidenceForm,
    FactsForm,
    NewFacilityForm,
    StartForm,
    SubscriptionForm,
)
from petitions import services
from petitions.models import Evidence, Petition, Petitioner
from petitions.selectors import facilities_open_to, petitions_of_member
from petitions.uploads import UnacceptableUpload
from rrm import workflow
from rrm.choices import request_language
from rrm.errors import DomainError
from rrm.labels import event_kind_name
from rrm.models import Case, Organisation, Subscription
from rrm.notifications import subscriptions

# The steps of the petition form, in order, with their names in the step list.
STEP_LABELS = {
    "facility": _("Facility"),
    "claims": _("Claims"),
    "petitioners": _("Petitioners"),
    "evidence": _("Evidence"),
    "review": _("Review and file"),
}
STEPS = tuple(STEP_LABELS)
FACILITY_MATCHES = 20


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(members=_member(request))


def _draft(request: HttpRequest, petition_id: int) -> Petition:
    petition = petitions_of_member(_member(request)).filter(pk=petition_id).first()
    if petition is None:
        raise Http404(petition_id)
    if petition.status != Petition.Status.DRAFT:
        raise Http404(petition_id)
    return petition


def _step_page(request: HttpRequest, petition: Petition, step: str, **context: Any) -> HttpResponse:
    return titled(
        request,
        f"workspace/step_{step}",
        STEP_LABELS[step],
        petition=petition,
        step=step,
        steps=STEP_LABELS.items(),
        step_count=len(STEPS),
        position=STEPS.index(step) + 1,
        **context,
    )


def _next(petition: Petition, step: str) -> HttpResponse:
    return redirect("pages:petition-step", petition_id=petition.pk, step=step)


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    petitions = (
        petitions_of_member(_member(request)).select_related("case", "facility").order_by("-updated_at")
    )
    return titled(
        request,
        "workspace/home",
        _("Your petitions"),
        petitions=petitions,
        organisations=_organisations(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_start(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    initial = {"language": request_language()}
    form = StartForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        petition = services.create_draft(
            organisation=data["organisation"],
            user=request.user,
            values={"annex": data["annex"], "language": data["language"]},
        )
        return _next(petition, "facility")
    return titled(request, "workspace/start", _("Start a petition"), form=form)


@login_required
@require_http_methods(["GET", "POST"])
def petition_step(request: HttpRequest, petition_id: int, step: str) -> HttpResponse:
    if step not in STEP_VIEWS:
        raise Http404(step)
    return STEP_VIEWS[step](request, _draft(request, petition_id))


def _facility_step(request: HttpRequest, petition: Petition) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    facilities = facilities_open_to(_member(request))
    matches = list(facilities.filter(name__icontains=query)[:FACILITY_MATCHES]) if query else []
    new_form = NewFacilityForm(request.POST if "new_facility" in request.POST else None)
    if request.method == "POST" and "facility" in request.POST:
        chosen = facilities.filter(pk=request.POST["facility"]).first()
        if chosen is not None:
            services.update_draft(petition_id=petition.pk, values={"facility": chosen})
            return _next(petition, "claims")
    if request.method == "POST" and new_form.is_valid():
        services.update_draft(petition_id=petition.pk, values={"proposed_facility": new_form.cleaned_data})
        return _next(petition, "claims")
    return _step_page(request, petition, "facility", query=query, matches=matches, new_form=new_form)


def _claims_step(request: HttpRequest, petition: Petition) -> HttpResponse:
    facts = FactsForm(request.POST if "facts" in request.POST else None, instance=petition)
    claim = ClaimForm(request.POST if "claim" in request.POST else None)
    if request.method == "POST" and facts.is_valid():
        services.update_draft(petition_id=petition.pk, values=facts.cleaned_data)
        return _next(petition, "petitioners")
    if request.method == "POST" and claim.is_valid():
        services.add_claim(petition_id=petition.pk, values=claim.cleaned_data)
        return _next(petition, "claims")
    return _step_page(
        request, petition, "claims", facts=facts, claim_form=claim, claims=petition.claims.order_by("id")
    )


def _petitioners_step(request: HttpRequest, petition: Petition) -> HttpResponse:
    lead = petition.petitioners.get(role=Petitioner.Role.LEAD)
    initial = {"lead_identity_confidential": lead.identity_confidential}
    contact = ContactForm(
        request.POST if "contact" in request.POST else None, instance=petition, initial=initial
    )
    named = petition.petitioners.values("organisation")
    others = _organisations(request).exclude(pk__in=named)
    co = CoPetitionerForm(request.POST if "co" in request.POST else None, organisations=others)
    if request.method == "POST" and contact.is_valid():
        values = dict(contact.cleaned_data)
        confidential = values.pop("lead_identity_confidential")
        services.update_draft(petition_id=petition.pk, values=values, lead_identity_confidential=confidential)
        return _next(petition, "evidence")
    if request.method == "POST" and co.is_valid():
        services.add_petitioner(
            petition=petition,
            organisation=co.cleaned_data["organisation"],
            identity_confidential=co.cleaned_data["identity_confidential"],
        )
        return _next(petition, "petitioners")
    petitioners = petition.petitioners.select_related("organisation").order_by("id")
    return _step_page(
        request, petition, "petitioners", contact=contact, co_form=co, petitioners=petitioners, others=others
    )


def _evidence_step(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = EvidenceForm(request.POST or None, request.FILES or None, initial={"language": petition.language})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_evidence(
                petition=petition,
                upload=data["file"],
                title=data["title"],
                language=data["language"],
                confidential=data["confidential"],
                user=request.user,
            )
        except UnacceptableUpload as refusal:
            form.add_error("file", str(refusal))
        else:
            return _next(petition, "evidence")
    evidence = petition.evidence.order_by("created_at")
    return _step_page(request, petition, "evidence", form=form, evidence=evidence)


def _review_step(request: HttpRequest, petition: Petition) -> HttpResponse:
    return _step_page(
        request,
        petition,
        "review",
        problems=services.submission_problems(petition),
        claims=petition.claims.order_by("id"),
        petitioners=petition.petitioners.select_related("organisation").order_by("id"),
        evidence=petition.evidence.order_by("created_at"),
    )


STEP_VIEWS: dict[str, Callable[[HttpRequest, Petition], HttpResponse]] = {
    "facility": _facility_step,
    "claims": _claims_step,
    "petitioners": _petitioners_step,
    "evidence": _evidence_step,
    "review": _review_step,
}
assert tuple(STEP_VIEWS) == STEPS


@login_required
@require_POST
def petition_file(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _draft(request, petition_id)
    try:
        filed = services.submit_petition(petition_id=petition.pk, user=request.user)
    except ValidationError:
        return _next(petition, "review")
    assert filed.case is not None
    return redirect("pages:workspace-case", case_id=filed.case.case_id)


@login_required
@require_POST
def petition_discard(request: HttpRequest, petition_id: int) -> HttpResponse:
    services.discard_draft(petition_id=_draft(request, petition_id).pk)
    return redirect("pages:workspace")


def _member_case(request: HttpRequest, case_id: str) -> Case:
    filed = petitions_of_member(_member(request)).filter(case__case_id=case_id)
    case = Case.objects.filter(case_id=case_id, petitions__in=filed).distinct().first()
    if case is None:
        raise Http404(case_id)
    return case


@login_required
def workspace_case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _member_case(request, case_id)
    own = petitions_of_member(_member(request)).filter(case=case)
    context = {
        "page": selectors.case_page(case_id=case.case_id),
        "evidence": Evidence.objects.filter(petition__in=own).order_by("created_at"),
        "next_events": [
            event_kind_name(workflow.TRANSITIONS[action].event) for action in workflow.allowed_actions(case)
        ],
    }
    return render(request, "pages/workspace/case.html", context)


def _subscription_form(request: HttpRequest, data: Any = None) -> SubscriptionForm:
    cases = Case.objects.filter(petitions__in=petitions_of_member(_member(request))).distinct()
    return SubscriptionForm(data, cases=cases, organisations=_organisations(request))


@login_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    form = _subscription_form(request, request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        covering = {
            Subscription.Scope.CASE: data["case"],
            Subscription.Scope.ORGANISATION: data["organisation"],
        }
        try:
            subscriptions.subscribe_member(
                user=_member(request), language=request_language(), covering=covering.get(data["scope"])
            )
        except DomainError as refusal:
            problem = str(refusal)
        else:
            return redirect("pages:notices")
    own = Subscription.objects.filter(user=_member(request)).select_related("case", "organisation")
    return titled(
        request,
        "workspace/notices",
        NOTICES,
        form=form,
        subscriptions=own.order_by("created_at"),
        problem=problem,
    )


@login_required
@require_POST
def notice_remove(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscriptions.unsubscribe_member(user=_member(request), subscription_id=subscription_id)
    return redirect("pages:notices")
