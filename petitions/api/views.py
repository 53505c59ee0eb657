"""Endpoints of petition filing and of the ILC's screening.

A petition belongs to the organisations named as its petitioners: their members read and write it,
case officers read it once it is filed, nobody else learns it exists (404). Drafts change until
submitted; nothing is ever deleted (DELETE answers 405).
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from petitions import services
from petitions.api import examples, serializers
from petitions.models import Claim, Evidence, Petition, Petitioner, Screening
from petitions.selectors import facilities_open_to, petitions_of_member
from petitions.uploads import max_upload_bytes
from rrm.api import bases
from rrm.api import examples as rrm_examples
from rrm.api.roles import is_case_officer, organisations_of
from rrm.api.serializers import DatedStepSerializer, FacilitySerializer, TimelineEventSerializer
from rrm.models import Facility, TimelineEvent


def visible_petitions(user: Any) -> QuerySet[Petition]:
    """The petitions of the caller's organisations; for case officers, also every filed petition (a
    draft is its petitioners' alone until they file it)."""
    petitions = Petition.objects.select_related("facility", "facility__operator", "case")
    own = Q(pk__in=petitions_of_member(user).values("pk"))
    if is_case_officer(user):
        return petitions.filter(own | Q(status=Petition.Status.SUBMITTED))
    return petitions.filter(own)


PETITION = bases.record_route("petitions", "petition_id", "Petition id.", visible_to=visible_petitions)
CLAIM = bases.record_route("claims", "claim_id", "Claim id.", under=PETITION)


def owns_petition(user: Any, petition: Petition) -> bool:
    return petition.petitioners.filter(organisation__in=organisations_of(user)).exists()


