"""Endpoints of the kernel: cases, their timeline, deadlines, outcome steps, corrections, clocks,
watches, webhook endpoints and the audit trail.

Access (see rrm.api.access): a case outside what the caller may see answers 404; a case the caller
sees but may not change answers 403. DELETE is offered only to stop watching a case: the record
itself is never deleted, a mistake is corrected by a correction event.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import get_resolver
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from rrm import services, workflow
from rrm.api import bases, examples, serializers
from rrm.api.access import followable_cases, visible_cases
from rrm.api.history import case_history
from rrm.api.permissions import CaseOfficerRequests, CaseOfficersOnly, ManagesWebhook
from rrm.api.registry import registry
from rrm.api.roles import AnyUser, is_case_officer, organisations_of, signed_in
from rrm.choices import request_language
from rrm.models import Case, CaseWatch, Deadline, Notification, TimelineEvent, WebhookEndpoint
from rrm.work_queue import DEFAULT_DAYS, QueueFilters, QueueKind, work_queue


class CaseList(bases.RecordList):
    """List cases

    Staff see every case; a petitioner organisation sees the cases of its petitions.
    """

    route = bases.Route("cases/", "case-list")
    schema_examples = [examples.CASE]
    serializer_class = serializers.CaseSerializer
    listing = bases.Listing(
        filters=["stage", "outcome", "annex", "initiation", "facility__state", "facility__sector"],
        search=["case_id", "title", "facility__name", "facility__operator__name"],
        order_by=["case_id", "petition_received_on", "request_for_review_on", "updated_at"],
        default_order=["-updated_at", "case_id"],
    )

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user)


class CaseDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Edit a case's public description (staff)

    Stage, outcome and dates change only through the workflow endpoints.
    """

    route = bases.Route("", "case-detail", under=bases.CASE)
    schema_examples = [examples.CASE_EDIT, examples.CASE]
    serializer_class = serializers.CaseSerializer
    update_service = staticmethod(services.update_case_details)


class CaseTimeline(bases.CaseScopedMixin, bases.RecordList):
    """A case's timeline

    Every recorded event, corrections included (each names the event it corrects).
    """

    route = bases.Route("timeline/", "case-timeline", under=bases.CASE)
    queryset = TimelineEvent.objects.select_related("recorded_by")
    serializer_class = serializers.TimelineEventSerializer
    listing = bases.Listing(
        ["kind", "occurred_on"], ["description", "source_note"], ["occurred_on", "recorded_at", "id"]
    )


class CaseDeadlines(bases.CaseScopedMixin, bases.RecordList):
    """A case's deadlines

    Every clock with its due date, how it was computed, and whether it was met.
    """

    route = bases.Route("deadlines/", "case-deadlines", under=bases.CASE)
    queryset = Deadline.objects.select_related("rule")
    serializer_class = serializers.DeadlineSerializer
    listing = bases.Listing(
        ["status", "rule__code"], ["rule__name", "rule__code"], ["due_date", "start_date", "id"]
    )


DEADLINE = bases.record_route("deadlines", "deadline_id", "Deadline id.", under=bases.CASE)


def step_endpoint(*, action: str, case_id: str, namespace: str) -> str:
    """The path of the route an app registered for the action, with the case filled in and any other
    parameter left as {name}."""
    prefix, resolver = get_resolver().namespace_dict[namespace]
    [(possibilities, *_)] = resolver.reverse_dict.getlist(registry.step_routes[action])
    [(template, parameters)] = possibilities
    filled = {name: case_id if name == "case_id" else f"{{{name}}}" for name in parameters}
    return f"/{prefix}{template % filled}"


def steps_for(case: Case, user: AnyUser) -> list[str]:
    """The steps allowed from the case's stage that the caller may take: every one for a case officer,
    for anyone else those the apps open to a case's members (a petitioner withdraws)."""
    allowed = workflow.allowed_actions(case)
    if is_case_officer(user):
        return allowed
    return [action for action in allowed if action in registry.member_steps]


def transitions_of(case: Case, *, user: AnyUser, namespace: str) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "stage": case.stage,
        "allowed": [
            {
                "action": action,
                "endpoint": step_endpoint(action=action, case_id=case.case_id, namespace=namespace),
            }
            for action in steps_for(case, user)
        ],
    }


