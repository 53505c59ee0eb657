"""What the endpoints of every app share: the one description of each URL parameter, views scoped to
the object their URL names, and the bases of list, record and workflow step endpoints, each documented
by its docstring."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar, cast

import uritemplate
from django.db.models import Model, QuerySet
from django.urls import URLPattern, path
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from rrm.api.access import visible_cases
from rrm.api.errors import dates_reported_on
from rrm.api.permissions import CaseOfficerWrites
from rrm.api.roles import AnyUser
from rrm.models import Case

STAFF_WRITES = [IsAuthenticated, CaseOfficerWrites]
PATH_PARAMETERS: dict[str, OpenApiParameter] = {}
CONVERTER_TYPES = {"int": int, "slug": str}

Visibility = Callable[[AnyUser], QuerySet[Any]]


@dataclass(frozen=True)
class Record:
    """One record of a collection as its URL names it, e.g. panels/<int:panel_id>/, the prefix of the
    routes under it: `parameter` gives its `lookup` field, `visible_to` the records a user may reach
    (else 404), `outer` the record it hangs under."""

    path: str
    parameter: str
    lookup: str
    visible_to: Visibility | None
    outer: Record | None

    @property
    def outermost(self) -> Record:
        return self.outer.outermost if self.outer else self


def record_route(
    collection: str,
    parameter: str,
    description: str,
    *,
    visible_to: Visibility | None = None,
    under: Record | None = None,
    converter: str = "int",
    lookup: str = "pk",
) -> Record:
    """The record of a collection reached by `parameter`; the parameter is described here once, for
    every operation whose URL carries it."""
    kind = CONVERTER_TYPES[converter]
    PATH_PARAMETERS[parameter] = OpenApiParameter(
        parameter, kind, OpenApiParameter.PATH, description=description
    )
    prefix = under.path if under else ""
    return Record(f"{prefix}{collection}/<{converter}:{parameter}>/", parameter, lookup, visible_to, under)


CASE = record_route(
    "cases", "case_id", "Public case id.", visible_to=visible_cases, converter="slug", lookup="case_id"
)


@dataclass(frozen=True)
class Route:
    """Where a view answers: `rest` below the record it is `under` (by default the API's root), and the
    route's name."""

    rest: str
    name: str
    under: Record | None = None

    def pattern(self, view: type[Any]) -> URLPattern:
        prefix = self.under.path if self.under else ""
        return path(prefix + self.rest, view.as_view(), name=self.name)


def routes_of(views: ModuleType) -> list[URLPattern]:
    """The URL patterns of the views a module defines, in their order; each declares its `route`."""
    return [
        vars(view)["route"].pattern(view)
        for view in vars(views).values()
        if isinstance(view, type) and view.__module__ == views.__name__ and "route" in vars(view)
    ]


@dataclass(frozen=True)
class Listing:
    """What a list's query string filters on, searches and orders by, and its default order (by
    default its model's)."""

    filters: Sequence[str] = ()
    search: Sequence[str] = ()
    order_by: Sequence[str] = ()
    default_order: Sequence[str] | None = None

    @classmethod
    def in_order(cls, filters: Sequence[str], search: Sequence[str], order_by: Sequence[str]) -> Listing:
        """A listing ordered by default by the fields its query string may order by, in that order."""
        return cls(filters, search, order_by, default_order=order_by)

    def declare_on(self, view: type[Any]) -> None:
        """Sets the attributes that DRF's and django-filter's backends read."""
        options = {
            "filterset_fields": self.filters,
            "search_fields": self.search,
            "ordering_fields": self.order_by,
            "ordering": self.default_order,
        }
        for name, value in options.items():
            if value:
                setattr(view, name, list(value))


def generating_schema(view: Any) -> bool:
    """True while drf-spectacular describes the view: it has then no URL kwargs and no user."""
    return bool(getattr(view, "swagger_fake_view", False))


def answers_method(view: Any, request: Request) -> bool:
    """False for a method the view does not offer: that answers 405 whoever asks."""
    method = (request.method or "").lower()
    return method in view.http_method_names and hasattr(view, method)


class ApiSchema(AutoSchema):
    """Documents the parameters of an operation's URL as record_route described them, and describes
    the operation by its view's own docstring only: drf-spectacular's default (inspect.getdoc) falls
    back on a base view's docstring, which is written for the project's developers."""

    def get_description(self) -> str:  # type: ignore[override]
        return cast(str, super().get_description()) if type(self.view).__doc__ else ""

    def get_override_parameters(self) -> list[Any]:
        described = [
            PATH_PARAMETERS[name] for name in uritemplate.variables(self.path) if name in PATH_PARAMETERS
        ]
        return [*described, *super().get_override_parameters()]


class OperationSchema(ApiSchema):
    """Each operation is described by its own extend_schema alone: the view's docstring, which documents
    one of its operations, is not repeated on the others."""

    def get_description(self) -> str:  # type: ignore[override]
        return ""


class ApiView(generics.GenericAPIView[Any]):
    """The root of the case-management views, so that each documents its URL's parameters. A view
    declares its `route`, whose record it looks up by the route's parameter, and a list its `listing`."""

    schema = ApiSchema()
    route: ClassVar[Route]
    listing: ClassVar[Listing]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "listing" in vars(cls):
            cls.listing.declare_on(cls)
        record = cls.declared_record()
        if record is not None:
            cls.lookup_url_kwarg = record.parameter
            cls.lookup_field = record.lookup

    @classmethod
    def declared_record(cls) -> Record | None:
        """The record the class's own route is under, if it declares one."""
        return cls.route.under if "route" in vars(cls) else None


def documentation_of(view: type[Any]) -> tuple[str, str | None]:
    """The summary and description of an operation, from the view's docstring: a summary line, then
    the description."""
    summary, _, description = inspect.cleandoc(view.__doc__ or "").partition("\n\n")
    return summary, " ".join(description.split()) or None


def document_by_docstring(view: type[Any], method: str, *, read_by_summary: bool = False) -> None:
    """Documents `method` of the view by its docstring and, with `read_by_summary`, its GET by
    `read_summary`; each shows those of the view's `schema_examples` that fit it (a request-only example
    is not shown on a GET)."""
    summary, description = documentation_of(view)
    examples = list(view.schema_examples)
    operations = {method: extend_schema(summary=summary, description=description, examples=examples)}
    if read_by_summary:
        operations["get"] = extend_schema(summary=view.read_summary, examples=examples)
    extend_schema_view(**operations)(view)


class ParentScopedMixin(ApiView):
    """Views under the object their URL names (a case, a petition, a plan): the object is looked up
    among those the caller sees (else 404) and its permissions checked, once per request, before the
    body is read, so that a caller outside it gets 404 and one who may not change it 403 whatever the
    body says. The object is the outermost record of the view's route. The view's records are its
    queryset filtered on `parent_field`. Unless a view says otherwise, all who see the object read and
    case officers write."""

    permission_classes = STAFF_WRITES

    parents_visible_to: ClassVar[staticmethod[[AnyUser], QuerySet[Any]]]
    parent_url_kwarg: ClassVar[str]
    parent_lookup: ClassVar[str]
    parent_field: ClassVar[str]
    _parent: Model | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        record = cls.declared_record()
        if record is not None:
            parent = record.outermost
            assert parent.visible_to is not None, f"{cls.__name__}: {parent.path} names no visible records"
            cls.parents_visible_to = staticmethod(parent.visible_to)
            cls.parent_url_kwarg = parent.parameter
            cls.parent_lookup = parent.lookup

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if answers_method(self, request):
            self.get_parent()

    def get_parent(self) -> Any:
        if self._parent is None:
            parents = type(self).parents_visible_to(self.request.user)
            parent = generics.get_object_or_404(
                parents, **{self.parent_lookup: self.kwargs[self.parent_url_kwarg]}
            )
            self.check_object_permissions(self.request, parent)
            self._parent = parent
        return self._parent

    def get_queryset(self) -> QuerySet[Any]:
        records = super().get_queryset()
        if generating_schema(self):
            return records.none()
        return records.filter(**{self.parent_field: self.get_parent()})


class CaseScopedMixin(ParentScopedMixin):
    """Views under /cases/{case_id}/."""

    parent_field = "case"

    def get_case(self) -> Case:
        return cast(Case, self.get_parent())


class VisibleRecordDetail(ApiView):
    """Views of one record reached by its own id, the record of their route: only among those visible
    to the caller (else 404). Unless a view says otherwise, case officers write."""

    permission_classes = STAFF_WRITES
    visible_to: ClassVar[staticmethod[[AnyUser], QuerySet[Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        record = cls.declared_record()
        if record is not None:
            assert record.visible_to is not None, f"{cls.__name__}: {record.path} names no visible records"
            cls.visible_to = staticmethod(record.visible_to)

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).visible_to(self.request.user)


class StepSchema(OperationSchema):
    """A step's answer is described by its output serializer, under the step's success status."""

    def get_response_serializers(self) -> Any:
        view = cast(StepEndpoint, self.view)
        return {view.success_status: view.output_serializer_class}


class StepEndpoint(CaseScopedMixin):
    """POST records one workflow step of the URL's case: the body is validated by `serializer_class`,
    `service` runs with the case's id, the caller and the validated data, a date out of order with the
    case's timeline answers 400 on `date_field`, and the answer is what the service returned, through
    `output_serializer_class`. A step of another record, or whose service takes other arguments,
    overrides `record`. The docstring documents the step: a summary line, then the description."""

    schema = StepSchema()
    schema_examples: ClassVar[Sequence[OpenApiExample]] = ()
    service: ClassVar[Callable[..., Any]]
    output_serializer_class: ClassVar[type[BaseSerializer[Any]]]
    output_many: ClassVar[bool] = False
    date_field: ClassVar[str] = "on"
    success_status: ClassVar[int] = status.HTTP_201_CREATED

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        document_by_docstring(cls, "post")

    def record(self, data: dict[str, Any]) -> Any:
        return type(self).service(case_id=self.get_case().case_id, user=self.request.user, **data)

    def post(self, request: Request, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with dates_reported_on(self.date_field):
            result = self.record(dict(serializer.validated_data))
        if result is None:  # a step that leaves no record, e.g. a petition resolved without a request
            return Response({}, status=self.success_status)
        output = self.output_serializer_class(
            result, many=self.output_many, context=self.get_serializer_context()
        )
        return Response(output.data, status=self.success_status)


class EditableRecord(ApiView, generics.RetrieveUpdateAPIView[Any]):
    """GET and PATCH of one record named by its URL (records are never deleted): the change goes
    through `update_service`, called with the record's id, under the URL's name for it, and the
    validated values. The docstring documents the PATCH, `read_summary` the GET (by default "Read a"
    and the verbose name of the serializer's model)."""

    http_method_names = ["get", "patch", "head", "options"]
    schema = OperationSchema()
    update_service: ClassVar[staticmethod[..., Any]]
    read_summary: ClassVar[str]
    schema_examples: ClassVar[Sequence[OpenApiExample]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "read_summary" not in vars(cls):
            model = cast(Any, cls.serializer_class).Meta.model
            cls.read_summary = f"Read a {model._meta.verbose_name}"
        document_by_docstring(cls, "patch", read_by_summary=True)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        assert serializer.instance is not None
        record_id = {
            self.lookup_url_kwarg or self.lookup_field: getattr(serializer.instance, self.lookup_field)
        }
        serializer.instance = type(self).update_service(**record_id, values=serializer.validated_data)


class RecordList(ApiView, generics.ListAPIView[Any]):
    """GET lists records, documented by the docstring. Records come in their model's default order
    unless the view declares `ordering`; their examples are those of their serializer unless it
    declares `schema_examples`."""

    schema = OperationSchema()
    schema_examples: ClassVar[Sequence[OpenApiExample]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        document_by_docstring(cls, "get")


class RecordListCreate(ApiView, generics.ListCreateAPIView[Any]):
    """GET lists records, POST adds one. The docstring documents the POST, `read_summary` the GET.
    Records come in their model's default order unless the view declares `ordering`."""

    schema = OperationSchema()
    read_summary: ClassVar[str]
    schema_examples: ClassVar[Sequence[OpenApiExample]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        document_by_docstring(cls, "post", read_by_summary=True)