class PetitionerWrites(BasePermission):
    """Reading for all who see the petition; writing for members of its petitioner organisations."""

    message = _("Only members of the petitioning organisations may change a petition or its evidence.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.method in SAFE_METHODS or owns_petition(request.user, _petition_of(obj))


def _petition_of(obj: Any) -> Petition:
    return obj if isinstance(obj, Petition) else obj.petition


class PetitionScopedMixin(bases.ParentScopedMixin):
    """Views under /petitions/{petition_id}/."""

    permission_classes = [IsAuthenticated, PetitionerWrites]
    parent_field = "petition"

    def get_petition(self) -> Petition:
        return cast(Petition, self.get_parent())


class FacilityList(bases.RecordList):
    """Facilities on record

    To name the covered facility of a petition; an unlisted one is given as new_facility.
    """

    route = bases.Route("facilities/", "facility-list")
    schema_examples = [examples.FACILITY_RECORD]
    serializer_class = FacilitySerializer
    queryset = Facility.objects.none()  # the model, for the schema; requests use get_queryset
    listing = bases.Listing(
        ["state", "sector", "subsector"], ["name", "operator__name", "city"], ["name", "city"]
    )

    def get_queryset(self) -> QuerySet[Facility]:
        return facilities_open_to(self.request.user)


def _facilities_open_to_caller(request: Any) -> QuerySet[Facility]:
    return facilities_open_to(request.user) if request is not None else Facility.objects.none()


class PetitionFilter(django_filters.FilterSet):
    # Only facilities the caller may name: any other id is refused like one that does not exist.
    facility = django_filters.ModelChoiceFilter(queryset=_facilities_open_to_caller)

    class Meta:
        model = Petition
        fields = ["status", "annex", "language", "anonymous", "facility"]


class PetitionList(bases.RecordListCreate):
    """Open a draft petition

    The organisation must be one the caller is a member of; it becomes the lead petitioner.
    """

    route = bases.Route("petitions/", "petition-list")
    read_summary = "Petitions of the caller's organisations (every filed one, for staff)"
    schema_examples = [examples.DRAFT, examples.PETITION]
    serializer_class = serializers.PetitionSerializer
    filterset_class = PetitionFilter
    listing = bases.Listing(
        search=["narrative", "facility__name", "case__case_id"],
        order_by=["created_at", "submitted_at", "updated_at"],
        default_order=["-created_at"],
    )

    def get_queryset(self) -> QuerySet[Petition]:
        return visible_petitions(self.request.user).prefetch_related("petitioners__organisation")

    def perform_create(self, serializer: BaseSerializer[Petition]) -> None:
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        lead_identity_confidential = data.pop("lead_identity_confidential", False)
        serializer.instance = services.create_draft(
            organisation=organisation,
            user=self.request.user,
            values=data,
            lead_identity_confidential=lead_identity_confidential,
        )


@extend_schema_view(
    delete=extend_schema(
        summary="Discard a draft",
        description="Deletes the draft with its claims and evidence; a filed petition answers 409.",
        responses={204: None},
    )
)
class PetitionDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Edit a draft petition

    Only drafts change (409 once submitted); only the petitioning organisations' members.
    """

    route = bases.Route("", "petition-detail", under=PETITION)
    http_method_names = [*bases.EditableRecord.http_method_names, "delete"]
    schema_examples = [examples.PETITION_FACTS, examples.PETITION]
    serializer_class = serializers.PetitionUpdateSerializer
    permission_classes = [IsAuthenticated, PetitionerWrites]

    def perform_update(self, serializer: BaseSerializer[Petition]) -> None:
        data = dict(serializer.validated_data)
        lead_identity_confidential = data.pop("lead_identity_confidential", None)
        assert serializer.instance is not None
        serializer.instance = services.update_draft(
            petition_id=serializer.instance.pk,
            values=data,
            lead_identity_confidential=lead_identity_confidential,
        )

    def delete(self, request: Request, petition_id: int) -> Response:
        services.discard_draft(petition_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PetitionSubmission(PetitionScopedMixin):
    route = bases.Route("submit/", "petition-submit", under=PETITION)
    serializer_class = serializers.PetitionSerializer

    @extend_schema(
        summary="Submit a draft",
        description=(
            "Checks what the ILC guidelines ask (docs/mechanism.md): the covered facility and the specific "
            "facts, and a contact unless anonymous; each gap answers 400 on its field. Opens the case at "
            "stage 'submitted' and subscribes the petitioners' active webhook endpoints to it."
        ),
        request=None,
        responses={200: serializers.PetitionSerializer},
        examples=[examples.PETITION],
    )
    def post(self, request: Request, petition_id: int) -> Response:
        petition = services.submit_petition(petition_id=self.get_petition().pk, user=request.user)
        return Response(serializers.PetitionSerializer(petition, context=self.get_serializer_context()).data)


class PetitionerList(PetitionScopedMixin, bases.RecordListCreate):
    """Add a co-petitioner

    Only an organisation the caller is also a member of: it will see the whole petition.
    """

    route = bases.Route("petitioners/", "petitioner-list", under=PETITION)
    read_summary = "Petitioners of a petition"
    schema_examples = [examples.CO_PETITIONER, examples.PETITIONER]
    queryset = Petitioner.objects.select_related("organisation")
    serializer_class = serializers.PetitionerSerializer
    listing = bases.Listing(
        ["role", "identity_confidential"], ["organisation__name"], ["id", "role"], default_order=["id"]
    )

    def perform_create(self, serializer: BaseSerializer[Petitioner]) -> None:
        data = serializer.validated_data
        serializer.instance = services.add_petitioner(
            petition=self.get_petition(),
            organisation=data["organisation"],
            identity_confidential=data.get("identity_confidential", False),
        )


class ClaimList(PetitionScopedMixin, bases.RecordListCreate):
    """Add a claim to a draft"""

    route = bases.Route("claims/", "claim-list", under=PETITION)
    read_summary = "Claims of a petition"
    schema_examples = [examples.CLAIM]
    queryset = Claim.objects.all()
    serializer_class = serializers.ClaimSerializer
    listing = bases.Listing(
        ["category", "confidential"], ["description"], ["began_on", "id"], default_order=["id"]
    )

    def perform_create(self, serializer: BaseSerializer[Claim]) -> None:
        serializer.instance = services.add_claim(
            petition_id=self.get_petition().pk, values=serializer.validated_data
        )


class ClaimDetail(PetitionScopedMixin, bases.EditableRecord):
    """Edit a claim of a draft"""

    route = bases.Route("", "claim-detail", under=CLAIM)
    schema_examples = [examples.CLAIM]
    queryset = Claim.objects.all()
    serializer_class = serializers.ClaimSerializer
    update_service = staticmethod(services.update_claim)


# Room for the form fields and multipart boundaries beside the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def refuse_oversized_request(request: Request) -> None:
    """Refuse by its declared length, before it is read, an upload that cannot be within the limit."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = max_upload_bytes()
    if declared > limit + MULTIPART_OVERHEAD_BYTES:
        raise RequestTooLarge(
            f"The request has {declared} bytes; evidence is limited to {limit} bytes a file."
        )


class EvidenceList(PetitionScopedMixin, bases.RecordListCreate):
    """Upload evidence

    multipart/form-data. The type is judged from the content (PDF, PNG, JPEG, UTF-8 plain text, DOCX,
    ODT); a disguised or oversized file answers 400 on `file` and nothing is stored. Evidence is
    confidential unless `confidential` is false.
    """

    route = bases.Route("evidence/", "evidence-list", under=PETITION)
    read_summary = "Evidence of a petition"
    schema_examples = [examples.EVIDENCE_UPLOAD, examples.EVIDENCE]
    queryset = Evidence.objects.all()
    serializer_class = serializers.EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "evidence_uploads"
    listing = bases.Listing(
        ["language", "confidential", "content_type"],
        ["title"],
        ["created_at", "title", "size"],
        default_order=["created_at"],
    )

    def get_throttles(self) -> list[Any]:
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        refuse_oversized_request(request)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Evidence]) -> None:
        data = serializer.validated_data
        serializer.instance = services.add_evidence(
            petition=self.get_petition(),
            upload=data["file"],
            title=data["title"],
            language=data["language"],
            confidential=data["confidential"],
            user=self.request.user,
        )


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    return Evidence.objects.filter(petition__in=visible_petitions(user)).select_related("petition")