@extend_schema_view(
    get=extend_schema(
        summary="Steps allowed from the case's stage",
        responses=serializers.TransitionsSerializer,
        examples=[examples.TRANSITIONS],
    ),
    post=extend_schema(
        summary="Record an outcome step (staff)",
        description=(
            "Steps that close or resolve a case without a record of their own: "
            f"{', '.join(serializers.OUTCOME_ACTIONS)}. A step not allowed from the case's stage answers "
            "409 naming the stage and the allowed steps; a date before the case's latest event or in the "
            "future answers 400 on `on`."
        ),
        examples=[examples.OUTCOME_STEP, examples.TRANSITIONS],
    ),
)
class CaseTransitions(bases.StepEndpoint):
    """The steps allowed from the case's stage, and the outcome steps that have no record of their own."""

    route = bases.Route("transitions/", "case-transitions", under=bases.CASE)
    serializer_class = serializers.OutcomeStepSerializer
    output_serializer_class = serializers.TransitionsSerializer

    def get(self, request: Request, case_id: str) -> Response:
        return Response(transitions_of(self.get_case(), user=request.user, namespace=self.namespace))

    def record(self, data: dict[str, Any]) -> dict[str, Any]:
        result = workflow.transition(case_id=self.get_case().case_id, user=self.request.user, **data)
        return transitions_of(result.case, user=self.request.user, namespace=self.namespace)

    @property
    def namespace(self) -> str:
        match = self.request.resolver_match
        assert match is not None
        return match.namespace


class CaseCorrections(bases.StepEndpoint):
    """Correct a timeline event (staff)

    Appends a correction: with `corrected_on`, a new event of the same kind on the right date; without
    it, a retraction. Nothing is deleted. A step that moved the case's stage can be re-dated but not
    retracted (409). Clocks started or stopped by the event are derived again.
    """

    route = bases.Route("corrections/", "case-corrections", under=bases.CASE)
    schema_examples = [examples.CORRECTION]
    serializer_class = serializers.CorrectionSerializer
    output_serializer_class = serializers.TimelineEventSerializer
    date_field = "corrected_on"

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not bases.generating_schema(self):
            context["case"] = self.get_case()
        return context

    def record(self, data: dict[str, Any]) -> TimelineEvent:
        return services.record_correction(
            case_id=self.get_case().case_id,
            corrects_id=data["corrects"],
            reason=data["reason"],
            corrected_on=data["corrected_on"],
            user=self.request.user,
        )


class DeadlineExtension(bases.StepEndpoint):
    """Record an agreed extension of a deadline (staff)

    The due date moves by `days` of the rule's unit; the timeline records before and after.
    """

    route = bases.Route("extensions/", "deadline-extension", under=DEADLINE)
    schema_examples = [examples.EXTENSION]
    serializer_class = serializers.ExtensionSerializer
    output_serializer_class = serializers.DeadlineSerializer

    deadline: Deadline

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # A deadline outside the case answers 404 before the body is read, like the case itself.
        super().initial(request, *args, **kwargs)
        if bases.answers_method(self, request):
            deadlines = Deadline.objects.filter(case=self.get_case())
            self.deadline = generics.get_object_or_404(deadlines, pk=self.kwargs[DEADLINE.parameter])

    def record(self, data: dict[str, Any]) -> Deadline:
        return workflow.extend_deadline(deadline_id=self.deadline.pk, user=self.request.user, **data)


class CaseSuspension(bases.StepEndpoint):
    """Suspend a case's clocks (staff)

    Every open clock of the case moves by the length of the suspension.
    """

    route = bases.Route("suspensions/", "case-suspension", under=bases.CASE)
    schema_examples = [examples.SUSPENSION]
    queryset = Case.objects.none()  # the model, for the schema; requests use get_case
    serializer_class = serializers.SuspensionSerializer
    output_serializer_class = serializers.DeadlineSerializer
    output_many = True
    date_field = "start"
    service = staticmethod(workflow.suspend_clocks)


FOLLOWABLE_CASE = bases.record_route(
    "cases", "case_id", "Public case id.", visible_to=followable_cases, converter="slug", lookup="case_id"
)


