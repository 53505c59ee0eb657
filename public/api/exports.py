"""The bulk export's endpoints: the index of the current build's files, and each file."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from public import services
from public.api.views import PublicView


class ExportFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="File name.")
    url = serializers.URLField(help_text="Where to download it.")
    media_type = serializers.CharField(help_text="text/csv or application/vnd.sqlite3.")
    rows = serializers.IntegerField(help_text="Data rows (for the SQLite file, all tables).")
    bytes = serializers.IntegerField(help_text="Size.")
    sha256 = serializers.CharField(help_text="SHA-256 of the content.")


class ExportSerializer(serializers.Serializer):
    built_at = serializers.DateTimeField(allow_null=True, help_text="When the files were built.")
    build = serializers.IntegerField(allow_null=True, help_text="Build number.")
    rebuilding = serializers.BooleanField(help_text="A newer build is waiting or running.")
    datasette = serializers.CharField(help_text="How to browse the SQLite file.")
    files = ExportFileSerializer(many=True)


@extend_schema(
    summary="Bulk export",
    description=(
        "The whole public dataset as CSV files (one per table) and one SQLite file that opens in Datasette "
        "(`datasette rrm-public.sqlite3 --metadata metadata.json`), rebuilt by a background task after "
        "every change to the record; corrections.csv is the changelog of corrections."
    ),
    responses=ExportSerializer,
    tags=["public"],
)
class ExportIndex(PublicView):
    serializer_class = ExportSerializer
    pagination_class = None
    filter_backends: list[type] = []

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.answer(request, lambda: Response(self.index(request)))

    def index(self, request: Request) -> dict[str, Any]:
        build = services.latest_ready_build()
        files = [] if build is None else build.files
        return ExportSerializer(
            {
                "build": None if build is None else build.pk,
                "built_at": None if build is None else build.finished_at,
                "rebuilding": services.rebuild_waiting(),
                "datasette": "datasette rrm-public.sqlite3 --metadata metadata.json",
                "files": [
                    {
                        **entry,
                        "url": reverse("public:export-file", kwargs={"name": entry["name"]}, request=request),
                    }
                    for entry in files
                ],
            }
        ).data


@extend_schema(
    summary="One file of the bulk export",
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    tags=["public"],
)
class ExportFile(PublicView):
    pagination_class = None
    filter_backends: list[type] = []
    renderer_classes = [JSONRenderer]

    @extend_schema(operation_id="v1_public_export_file")
    def get(self, request: Request, name: str) -> HttpResponseBase:
        found = services.export_file(name)
        if found is None:
            raise Http404(f"No file named {name!r} in the current export; see /api/v1/public/export/.")
        path, entry, build = found
        etag = f'"{entry["sha256"]}"'
        assert build.finished_at is not None
        not_modified = get_conditional_response(
            request._request, etag=etag, last_modified=int(build.finished_at.timestamp())
        )
        response: HttpResponseBase = not_modified or FileResponse(
            path.open("rb"), content_type=entry["media_type"], as_attachment=True, filename=name
        )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(build.finished_at.timestamp())
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file answers with its own type whatever the Accept header says.
        return super().perform_content_negotiation(request, force=True)
