"""Endpoints of the kernel: cases, their timeline, deadlines, outcome steps, corrections, clocks,
watches, webhook endpoints and the audit trail.

Access (see rrm.api.access): a case outside what the caller may see answers 404; a case the caller
sees but may not change answers 403. DELETE is offered only to stop watching a case: the record
itself is never deleted, a mistake is corrected by a correction event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from rrm import services, workflow
from rrm.api.access import visible_cases
from rrm.api.errors import dates_reported_on
from rrm.api.history import KERNEL_SOURCES, HistorySource, case_history
from rrm.api.permissions import CaseOfficersOnly, CaseOfficerWrites, ManagesWebhook
from rrm.api.roles import is_case_officer, organisations_of, signed_in
from rrm.api.serializers import (
    OUTCOME_ACTIONS,
    CaseSerializer,
    CorrectionSerializer,
    DeadlineSerializer,
    DeliverySerializer,
    ExtensionSerializer,
    HistoryEntrySerializer,
    OutcomeStepSerializer,
    SuspensionSerializer,
    TimelineEventSerializer,
    TransitionsSerializer,
    WatchSerializer,
    WebhookCreatedSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from rrm.models import Case, CaseWatch, Deadline, Notification, TimelineEvent, WebhookEndpoint

CASE_ID = OpenApiParameter("case_id", str, OpenApiParameter.PATH, description="Public case id.")
DEADLINE_ID = OpenApiParameter("deadline_id", int, OpenApiParameter.PATH, description="Deadline id.")
WEBHOOK_ID = OpenApiParameter("webhook_id", int, OpenApiParameter.PATH, description="Webhook endpoint id.")

API = "/api/v1"
# Where each workflow step is recorded; steps with a record of their own write it in the same call.
STEP_ENDPOINTS = {
    "record_receipt": f"{API}/cases/{{case_id}}/receipt/",
    "decline_petition": f"{API}/cases/{{case_id}}/ilc-determination/",
    "resolve_without_request": f"{API}/cases/{{case_id}}/ilc-determination/",
    "withdraw": f"{API}/cases/{{case_id}}/withdrawal/",
    "request_review": f"{API}/cases/{{case_id}}/request-for-review/",
    "mexico_accepts": f"{API}/cases/{{case_id}}/mexico-review/response/",
    "mexico_declines": f"{API}/cases/{{case_id}}/mexico-review/response/",
    "finding_no_denial": f"{API}/cases/{{case_id}}/mexico-review/finding/",
    "finding_denial": f"{API}/cases/{{case_id}}/mexico-review/finding/",
    "finding_remedied": f"{API}/cases/{{case_id}}/mexico-review/finding/",
    "agree_remediation": f"{API}/cases/{{case_id}}/remediation-plans/",
    "request_panel": f"{API}/cases/{{case_id}}/panels/",
    "constitute_panel": f"{API}/panels/{{panel_id}}/steps/",
    "confirm_panel_basics": f"{API}/panels/{{panel_id}}/steps/",
    "record_verification": f"{API}/panels/{{panel_id}}/steps/",
    "panel_finds_no_denial": f"{API}/panels/{{panel_id}}/steps/",
    "panel_finds_denial": f"{API}/panels/{{panel_id}}/steps/",
    "impose_remedies": f"{API}/cases/{{case_id}}/remedies/",
    **{action: f"{API}/cases/{{case_id}}/transitions/" for action in OUTCOME_ACTIONS},
}


def answers_method(view: Any, request: Request) -> bool:
    """False for a method the view does not offer: that answers 405 whoever asks."""
    method = (request.method or "").lower()
    return method in view.http_method_names and hasattr(view, method)


class CaseScopedMixin:
    """Views under /cases/{case_id}/: the case is looked up among those the caller sees (else 404)."""

    _case: Case | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Who may see and change the case is settled before the body is read: a caller outside the
        # case gets 404 and a petitioner 403 whatever the body says.
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if answers_method(self, request):
            self.get_case()

    def get_case(self) -> Case:
        """The case of the URL, looked up and its permissions checked once per request."""
        if self._case is None:
            view = cast(generics.GenericAPIView[Any], self)
            case = generics.get_object_or_404(
                visible_cases(view.request.user), case_id=view.kwargs["case_id"]
            )
            view.check_object_permissions(view.request, case)
            self._case = case
        return self._case


CASE_EXAMPLE = OpenApiExample(
    "A case at ILC review",
    value={
        "case_id": "us-mx-2024-petition-12",
        "facility": {
            "id": 4,
            "name": "Planta Silao",
            "operator": "General Motors de México",
            "city": "Silao",
            "state": "GUA",
            "sector": "manufacturing",
            "subsector": "auto_assembly",
            "headcount": 6000,
        },
        "annex": "31-A",
        "initiation": "petition",
        "stage": "ilc_review",
        "outcome": "open",
        "petition_received_on": "2024-03-04",
        "title": "",
    },
    response_only=True,
)


@extend_schema_view(
    get=extend_schema(
        summary="List cases",
        description="Staff see every case; a petitioner organisation sees the cases of its petitions.",
        examples=[CASE_EXAMPLE],
    )
)
class CaseList(generics.ListAPIView[Case]):
    serializer_class = CaseSerializer
    filterset_fields = ["stage", "outcome", "annex", "initiation", "facility__state", "facility__sector"]
    search_fields = ["case_id", "title", "facility__name", "facility__operator__name"]
    ordering_fields = ["case_id", "petition_received_on", "request_for_review_on", "updated_at"]
    ordering = ["-updated_at", "case_id"]

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user)


@extend_schema_view(
    get=extend_schema(summary="Read a case", parameters=[CASE_ID], examples=[CASE_EXAMPLE]),
    patch=extend_schema(
        summary="Edit a case's public description (staff)",
        description="Stage, outcome and dates change only through the workflow endpoints.",
        parameters=[CASE_ID],
        examples=[
            OpenApiExample(
                "New title",
                value={"title": "GM Silao: legitimation vote", "workers_covered": 6000},
                request_only=True,
            ),
            CASE_EXAMPLE,
        ],
    ),
)
class CaseDetail(generics.RetrieveUpdateAPIView[Case]):
    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    lookup_field = "case_id"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user)

    def perform_update(self, serializer: BaseSerializer[Case]) -> None:
        case = services.update_case_details(case_id=self.kwargs["case_id"], values=serializer.validated_data)
        serializer.instance = case


@extend_schema_view(
    get=extend_schema(
        summary="A case's timeline",
        description="Every recorded event, corrections included (each names the event it corrects).",
        parameters=[CASE_ID],
        examples=[
            OpenApiExample(
                "Receipt",
                value={
                    "id": 31,
                    "kind": "petition_received",
                    "occurred_on": "2024-03-04",
                    "from_stage": "submitted",
                    "to_stage": "ilc_review",
                    "description": "",
                    "source_url": "",
                    "source_note": "recorded by staff",
                    "data": {},
                    "corrects": None,
                    "recorded_at": "2024-03-04T15:02:11Z",
                    "recorded_by": "officer1",
                },
                response_only=True,
            )
        ],
    )
)
class CaseTimeline(CaseScopedMixin, generics.ListAPIView[TimelineEvent]):
    queryset = TimelineEvent.objects.none()  # the model, for the schema; requests use get_queryset
    serializer_class = TimelineEventSerializer
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    filterset_fields = ["kind", "occurred_on"]
    search_fields = ["description", "source_note"]
    ordering_fields = ["occurred_on", "recorded_at", "id"]
    ordering = ["occurred_on", "id"]

    def get_queryset(self) -> QuerySet[TimelineEvent]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return TimelineEvent.objects.none()
        return TimelineEvent.objects.filter(case=self.get_case()).select_related("recorded_by")


@extend_schema_view(
    get=extend_schema(
        summary="A case's deadlines",
        description="Every clock with its due date, how it was computed, and whether it was met.",
        parameters=[CASE_ID],
        examples=[
            OpenApiExample(
                "ILC screening",
                value={
                    "id": 8,
                    "rule": "ilc_screening",
                    "rule_name": "ILC screening of a petition",
                    "citation": "19 U.S.C. §4691; ILC Procedural Guidelines, 88 FR 40914",
                    "unconfirmed": False,
                    "start_date": "2024-03-04",
                    "due_date": "2024-04-03",
                    "status": "open",
                    "satisfied_on": None,
                    "days_late": None,
                    "explanation": {"text": "30 calendar days from 2024-03-04: due 2024-04-03."},
                },
                response_only=True,
            )
        ],
    )
)
class CaseDeadlines(CaseScopedMixin, generics.ListAPIView[Deadline]):
    queryset = Deadline.objects.none()  # the model, for the schema; requests use get_queryset
    serializer_class = DeadlineSerializer
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    filterset_fields = ["status", "rule__code"]
    search_fields = ["rule__name", "rule__code"]
    ordering_fields = ["due_date", "start_date", "id"]
    ordering = ["due_date", "id"]

    def get_queryset(self) -> QuerySet[Deadline]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Deadline.objects.none()
        return Deadline.objects.filter(case=self.get_case()).select_related("rule")


TRANSITION_RESPONSE = OpenApiExample(
    "Allowed steps at ILC review",
    value={
        "case_id": "us-mx-2024-petition-12",
        "stage": "ilc_review",
        "allowed": [
            {
                "action": "decline_petition",
                "endpoint": "/api/v1/cases/us-mx-2024-petition-12/ilc-determination/",
            },
            {"action": "withdraw", "endpoint": "/api/v1/cases/us-mx-2024-petition-12/withdrawal/"},
        ],
    },
    response_only=True,
)


def transitions_of(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "stage": case.stage,
        "allowed": [
            {"action": action, "endpoint": STEP_ENDPOINTS[action].replace("{case_id}", case.case_id)}
            for action in workflow.allowed_actions(case)
        ],
    }


class CaseTransitions(CaseScopedMixin, generics.GenericAPIView[Any]):
    """The steps allowed from the case's stage, and the outcome steps that have no record of their own."""

    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    serializer_class = OutcomeStepSerializer

    @extend_schema(
        summary="Steps allowed from the case's stage",
        parameters=[CASE_ID],
        responses=TransitionsSerializer,
        examples=[TRANSITION_RESPONSE],
    )
    def get(self, request: Request, case_id: str) -> Response:
        return Response(transitions_of(self.get_case()))

    @extend_schema(
        summary="Record an outcome step (staff)",
        description=(
            "Steps that close or resolve a case without a record of their own: "
            f"{', '.join(OUTCOME_ACTIONS)}. A step not allowed from the case's stage answers 409 naming "
            "the stage and the allowed steps; a date before the case's latest event or in the future "
            "answers 400 on `on`."
        ),
        parameters=[CASE_ID],
        request=OutcomeStepSerializer,
        responses={201: TransitionsSerializer},
        examples=[
            OpenApiExample(
                "Close a resolved case",
                value={"action": "close", "on": "2024-09-30", "source_url": "https://ustr.gov/..."},
                request_only=True,
            ),
            TRANSITION_RESPONSE,
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with dates_reported_on("on"):
            result = workflow.transition(case_id=case.case_id, user=request.user, **data)
        return Response(transitions_of(result.case), status=status.HTTP_201_CREATED)


class CaseCorrections(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    serializer_class = CorrectionSerializer

    @extend_schema(
        summary="Correct a timeline event (staff)",
        description=(
            "Appends a correction: with `corrected_on`, a new event of the same kind on the right date; "
            "without it, a retraction. Nothing is deleted. A step that moved the case's stage can be "
            "re-dated but not retracted (409). Clocks started or stopped by the event are derived again."
        ),
        parameters=[CASE_ID],
        request=CorrectionSerializer,
        responses={201: TimelineEventSerializer},
        examples=[
            OpenApiExample(
                "Receipt date was wrong",
                value={
                    "corrects": 31,
                    "corrected_on": "2024-03-05",
                    "reason": "OTLA letter dates receipt 5 March.",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(
            data=request.data, context={**self.get_serializer_context(), "case": case}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with dates_reported_on("corrected_on"):
            event = services.record_correction(
                case_id=case.case_id,
                corrects_id=data["corrects"],
                reason=data["reason"],
                corrected_on=data["corrected_on"],
                user=request.user,
            )
        body = TimelineEventSerializer(event, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class DeadlineExtension(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    serializer_class = ExtensionSerializer

    @extend_schema(
        summary="Record an agreed extension of a deadline (staff)",
        description="The due date moves by `days` of the rule's unit; the timeline records before and after.",
        parameters=[CASE_ID, DEADLINE_ID],
        request=ExtensionSerializer,
        responses={201: DeadlineSerializer},
        examples=[
            OpenApiExample(
                "Ten more days",
                value={"days": 10, "on": "2024-05-02", "reason": "Parties agreed by letter"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, case_id: str, deadline_id: int) -> Response:
        case = self.get_case()
        deadline = generics.get_object_or_404(Deadline.objects.filter(case=case), pk=deadline_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("on"):
            extended = workflow.extend_deadline(
                deadline_id=deadline.pk, user=request.user, **serializer.validated_data
            )
        return Response(DeadlineSerializer(extended).data, status=status.HTTP_201_CREATED)


class CaseSuspension(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = [IsAuthenticated, CaseOfficerWrites]
    queryset = Case.objects.none()  # the model, for the schema; requests use get_case
    serializer_class = SuspensionSerializer

    @extend_schema(
        summary="Suspend a case's clocks (staff)",
        description="Every open clock of the case moves by the length of the suspension.",
        parameters=[CASE_ID],
        request=SuspensionSerializer,
        responses={201: DeadlineSerializer(many=True)},
        examples=[
            OpenApiExample(
                "Two weeks",
                value={"start": "2024-05-01", "end": "2024-05-14", "reason": "Verification postponed"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("start"):
            moved = workflow.suspend_clocks(
                case_id=case.case_id, user=request.user, **serializer.validated_data
            )
        return Response(DeadlineSerializer(moved, many=True).data, status=status.HTTP_201_CREATED)


class CaseWatchView(CaseScopedMixin, generics.GenericAPIView[Any]):
    """Watching a case sends its deadline warnings to the caller's e-mail address."""

    serializer_class = WatchSerializer

    @extend_schema(
        summary="Watch a case",
        parameters=[CASE_ID],
        request=None,
        responses={201: WatchSerializer, 200: WatchSerializer},
        examples=[
            OpenApiExample(
                "Watching",
                value={"id": 5, "case": "us-mx-2024-petition-12", "created_at": "2024-03-04T15:02:11Z"},
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        watch, created = services.watch_case(case=self.get_case(), user=signed_in(request))
        return Response(
            WatchSerializer(watch).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(summary="Stop watching a case", parameters=[CASE_ID], request=None, responses={204: None})
    def delete(self, request: Request, case_id: str) -> Response:
        services.unwatch_case(case=self.get_case(), user=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        summary="Cases the caller watches",
        examples=[
            OpenApiExample(
                "One watch",
                value={"id": 5, "case": "us-mx-2024-petition-12", "created_at": "2024-03-04T15:02:11Z"},
                response_only=True,
            )
        ],
    )
)
class WatchList(generics.ListAPIView[CaseWatch]):
    serializer_class = WatchSerializer
    filterset_fields = ["case__case_id"]
    search_fields = ["case__case_id", "case__title"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[CaseWatch]:
        user = self.request.user
        if isinstance(user, AnonymousUser):  # schema generation runs without a user
            return CaseWatch.objects.none()
        return CaseWatch.objects.filter(user=user).select_related("case")


def webhooks_visible_to(user: Any) -> QuerySet[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.select_related("organisation").prefetch_related("cases")
    if is_case_officer(user):
        return endpoints.all()
    return endpoints.filter(organisation__in=organisations_of(user))


WEBHOOK_EXAMPLE = OpenApiExample(
    "An endpoint",
    value={
        "id": 3,
        "organisation": 7,
        "url": "https://hooks.example.org/rrm",
        "active": True,
        "cases": ["us-mx-2024-petition-12"],
        "created_at": "2024-03-04T15:02:11Z",
        "updated_at": "2024-03-04T15:02:11Z",
    },
    response_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="Webhook endpoints of the caller's organisations", examples=[WEBHOOK_EXAMPLE]),
    post=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "The response carries the signing secret once; it is not stored and cannot be shown again. "
            "Deliveries carry `X-RRM-Signature: sha256=<HMAC-SHA256 of the raw body under the secret>`."
        ),
        responses={201: WebhookCreatedSerializer},
        examples=[
            OpenApiExample(
                "Register",
                value={
                    "organisation": 7,
                    "url": "https://hooks.example.org/rrm",
                    "cases": ["us-mx-2024-petition-12"],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Registered, with its secret",
                value={
                    "id": 3,
                    "organisation": 7,
                    "url": "https://hooks.example.org/rrm",
                    "active": True,
                    "cases": ["us-mx-2024-petition-12"],
                    "created_at": "2024-03-04T15:02:11Z",
                    "updated_at": "2024-03-04T15:02:11Z",
                    "secret": "9f2c...e1",
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
)
class WebhookList(generics.ListCreateAPIView[WebhookEndpoint]):
    serializer_class = WebhookSerializer
    filterset_fields = ["organisation", "active"]
    search_fields = ["url"]
    ordering_fields = ["created_at", "url"]
    ordering = ["created_at"]

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhooks_visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registered = services.register_webhook(
            organisation=data["organisation"], url=data["url"], cases=data.get("cases", [])
        )
        body = WebhookCreatedSerializer(registered.endpoint, context=self.get_serializer_context()).data
        return Response({**body, "secret": registered.secret}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="Read a webhook endpoint", parameters=[WEBHOOK_ID], examples=[WEBHOOK_EXAMPLE]),
    patch=extend_schema(
        summary="Deactivate, reactivate or re-subscribe a webhook endpoint",
        description="Endpoints are deactivated, never deleted, so that their deliveries stay on record.",
        parameters=[WEBHOOK_ID],
        examples=[OpenApiExample("Deactivate", value={"active": False}, request_only=True), WEBHOOK_EXAMPLE],
    ),
)
class WebhookDetail(generics.RetrieveUpdateAPIView[WebhookEndpoint]):
    serializer_class = WebhookUpdateSerializer
    permission_classes = [IsAuthenticated, ManagesWebhook]
    lookup_url_kwarg = "webhook_id"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhooks_visible_to(self.request.user)

    def perform_update(self, serializer: BaseSerializer[WebhookEndpoint]) -> None:
        data = serializer.validated_data
        assert serializer.instance is not None
        services.update_webhook(
            endpoint=serializer.instance, active=data.get("active"), cases=data.get("cases")
        )


class WebhookTest(generics.GenericAPIView[Any]):
    serializer_class = DeliverySerializer
    permission_classes = [IsAuthenticated, ManagesWebhook]
    lookup_url_kwarg = "webhook_id"

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhooks_visible_to(self.request.user)

    @extend_schema(
        summary="Send a test delivery",
        description=(
            "Queues one signed test message through the delivery outbox; see its result in the deliveries."
        ),
        parameters=[WEBHOOK_ID],
        request=None,
        responses={202: DeliverySerializer},
        examples=[
            OpenApiExample(
                "Queued",
                value={
                    "id": 91,
                    "event": "webhook.test",
                    "case": None,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": "2024-03-04T15:02:11Z",
                    "sent_at": None,
                    "response_code": None,
                    "last_error": "",
                },
                response_only=True,
                status_codes=["202"],
            )
        ],
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        endpoint = self.get_object()
        notification = services.queue_test_delivery(endpoint=endpoint)
        return Response(DeliverySerializer(notification).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    get=extend_schema(
        summary="Past deliveries to a webhook endpoint",
        parameters=[WEBHOOK_ID],
        examples=[
            OpenApiExample(
                "Sent",
                value={
                    "id": 90,
                    "event": "deadline.due_soon",
                    "case": "us-mx-2024-petition-12",
                    "status": "sent",
                    "attempts": 1,
                    "created_at": "2024-03-27T06:00:00Z",
                    "sent_at": "2024-03-27T06:00:01Z",
                    "response_code": 200,
                    "last_error": "",
                },
                response_only=True,
            )
        ],
    )
)
class WebhookDeliveries(generics.ListAPIView[Notification]):
    serializer_class = DeliverySerializer
    filterset_fields = ["status"]
    search_fields = ["last_error"]
    ordering_fields = ["created_at", "sent_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Notification.objects.none()
        endpoint = generics.get_object_or_404(
            webhooks_visible_to(self.request.user), pk=self.kwargs["webhook_id"]
        )
        return Notification.objects.filter(endpoint=endpoint)


HISTORY_ORDERINGS = {"at": False, "-at": True}


class CaseHistory(CaseScopedMixin, generics.GenericAPIView[Any]):
    """The audit trail of a case and of every record that belongs to it (staff)."""

    queryset = Case.objects.none()  # the model, for the schema; requests use get_case
    serializer_class = HistoryEntrySerializer
    permission_classes = [IsAuthenticated, CaseOfficersOnly]
    sources: Sequence[HistorySource] = KERNEL_SOURCES

    @extend_schema(
        summary="A case's audit trail (staff)",
        description=(
            "Every create, change and delete of the case, its petition, petitioners, claims, evidence, "
            "screening, Mexico's review, remediation plans and actions, panels and remedies, with actor, "
            "time and changed fields."
        ),
        parameters=[
            CASE_ID,
            OpenApiParameter("model", str, description="Only this record type, e.g. evidence."),
            OpenApiParameter("type", str, enum=["created", "changed", "deleted"]),
            OpenApiParameter("actor", str, description="Only changes by this username."),
            OpenApiParameter("search", str, description="Text in a changed field's name or value."),
            OpenApiParameter("ordering", str, enum=list(HISTORY_ORDERINGS), description="Default -at."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=HistoryEntrySerializer(many=True),
        examples=[
            OpenApiExample(
                "A draft's narrative changed",
                value={
                    "model": "petition",
                    "object_id": 12,
                    "history_id": 77,
                    "type": "changed",
                    "at": "2024-03-01T10:00:00Z",
                    "actor": "sindicato-member",
                    "changes": [{"field": "narrative", "old": "", "new": "On 2 February ..."}],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, case_id: str) -> Response:
        entries = case_history(case=self.get_case(), sources=self.sources)
        entries = [entry for entry in entries if _history_matches(entry, request.query_params)]
        if not HISTORY_ORDERINGS.get(request.query_params.get("ordering", "-at"), True):
            entries.reverse()
        page = self.paginate_queryset(entries)  # type: ignore[arg-type]
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


def _history_matches(entry: Any, params: Any) -> bool:
    for name in ("model", "type", "actor"):
        wanted = params.get(name)
        if wanted and getattr(entry, name) != wanted:
            return False
    text = params.get("search", "").lower()
    return not text or any(text in str(change).lower() for change in entry.changes)