class CaseWatchView(bases.CaseScopedMixin):
    """Watching a case sends its stage changes and deadline warnings to the caller's e-mail address, in
    the language of the request. Any signed-in user may watch any case: every case is public."""

    route = bases.Route("watch/", "case-watch", under=FOLLOWABLE_CASE)
    permission_classes = [IsAuthenticated]  # petitioners watch the cases they see, too
    serializer_class = serializers.WatchSerializer

    @extend_schema(
        summary="Watch a case",
        request=None,
        responses={201: serializers.WatchSerializer, 200: serializers.WatchSerializer},
        examples=[examples.WATCH],
    )
    def post(self, request: Request, case_id: str) -> Response:
        watch, created = services.watch_case(
            case=self.get_case(), user=signed_in(request), language=request_language()
        )
        return Response(
            serializers.WatchSerializer(watch).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(summary="Stop watching a case", request=None, responses={204: None})
    def delete(self, request: Request, case_id: str) -> Response:
        services.unwatch_case(case=self.get_case(), user=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WatchList(bases.RecordList):
    """Cases the caller watches"""

    route = bases.Route("watches/", "watch-list")
    schema_examples = [examples.WATCH]
    serializer_class = serializers.WatchSerializer
    listing = bases.Listing(
        ["case__case_id"], ["case__case_id", "case__title"], ["created_at"], default_order=["-created_at"]
    )

    def get_queryset(self) -> QuerySet[CaseWatch]:
        if bases.generating_schema(self):
            return CaseWatch.objects.none()
        return CaseWatch.objects.filter(user=signed_in(self.request)).select_related("case")


def webhooks_visible_to(user: Any) -> QuerySet[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.select_related("organisation").prefetch_related("cases")
    if is_case_officer(user):
        return endpoints.all()
    return endpoints.filter(organisation__in=organisations_of(user))


WEBHOOK = bases.record_route("webhooks", "webhook_id", "Webhook endpoint id.", visible_to=webhooks_visible_to)


@extend_schema_view(
    get=extend_schema(summary="Webhook endpoints of the caller's organisations", examples=[examples.WEBHOOK]),
    post=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "The response carries the signing secret once; it is not stored and cannot be shown again. "
            "Deliveries carry `X-RRM-Signature: sha256=<HMAC-SHA256 of the raw body under the secret>`."
        ),
        responses={201: serializers.WebhookCreatedSerializer},
        examples=[examples.WEBHOOK_REGISTRATION, examples.WEBHOOK_REGISTERED],
    ),
)
class WebhookList(bases.ApiView, generics.ListCreateAPIView[WebhookEndpoint]):
    route = bases.Route("webhooks/", "webhook-list")
    serializer_class = serializers.WebhookSerializer
    listing = bases.Listing(
        ["organisation", "active"], ["url"], ["created_at", "url"], default_order=["created_at"]
    )

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhooks_visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registered = services.register_webhook(
            organisation=data["organisation"], url=data["url"], cases=data.get("cases", [])
        )
        body = serializers.WebhookCreatedSerializer(
            registered.endpoint, context=self.get_serializer_context()
        ).data
        return Response({**body, "secret": registered.secret}, status=status.HTTP_201_CREATED)


class WebhookDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Deactivate, reactivate or re-subscribe a webhook endpoint

    Endpoints are deactivated, never deleted, so that their deliveries stay on record.
    """

    route = bases.Route("", "webhook-detail", under=WEBHOOK)
    schema_examples = [examples.WEBHOOK_DEACTIVATION, examples.WEBHOOK]
    serializer_class = serializers.WebhookUpdateSerializer
    permission_classes = [IsAuthenticated, ManagesWebhook]

    def perform_update(self, serializer: BaseSerializer[WebhookEndpoint]) -> None:
        data = serializer.validated_data
        assert serializer.instance is not None
        services.update_webhook(
            endpoint=serializer.instance, active=data.get("active"), cases=data.get("cases")
        )


class WebhookTest(bases.VisibleRecordDetail):
    route = bases.Route("test/", "webhook-test", under=WEBHOOK)
    serializer_class = serializers.DeliverySerializer
    permission_classes = [IsAuthenticated, ManagesWebhook]

    @extend_schema(
        summary="Send a test delivery",
        description=(
            "Queues one signed test message through the delivery outbox; see its result in the deliveries."
        ),
        request=None,
        responses={202: serializers.DeliverySerializer},
        examples=[examples.DELIVERY_QUEUED],
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        notification = services.queue_test_delivery(endpoint=self.get_object())
        return Response(serializers.DeliverySerializer(notification).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveries(bases.ParentScopedMixin, bases.RecordList):
    """Past deliveries to a webhook endpoint"""

    route = bases.Route("deliveries/", "webhook-deliveries", under=WEBHOOK)
    schema_examples = [examples.DELIVERY_SENT]
    queryset = Notification.objects.all()
    serializer_class = serializers.DeliverySerializer
    parent_field = "endpoint"
    listing = bases.Listing(["status"], ["last_error"], ["created_at", "sent_at"])


HISTORY_ORDERINGS = {"at": False, "-at": True}


class CaseHistory(bases.CaseScopedMixin):
    """The audit trail of a case and of every record that belongs to it (staff)."""

    route = bases.Route("history/", "case-history", under=bases.CASE)
    queryset = Case.objects.none()  # the model, for the schema; requests use get_case
    serializer_class = serializers.HistoryEntrySerializer
    permission_classes = [IsAuthenticated, CaseOfficersOnly]

    @extend_schema(
        summary="A case's audit trail (staff)",
        description=(
            "Every create, change and delete of the case, its petition, petitioners, claims, evidence, "
            "screening, Mexico's review, remediation plans and actions, panels and remedies, with actor, "
            "time and changed fields."
        ),
        parameters=[
            OpenApiParameter("model", str, description="Only this record type, e.g. evidence."),
            OpenApiParameter("type", str, enum=["created", "changed", "deleted"]),
            OpenApiParameter("actor", str, description="Only changes by this username."),
            OpenApiParameter("search", str, description="Text in a changed field's name or value."),
            OpenApiParameter("ordering", str, enum=list(HISTORY_ORDERINGS), description="Default -at."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=serializers.HistoryEntrySerializer(many=True),
        examples=[examples.HISTORY_ENTRY],
    )
    def get(self, request: Request, case_id: str) -> Response:
        entries = case_history(case=self.get_case(), sources=registry.history_sources)
        entries = [entry for entry in entries if _history_matches(entry, request.query_params)]
        if not HISTORY_ORDERINGS.get(request.query_params.get("ordering", "-at"), True):
            entries.reverse()
        page = self.paginate_queryset(entries)  # type: ignore[arg-type]
        return self.get_paginated_response(serializers.HistoryEntrySerializer(page, many=True).data)


def _history_matches(entry: Any, params: Any) -> bool:
    for name in ("model", "type", "actor"):
        wanted = params.get(name)
        if wanted and getattr(entry, name) != wanted:
            return False
    text = params.get("search", "").lower()
    return not text or any(text in str(change).lower() for change in entry.changes)


class WorkQueue(bases.ApiView):
    """What waits on case officers across every case (staff)."""

    route = bases.Route("work-queue/", "work-queue")
    queryset = Case.objects.none()  # for the schema; the items come from rrm.work_queue
    serializer_class = serializers.QueueItemSerializer
    permission_classes = [IsAuthenticated, CaseOfficerRequests]

    @extend_schema(
        summary="The work queue (staff)",
        description=(
            "Petitions to screen, clocks due within `days` days, overdue clocks (on cases kept here), cases "
            "awaiting Mexico, and remediation plan ends and actions due within `days` days or overdue: by "
            "kind, then due date. The same items as the staff page /staff/queue/ and its CSV. A filter "
            "outside its valid values answers 400 naming them."
        ),
        parameters=[
            OpenApiParameter("days", int, description=f"Window of the clocks due; default {DEFAULT_DAYS}."),
            OpenApiParameter("kind", str, enum=QueueKind.values),
            OpenApiParameter("case", str, description="Only cases whose id contains this."),
            OpenApiParameter("officer", str, description="Only cases on which this officer recorded a step."),
            OpenApiParameter("due_from", OpenApiTypes.DATE, description="Only items due on or after."),
            OpenApiParameter("due_to", OpenApiTypes.DATE, description="Only items due on or before."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=serializers.QueueItemSerializer(many=True),
        examples=[examples.QUEUE_ITEM],
    )
    def get(self, request: Request) -> Response:
        filters = QueueFilters(request.query_params)
        if not filters.is_valid():
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in filters.errors.items()}
            )
        items = work_queue(today=timezone.localdate(), filters=filters)
        page = self.paginate_queryset(items)  # type: ignore[arg-type]
        return self.get_paginated_response(serializers.QueueItemSerializer(page, many=True).data)
