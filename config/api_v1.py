"""Routes of version 1 of the API; each app contributes its own routes."""

from django.urls import include, path
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from rrm.api.session import SessionView
from rrm.api.tokens import AllTokensRevocation, TokenRequest, TokenRevocation


@extend_schema(
    summary="Where the API's schema and documentation are",
    responses=inline_serializer(
        "ApiRoot", {"schema": serializers.URLField(), "docs": serializers.URLField()}
    ),
    examples=[
        OpenApiExample(
            "Root",
            value={
                "schema": "https://rrm.example.org/api/schema/",
                "docs": "https://rrm.example.org/api/docs/",
            },
        )
    ],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    return Response(
        {"schema": reverse("schema", request=request), "docs": reverse("swagger-ui", request=request)}
    )


urlpatterns = [
    path("", api_root, name="root"),
    path("auth/token/", TokenRequest.as_view(), name="auth-token"),
    path("auth/token/revoke/", TokenRevocation.as_view(), name="auth-token-revoke"),
    path("auth/token/revoke-all/", AllTokensRevocation.as_view(), name="auth-token-revoke-all"),
    path("auth/session/", SessionView.as_view(), name="auth-session"),
    path("", include("rrm.api.urls")),
    path("", include("petitions.api.urls")),
    path("", include("remediation.api.urls")),
    path("public/", include("public.urls")),
]
