"""API keys on request: a name and an e-mail address in, a confirmation link out by e-mail; the link's
token, sent back, issues a key of the requested-key tier at once (shown in that answer only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.links import LinkError
from public import services
from public.api.throttles import KeyRequestThrottle


class KeyRequestSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=200, help_text="Who asks: a newsroom, a research group, a person."
    )
    email = serializers.EmailField(help_text="Where the confirmation link goes; never published.")


class KeyConfirmationSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=200, help_text="The token at the end of the e-mailed link.")


class IssuedKeySerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Shown in this answer only: only its hash is stored.")
    prefix = serializers.CharField(help_text="Start of the key, to name it to staff.")
    tier = serializers.CharField(help_text="Code of the key's throttle tier.")
    requests = serializers.IntegerField(help_text="Requests allowed per period.")
    period_seconds = serializers.IntegerField(help_text="Length of the period in seconds.")


def valid_body(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """The body's fields, 400 naming any field the endpoint does not take."""
    serializer = serializer_class(data=request.data)
    known = set(serializer.fields)
    unknown = sorted(set(request.data) - known)
    if unknown:
        valid = ", ".join(sorted(known))
        raise ValidationError(
            {name: [_("Unknown field; the valid fields are: %s.") % valid] for name in unknown}
        )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class KeyView(APIView):
    """Anyone, without credentials (so no CSRF check either), within the per-address count."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [KeyRequestThrottle]


class KeyRequests(KeyView):
    @extend_schema(
        summary="Ask for an API key",
        description=(
            "A confirmation link goes to the address; opening it (or POSTing its token to "
            "/api/v1/public/keys/confirmations/) issues a key of the default tier at once. Throttled per "
            "address (PUBLIC_API_KEY_REQUEST_RATE)."
        ),
        request=KeyRequestSerializer,
        responses={202: None},
        examples=[
            OpenApiExample("Request", value={"name": "Datos Abiertos MX", "email": "datos@example.org"})
        ],
    )
    def post(self, request: Request) -> Response:
        body = valid_body(KeyRequestSerializer, request)
        services.request_api_key(**body, language=get_language(), origin=request.build_absolute_uri("/"))
        detail = _("A confirmation link was sent to %(email)s: open it to get your key.") % body
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class KeyConfirmations(KeyView):
    @extend_schema(
        summary="Confirm a key request and get the key",
        description="The token of the e-mailed link; it works once. The key is in this answer only.",
        request=KeyConfirmationSerializer,
        responses={201: IssuedKeySerializer},
    )
    def post(self, request: Request) -> Response:
        body = valid_body(KeyConfirmationSerializer, request)
        try:
            api_key, key = services.confirm_api_key_request(token=body["token"])
        except LinkError as error:
            return Response({"token": [str(error)]}, status=error.status)
        issued = {
            "key": key,
            "prefix": api_key.prefix,
            "tier": api_key.tier.code,
            "requests": api_key.tier.requests,
            "period_seconds": api_key.tier.period_seconds,
        }
        return Response(IssuedKeySerializer(issued).data, status=status.HTTP_201_CREATED)
