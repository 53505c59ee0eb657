"""Routes of version 1 of the API; each app contributes its own router."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse


@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    return Response(
        {"schema": reverse("schema", request=request), "docs": reverse("swagger-ui", request=request)}
    )


urlpatterns = [path("", api_root, name="root")]
