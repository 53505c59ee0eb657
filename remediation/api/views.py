"""Endpoints of what follows a request for review: Mexico's review, remediation, panels, remedies.

Everyone who sees the case (its petitioners, staff) reads these records; case officers write them.
Each write that is a workflow step runs the step and the record together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.db.models import QuerySet
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from remediation import services
from remediation.api import examples, serializers
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm.api import bases
from rrm.api.access import visible_cases
from rrm.api.errors import dates_reported_on
from rrm.api.roles import AnyUser


def of_visible_cases(
    records: QuerySet[Any], *, case_path: str = "case"
) -> Callable[[AnyUser], QuerySet[Any]]:
    """The records whose case the user may see, for views reaching a record by its own id (else 404)."""

    def visible_to(user: AnyUser) -> QuerySet[Any]:
        return records.filter(**{f"{case_path}__in": visible_cases(user)})

    return visible_to


plans_visible_to = of_visible_cases(RemediationPlan.objects.select_related("case"))
actions_visible_to = of_visible_cases(RemediationAction.objects.all(), case_path="plan__case")
panels_visible_to = of_visible_cases(Panel.objects.prefetch_related("verifications"))
remedies_visible_to = of_visible_cases(Remedy.objects.select_related("case"))

PLAN = bases.record_route("remediation-plans", "plan_id", "Remediation plan id.", visible_to=plans_visible_to)
ACTION = bases.record_route(
    "remediation-actions", "action_id", "Remediation action id.", visible_to=actions_visible_to
)
PANEL = bases.record_route("panels", "panel_id", "Panel id.", visible_to=panels_visible_to)
REMEDY = bases.record_route("remedies", "remedy_id", "Remedy id.", visible_to=remedies_visible_to)


@dataclass(frozen=True)
class CreatingStep:
    """The workflow step that creates a record: `service` runs with the case's id, the validated values
    and the caller; a date out of order answers 400 on `date_field`."""

    service: Callable[..., Any]
    date_field: str


class RecordedByStep(bases.CaseScopedMixin):
    """Lists of a case's records whose POST is the workflow step that creates one. The records are the
    serializer's model, read with their case; the GET is summed up as "<records> of a case"."""

    step: ClassVar[CreatingStep]
    read_summary: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        model = cast(Any, cls).serializer_class.Meta.model
        cls.queryset = model.objects.select_related("case")
        cls.read_summary = f"{capfirst(model._meta.verbose_name_plural)} of a case"
        super().__init_subclass__(**kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        step = type(self).step
        with dates_reported_on(step.date_field):
            serializer.instance = step.service(
                case_id=self.get_case().case_id,
                values=serializer.validated_data,
                user=self.request.user,  # type: ignore[attr-defined]
            )


@extend_schema_view(get=extend_schema(summary="Mexico's review of the case", examples=[examples.REVIEW]))
class CaseMexicoReview(bases.CaseScopedMixin):
    route = bases.Route("mexico-review/", "case-mexico-review", under=bases.CASE)
    serializer_class = serializers.MexicoReviewSerializer

    def get(self, request: Request, case_id: str) -> Response:
        review = generics.get_object_or_404(MexicoReview.objects.filter(case=self.get_case()))
        return Response(serializers.MexicoReviewSerializer(review).data)


class MexicoReviewStep(bases.StepEndpoint):
    """A step of Mexico's review, answered by the review as it now stands."""

    output_serializer_class = serializers.MexicoReviewSerializer


class CaseRequestForReview(MexicoReviewStep):
    """Record the request for review sent to Mexico (staff)

    From ILC review, or from 'submitted' for a self-initiated case. Opens Mexico's review and its 10-
    and 45-day clocks; suspends liquidation under Annex 31-A. A petition's positive ILC determination
    records the same step through ilc-determination/.
    """

    route = bases.Route("request-for-review/", "case-request-for-review", under=bases.CASE)
    serializer_class = serializers.RequestForReviewSerializer
    service = staticmethod(services.request_review)
    schema_examples = [examples.REQUEST_FOR_REVIEW, examples.REVIEW]


class CaseMexicoResponse(MexicoReviewStep):
    """Record Mexico's answer to the request (staff)"""

    route = bases.Route("mexico-review/response/", "case-mexico-response", under=bases.CASE)
    serializer_class = serializers.MexicoResponseSerializer
    service = staticmethod(services.record_mexico_response)
    schema_examples = [examples.MEXICO_RESPONSE, examples.REVIEW]


class CaseMexicoFinding(MexicoReviewStep):
    """Record Mexico's finding (staff)

    denial opens remediation consultations; no_denial awaits the U.S.; remedied resolves.
    """

    route = bases.Route("mexico-review/finding/", "case-mexico-finding", under=bases.CASE)
    serializer_class = serializers.MexicoFindingSerializer
    service = staticmethod(services.record_mexico_finding)
    schema_examples = [examples.MEXICO_FINDING, examples.REVIEW]


class CaseRemediationPlans(RecordedByStep, bases.RecordListCreate):
    """Record an agreed course of remediation (staff)

    The first plan moves the case from remediation consultations to remediation in progress; a further
    one may be added while remediation is in progress; otherwise 409.
    """

    route = bases.Route("remediation-plans/", "case-remediation-plans", under=bases.CASE)
    schema_examples = [examples.PLAN]
    serializer_class = serializers.RemediationPlanSerializer
    step = CreatingStep(services.agree_plan, date_field="agreed_on")
    listing = bases.Listing.in_order(["kind", "status"], ["summary"], ["agreed_on", "id"])


class RemediationPlanDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Update a plan's status, end or summary (staff)"""

    route = bases.Route("", "remediation-plan-detail", under=PLAN)
    schema_examples = [examples.PLAN_COMPLETED, examples.PLAN]
    serializer_class = serializers.RemediationPlanUpdateSerializer
    update_service = staticmethod(services.update_plan)


class RemediationActions(bases.ParentScopedMixin, bases.RecordListCreate):
    """Add an action to a plan (staff)"""

    route = bases.Route("actions/", "remediation-actions", under=PLAN)
    read_summary = "Actions of a remediation plan"
    schema_examples = [examples.ACTION]
    queryset = RemediationAction.objects.all()
    serializer_class = serializers.RemediationActionSerializer
    parent_field = "plan"
    listing = bases.Listing(["kind", "status"], ["description", "verified_by"], ["due_on", "id"])

    def perform_create(self, serializer: BaseSerializer[RemediationAction]) -> None:
        serializer.instance = services.add_action(
            plan_id=self.get_parent().pk, values=serializer.validated_data
        )


class RemediationActionDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Update an action's progress (staff)

    'done' needs completed_on; a verified action no longer changes (409).
    """

    route = bases.Route("", "remediation-action-detail", under=ACTION)
    schema_examples = [examples.ACTION_DONE, examples.ACTION]
    serializer_class = serializers.RemediationActionUpdateSerializer
    update_service = staticmethod(services.update_action)


class RemediationActionVerification(bases.StepEndpoint):
    """Verify an action marked done (staff)"""

    route = bases.Route("verify/", "remediation-action-verify", under=ACTION)
    schema_examples = [examples.VERIFICATION, examples.ACTION]
    serializer_class = serializers.VerificationSerializer
    output_serializer_class = serializers.RemediationActionSerializer
    date_field = "verified_on"
    success_status = status.HTTP_200_OK

    def record(self, data: dict[str, Any]) -> RemediationAction:
        return services.verify_action(action_id=self.get_parent().pk, **data)


class CasePanels(bases.CaseScopedMixin, bases.RecordListCreate):
    """Record a request for a Rapid Response Labor Panel (staff)"""

    route = bases.Route("panels/", "case-panels", under=bases.CASE)
    read_summary = "Panels of a case"
    schema_examples = [examples.PANEL_REQUEST, examples.PANEL]
    queryset = Panel.objects.prefetch_related("verifications")
    serializer_class = serializers.PanelSerializer
    listing = bases.Listing.in_order(["determination"], ["secretariat_no"], ["requested_on", "id"])

    def perform_create(self, serializer: BaseSerializer[Panel]) -> None:
        data = serializer.validated_data
        with dates_reported_on("requested_on"):
            serializer.instance = services.request_panel_for_case(
                case_id=self.get_case().case_id,
                on=data["requested_on"],
                secretariat_no=data.get("secretariat_no", ""),
                source_url="",
                user=self.request.user,
            )


@extend_schema_view(get=extend_schema(summary="Read a panel", examples=[examples.PANEL]))
class PanelDetail(bases.VisibleRecordDetail, generics.RetrieveAPIView[Panel]):
    """Detail views of a record reached by its own id: only among those of cases the caller sees; case
    officers write."""

    route = bases.Route("", "panel-detail", under=PANEL)
    serializer_class = serializers.PanelSerializer


class PanelSteps(bases.StepEndpoint):
    """Record a panel step (staff)

    constituted, basics_confirmed, verification, then determination (denial or no_denial).
    """

    route = bases.Route("steps/", "panel-steps", under=PANEL)
    schema_examples = [examples.PANEL_STEP, examples.PANEL]
    serializer_class = serializers.PanelStepSerializer
    output_serializer_class = serializers.PanelSerializer

    def record(self, data: dict[str, Any]) -> Panel:
        # PanelStepSerializer's fields are the service's arguments, by name.
        return services.record_panel_step(panel_id=self.get_parent().pk, user=self.request.user, **data)


class CaseRemedies(RecordedByStep, bases.RecordListCreate):
    """Record a remedy imposed after a panel's denial finding (staff)"""

    route = bases.Route("remedies/", "case-remedies", under=bases.CASE)
    schema_examples = [examples.REMEDY]
    serializer_class = serializers.RemedySerializer
    step = CreatingStep(services.impose_remedy, date_field="imposed_on")
    listing = bases.Listing.in_order(["kind"], ["description"], ["imposed_on", "id"])


class RemedyDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Record that a remedy was lifted (staff)"""

    route = bases.Route("", "remedy-detail", under=REMEDY)
    schema_examples = [examples.REMEDY_LIFTED, examples.REMEDY]
    serializer_class = serializers.RemedyUpdateSerializer
    update_service = staticmethod(services.update_remedy)
