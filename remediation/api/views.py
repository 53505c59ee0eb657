"""Endpoints of what follows a request for review: Mexico's review, remediation, panels, remedies.

Everyone who sees the case (its petitioners, staff) reads these records; case officers write them.
Each write that is a workflow step runs the step and the record together.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from remediation import services
from remediation.api.serializers import (
    MexicoFindingSerializer,
    MexicoResponseSerializer,
    MexicoReviewSerializer,
    PanelSerializer,
    PanelStepSerializer,
    RemediationActionSerializer,
    RemediationActionUpdateSerializer,
    RemediationPlanSerializer,
    RemediationPlanUpdateSerializer,
    RemedySerializer,
    RemedyUpdateSerializer,
    RequestForReviewSerializer,
    VerificationSerializer,
)
from remediation.models import MexicoReview, Panel, RemediationAction, RemediationPlan, Remedy
from rrm.api.access import visible_cases
from rrm.api.errors import dates_reported_on
from rrm.api.permissions import CaseOfficerWrites
from rrm.api.views import CASE_ID, CaseScopedMixin, answers_method

PLAN_ID = OpenApiParameter("plan_id", int, OpenApiParameter.PATH, description="Remediation plan id.")
ACTION_ID = OpenApiParameter("action_id", int, OpenApiParameter.PATH, description="Remediation action id.")
PANEL_ID = OpenApiParameter("panel_id", int, OpenApiParameter.PATH, description="Panel id.")
REMEDY_ID = OpenApiParameter("remedy_id", int, OpenApiParameter.PATH, description="Remedy id.")
STAFF = [IsAuthenticated, CaseOfficerWrites]

REVIEW_EXAMPLE = OpenApiExample(
    "Accepted, no finding yet",
    value={
        "requested_on": "2024-04-02",
        "response": "accepted",
        "response_on": "2024-04-10",
        "response_reported": "Mexico agreed to review.",
        "investigation_started_on": None,
        "finding": "pending",
        "finding_on": None,
        "findings": "",
    },
    response_only=True,
)


class CaseMexicoReview(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = MexicoReviewSerializer

    @extend_schema(summary="Mexico's review of the case", parameters=[CASE_ID], examples=[REVIEW_EXAMPLE])
    def get(self, request: Request, case_id: str) -> Response:
        review = generics.get_object_or_404(MexicoReview.objects.filter(case=self.get_case()))
        return Response(MexicoReviewSerializer(review).data)


class CaseRequestForReview(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = RequestForReviewSerializer

    @extend_schema(
        summary="Record the request for review sent to Mexico (staff)",
        description=(
            "From ILC review, or from 'submitted' for a self-initiated case. Opens Mexico's review and its "
            "10- and 45-day clocks; suspends liquidation under Annex 31-A. A petition's positive ILC "
            "determination records the same step through ilc-determination/."
        ),
        parameters=[CASE_ID],
        request=RequestForReviewSerializer,
        responses={201: MexicoReviewSerializer},
        examples=[OpenApiExample("Request", value={"on": "2024-04-02"}, request_only=True), REVIEW_EXAMPLE],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("on"):
            review = services.request_review(
                case_id=case.case_id, user=request.user, **serializer.validated_data
            )
        return Response(MexicoReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class CaseMexicoResponse(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = MexicoResponseSerializer

    @extend_schema(
        summary="Record Mexico's answer to the request (staff)",
        parameters=[CASE_ID],
        request=MexicoResponseSerializer,
        responses={201: MexicoReviewSerializer},
        examples=[
            OpenApiExample("Accepted", value={"response": "accepted", "on": "2024-04-10"}, request_only=True),
            REVIEW_EXAMPLE,
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("on"):
            review = services.record_mexico_response(
                case_id=case.case_id, user=request.user, **serializer.validated_data
            )
        return Response(MexicoReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class CaseMexicoFinding(CaseScopedMixin, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = MexicoFindingSerializer

    @extend_schema(
        summary="Record Mexico's finding (staff)",
        description="denial opens remediation consultations; no_denial awaits the U.S.; remedied resolves.",
        parameters=[CASE_ID],
        request=MexicoFindingSerializer,
        responses={201: MexicoReviewSerializer},
        examples=[
            OpenApiExample(
                "Denial",
                value={"finding": "denial", "on": "2024-05-20", "findings": "..."},
                request_only=True,
            ),
            REVIEW_EXAMPLE,
        ],
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = self.get_case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("on"):
            review = services.record_mexico_finding(
                case_id=case.case_id, user=request.user, **serializer.validated_data
            )
        return Response(MexicoReviewSerializer(review).data, status=status.HTTP_201_CREATED)


PLAN_EXAMPLE = OpenApiExample(
    "A plan",
    value={
        "id": 2,
        "case": "us-mx-2024-planta-silao",
        "kind": "government",
        "agreed_on": "2024-06-01",
        "ends_on": "2024-12-01",
        "status": "in_progress",
        "summary": "Reinstatement and back pay; neutrality statement.",
        "source_url": "https://ustr.gov/...",
        "created_at": "2024-06-01T12:00:00Z",
    },
)


@extend_schema_view(
    get=extend_schema(summary="Remediation plans of a case", parameters=[CASE_ID], examples=[PLAN_EXAMPLE]),
    post=extend_schema(
        summary="Record an agreed course of remediation (staff)",
        description=(
            "The first plan moves the case from remediation consultations to remediation in progress; "
            "a further one may be added while remediation is in progress; otherwise 409."
        ),
        parameters=[CASE_ID],
        examples=[PLAN_EXAMPLE],
    ),
)
class CaseRemediationPlans(CaseScopedMixin, generics.ListCreateAPIView[RemediationPlan]):
    permission_classes = STAFF
    queryset = RemediationPlan.objects.none()  # the model, for the schema; requests use get_queryset
    serializer_class = RemediationPlanSerializer
    filterset_fields = ["kind", "status"]
    search_fields = ["summary"]
    ordering_fields = ["agreed_on", "id"]
    ordering = ["agreed_on", "id"]

    def get_queryset(self) -> QuerySet[RemediationPlan]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return RemediationPlan.objects.none()
        return RemediationPlan.objects.filter(case=self.get_case()).select_related("case")

    def perform_create(self, serializer: BaseSerializer[RemediationPlan]) -> None:
        case = self.get_case()
        with dates_reported_on("agreed_on"):
            serializer.instance = services.agree_plan(
                case_id=case.case_id, values=serializer.validated_data, user=self.request.user
            )


class ScopedByCase:
    """Detail views of records reached by their own id: the record's case must be visible (else 404)."""

    case_path = "case"

    def visible(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        user = cast(generics.GenericAPIView[Any], self).request.user
        return queryset.filter(**{f"{self.case_path}__in": visible_cases(user)})


@extend_schema_view(
    get=extend_schema(summary="Read a remediation plan", parameters=[PLAN_ID], examples=[PLAN_EXAMPLE]),
    patch=extend_schema(
        summary="Update a plan's status, end or summary (staff)",
        parameters=[PLAN_ID],
        examples=[
            OpenApiExample("Completed", value={"status": "completed"}, request_only=True),
            PLAN_EXAMPLE,
        ],
    ),
)
class RemediationPlanDetail(ScopedByCase, generics.RetrieveUpdateAPIView[RemediationPlan]):
    permission_classes = STAFF
    serializer_class = RemediationPlanUpdateSerializer
    lookup_url_kwarg = "plan_id"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RemediationPlan]:
        return self.visible(RemediationPlan.objects.select_related("case"))

    def perform_update(self, serializer: BaseSerializer[RemediationPlan]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.update_plan(
            plan_id=serializer.instance.pk, values=serializer.validated_data
        )


ACTION_EXAMPLE = OpenApiExample(
    "An action",
    value={
        "id": 5,
        "plan": 2,
        "kind": "reinstatement",
        "description": "Reinstate the twelve dismissed workers.",
        "due_on": "2024-07-01",
        "status": "done",
        "completed_on": "2024-06-20",
        "verified_on": None,
        "verified_by": "",
        "verification_notes": "",
        "workers_covered": 12,
        "amount_usd": None,
        "created_at": "2024-06-01T12:00:00Z",
    },
)


@extend_schema_view(
    get=extend_schema(
        summary="Actions of a remediation plan", parameters=[PLAN_ID], examples=[ACTION_EXAMPLE]
    ),
    post=extend_schema(
        summary="Add an action to a plan (staff)", parameters=[PLAN_ID], examples=[ACTION_EXAMPLE]
    ),
)
class RemediationActions(ScopedByCase, generics.ListCreateAPIView[RemediationAction]):
    permission_classes = STAFF
    serializer_class = RemediationActionSerializer
    filterset_fields = ["kind", "status"]
    search_fields = ["description", "verified_by"]
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if answers_method(self, request):
            self.get_plan()

    def get_plan(self) -> RemediationPlan:
        plans = self.visible(RemediationPlan.objects.all())
        plan = generics.get_object_or_404(plans, pk=self.kwargs["plan_id"])
        self.check_object_permissions(self.request, plan)
        return plan

    def get_queryset(self) -> QuerySet[RemediationAction]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return RemediationAction.objects.none()
        return RemediationAction.objects.filter(plan=self.get_plan())

    def perform_create(self, serializer: BaseSerializer[RemediationAction]) -> None:
        serializer.instance = services.add_action(
            plan_id=self.get_plan().pk, values=serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="Read a remediation action", parameters=[ACTION_ID], examples=[ACTION_EXAMPLE]),
    patch=extend_schema(
        summary="Update an action's progress (staff)",
        description="'done' needs completed_on; a verified action no longer changes (409).",
        parameters=[ACTION_ID],
        examples=[
            OpenApiExample("Done", value={"status": "done", "completed_on": "2024-06-20"}, request_only=True),
            ACTION_EXAMPLE,
        ],
    ),
)
class RemediationActionDetail(ScopedByCase, generics.RetrieveUpdateAPIView[RemediationAction]):
    permission_classes = STAFF
    serializer_class = RemediationActionUpdateSerializer
    lookup_url_kwarg = "action_id"
    case_path = "plan__case"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RemediationAction]:
        return self.visible(RemediationAction.objects.all())

    def perform_update(self, serializer: BaseSerializer[RemediationAction]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.update_action(
            action_id=serializer.instance.pk, values=serializer.validated_data
        )


class RemediationActionVerification(ScopedByCase, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = VerificationSerializer
    lookup_url_kwarg = "action_id"
    case_path = "plan__case"

    def get_queryset(self) -> QuerySet[RemediationAction]:
        return self.visible(RemediationAction.objects.all())

    @extend_schema(
        summary="Verify an action marked done (staff)",
        parameters=[ACTION_ID],
        request=VerificationSerializer,
        responses={200: RemediationActionSerializer},
        examples=[
            OpenApiExample(
                "Verified",
                value={
                    "verified_on": "2024-07-05",
                    "verified_by": "CFCRL",
                    "notes": "All twelve back at work.",
                },
                request_only=True,
            ),
            ACTION_EXAMPLE,
        ],
    )
    def post(self, request: Request, action_id: int) -> Response:
        action = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with dates_reported_on("verified_on"):
            verified = services.verify_action(
                action_id=action.pk,
                verified_on=data["verified_on"],
                verified_by=data["verified_by"],
                notes=data["notes"],
            )
        return Response(RemediationActionSerializer(verified).data)


PANEL_EXAMPLE = OpenApiExample(
    "A panel",
    value={
        "id": 1,
        "case": "us-mx-2024-planta-silao",
        "secretariat_no": "MEX-USA-2024-31A-01",
        "requested_on": "2024-08-01",
        "constituted_on": None,
        "basics_confirmed_on": None,
        "determination": "pending",
        "determined_on": None,
        "report_published_on": None,
        "report_url": "",
        "verifications": [],
    },
)


@extend_schema_view(
    get=extend_schema(summary="Panels of a case", parameters=[CASE_ID], examples=[PANEL_EXAMPLE]),
    post=extend_schema(
        summary="Record a request for a Rapid Response Labor Panel (staff)",
        parameters=[CASE_ID],
        examples=[
            OpenApiExample(
                "Request",
                value={"requested_on": "2024-08-01", "secretariat_no": "MEX-USA-2024-31A-01"},
                request_only=True,
            ),
            PANEL_EXAMPLE,
        ],
    ),
)
class CasePanels(CaseScopedMixin, generics.ListCreateAPIView[Panel]):
    permission_classes = STAFF
    queryset = Panel.objects.none()  # the model, for the schema; requests use get_queryset
    serializer_class = PanelSerializer
    filterset_fields = ["determination"]
    search_fields = ["secretariat_no"]
    ordering_fields = ["requested_on", "id"]
    ordering = ["requested_on", "id"]

    def get_queryset(self) -> QuerySet[Panel]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Panel.objects.none()
        return Panel.objects.filter(case=self.get_case()).prefetch_related("verifications")

    def perform_create(self, serializer: BaseSerializer[Panel]) -> None:
        case = self.get_case()
        data = serializer.validated_data
        with dates_reported_on("requested_on"):
            serializer.instance = services.request_panel_for_case(
                case_id=case.case_id,
                on=data["requested_on"],
                secretariat_no=data.get("secretariat_no", ""),
                source_url="",
                user=self.request.user,
            )


@extend_schema_view(
    get=extend_schema(summary="Read a panel", parameters=[PANEL_ID], examples=[PANEL_EXAMPLE])
)
class PanelDetail(ScopedByCase, generics.RetrieveAPIView[Panel]):
    permission_classes = STAFF
    serializer_class = PanelSerializer
    lookup_url_kwarg = "panel_id"

    def get_queryset(self) -> QuerySet[Panel]:
        return self.visible(Panel.objects.prefetch_related("verifications"))


class PanelSteps(ScopedByCase, generics.GenericAPIView[Any]):
    permission_classes = STAFF
    serializer_class = PanelStepSerializer
    lookup_url_kwarg = "panel_id"

    def get_queryset(self) -> QuerySet[Panel]:
        return self.visible(Panel.objects.all())

    @extend_schema(
        summary="Record a panel step (staff)",
        description="constituted, basics_confirmed, verification, then determination (denial or no_denial).",
        parameters=[PANEL_ID],
        request=PanelStepSerializer,
        responses={201: PanelSerializer},
        examples=[
            OpenApiExample(
                "Constituted", value={"step": "constituted", "on": "2024-08-20"}, request_only=True
            ),
            PANEL_EXAMPLE,
        ],
    )
    def post(self, request: Request, panel_id: int) -> Response:
        panel = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on("on"):
            updated = services.record_panel_step(
                panel_id=panel.pk, user=request.user, **serializer.validated_data
            )
        return Response(PanelSerializer(updated).data, status=status.HTTP_201_CREATED)


REMEDY_EXAMPLE = OpenApiExample(
    "A remedy",
    value={
        "id": 1,
        "case": "us-mx-2024-planta-silao",
        "panel": 1,
        "kind": "suspend_preferential_tariff",
        "description": "Preferential tariff treatment suspended for the facility's goods.",
        "imposed_on": "2024-11-01",
        "lifted_on": None,
        "created_at": "2024-11-01T12:00:00Z",
    },
)


@extend_schema_view(
    get=extend_schema(summary="Remedies of a case", parameters=[CASE_ID], examples=[REMEDY_EXAMPLE]),
    post=extend_schema(
        summary="Record a remedy imposed after a panel's denial finding (staff)",
        parameters=[CASE_ID],
        examples=[REMEDY_EXAMPLE],
    ),
)
class CaseRemedies(CaseScopedMixin, generics.ListCreateAPIView[Remedy]):
    permission_classes = STAFF
    queryset = Remedy.objects.none()  # the model, for the schema; requests use get_queryset
    serializer_class = RemedySerializer
    filterset_fields = ["kind"]
    search_fields = ["description"]
    ordering_fields = ["imposed_on", "id"]
    ordering = ["imposed_on", "id"]

    def get_queryset(self) -> QuerySet[Remedy]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Remedy.objects.none()
        return Remedy.objects.filter(case=self.get_case()).select_related("case")

    def perform_create(self, serializer: BaseSerializer[Remedy]) -> None:
        case = self.get_case()
        with dates_reported_on("imposed_on"):
            serializer.instance = services.impose_remedy(
                case_id=case.case_id, values=serializer.validated_data, user=self.request.user
            )


@extend_schema_view(
    get=extend_schema(summary="Read a remedy", parameters=[REMEDY_ID], examples=[REMEDY_EXAMPLE]),
    patch=extend_schema(
        summary="Record that a remedy was lifted (staff)",
        parameters=[REMEDY_ID],
        examples=[
            OpenApiExample("Lifted", value={"lifted_on": "2025-02-01"}, request_only=True),
            REMEDY_EXAMPLE,
        ],
    ),
)
class RemedyDetail(ScopedByCase, generics.RetrieveUpdateAPIView[Remedy]):
    permission_classes = STAFF
    serializer_class = RemedyUpdateSerializer
    lookup_url_kwarg = "remedy_id"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Remedy]:
        return self.visible(Remedy.objects.select_related("case"))

    def perform_update(self, serializer: BaseSerializer[Remedy]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.update_remedy(
            remedy_id=serializer.instance.pk, values=serializer.validated_data
        )