EVIDENCE = bases.record_route("evidence", "evidence_id", "Evidence id.", visible_to=visible_evidence)


class EvidenceDetail(bases.VisibleRecordDetail, bases.EditableRecord):
    """Retitle evidence or change its language or confidentiality"""

    route = bases.Route("", "evidence-detail", under=EVIDENCE)
    read_summary = "Read evidence metadata"
    schema_examples = [examples.EVIDENCE_PUBLICATION, examples.EVIDENCE]
    serializer_class = serializers.EvidenceUpdateSerializer
    permission_classes = [IsAuthenticated, PetitionerWrites]
    update_service = staticmethod(services.update_evidence)


class EvidenceDownload(bases.VisibleRecordDetail):
    """The stored file, only to the petitioners and staff; always as an attachment, never rendered."""

    route = bases.Route("download/", "evidence-download", under=EVIDENCE)
    serializer_class = serializers.EvidenceSerializer

    @extend_schema(
        summary="Download evidence",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
        },
    )
    def get(self, request: Request, evidence_id: int) -> FileResponse:
        evidence = self.get_object()
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=f"evidence-{evidence.pk}.{str(evidence.file.name).rsplit('.', 1)[-1]}",
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


def _last_event(case_id: str) -> TimelineEvent:
    event = TimelineEvent.objects.filter(case__case_id=case_id).exclude(to_stage="").order_by("-id").first()
    assert event is not None
    return event


class CaseReceipt(bases.StepEndpoint):
    """Record OTLA's receipt of the petition (staff)

    Starts the ILC's 30-day clock and the screening; 409 unless the case is 'submitted'.
    """

    route = bases.Route("receipt/", "case-receipt", under=bases.CASE)
    schema_examples = [examples.RECEIPT, rrm_examples.TIMELINE_EVENT]
    serializer_class = serializers.ReceiptSerializer
    output_serializer_class = TimelineEventSerializer

    def record(self, data: dict[str, Any]) -> TimelineEvent:
        case_id = self.get_case().case_id
        services.record_receipt(case_id=case_id, user=self.request.user, **data)
        return _last_event(case_id)


class CaseIlcDetermination(bases.StepEndpoint):
    """Record the ILC's determination (staff)

    sufficient: the request for review is sent to Mexico the same day (Mexico's clocks start);
    insufficient: the petition is declined; resolved: closed without a request.
    """

    route = bases.Route("ilc-determination/", "case-ilc-determination", under=bases.CASE)
    schema_examples = [examples.ILC_DETERMINATION, examples.SCREENING_DETERMINED]
    serializer_class = serializers.IlcDeterminationSerializer
    output_serializer_class = serializers.ScreeningSerializer

    def record(self, data: dict[str, Any]) -> Screening | None:
        case_id = self.get_case().case_id
        return services.record_ilc_determination(case_id=case_id, user=self.request.user, **data)


class CaseScreening(bases.CaseScopedMixin):
    route = bases.Route("screening/", "case-screening", under=bases.CASE)
    serializer_class = serializers.ScreeningSerializer

    @extend_schema(
        summary="The ILC's screening of the case's petition",
        responses={200: serializers.ScreeningSerializer},
        examples=[examples.SCREENING_PENDING],
    )
    def get(self, request: Request, case_id: str) -> Response:
        screening = Screening.objects.filter(petition__case=self.get_case()).order_by("petition_id").first()
        if screening is None:
            raise Http404
        return Response(serializers.ScreeningSerializer(screening).data)


class PetitionerOrStaffWrites(BasePermission):
    message = _("Only the petitioners or case officers may withdraw a petition.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if is_case_officer(request.user):
            return True
        return Petition.objects.filter(
            case=obj, petitioners__organisation__in=organisations_of(request.user)
        ).exists()


PETITIONER_WITHDRAWAL = "Withdrawn by the petitioners."


class CaseWithdrawal(bases.StepEndpoint):
    """Withdraw the petition

    By its petitioners, or recorded by staff. A step of the workflow that closes the case (allowed
    while 'submitted' or at ILC review, else 409); the petition stays on record.
    """

    route = bases.Route("withdrawal/", "case-withdrawal", under=bases.CASE)
    schema_examples = [examples.WITHDRAWAL, rrm_examples.TIMELINE_EVENT]
    permission_classes = [IsAuthenticated, PetitionerOrStaffWrites]
    serializer_class = DatedStepSerializer
    output_serializer_class = TimelineEventSerializer

    def record(self, data: dict[str, Any]) -> TimelineEvent:
        case_id = self.get_case().case_id
        user = self.request.user
        # A petitioner's reasons stay with the petitioners: the timeline is public.
        reason = data["description"] if is_case_officer(user) else PETITIONER_WITHDRAWAL
        services.withdraw_petition(case_id=case_id, on=data["on"], reason=reason, user=user)
        return _last_event(case_id)
