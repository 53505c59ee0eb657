"""Browser sessions for the API: sign in and out, and who the caller is.

Signing in is CSRF-protected like any login form: GET sets the CSRF cookie, signed in or not (a signed-out
caller is told it is nobody: no username, no role); once signed in, DRF's session authentication asks
for the CSRF token on every write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from rrm.api.credentials import CredentialsSerializer, user_for_credentials
from rrm.api.fields import ChoiceField
from rrm.api.network import ScopedRateThrottleByAddress
from rrm.api.roles import AnyUser, is_administrator, is_case_officer, organisations_of
from rrm.api.tokens import credentials_exchange_schema, no_content_schema, revoke_presented_token


class OrganisationBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CallerSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(allow_null=True, help_text="Null when nobody is signed in.")
    roles = serializers.ListField(child=ChoiceField(["administrator", "case_officer", "petitioner"]))
    organisations = OrganisationBriefSerializer(many=True)


def describe(user: AnyUser) -> dict[str, Any]:
    if not user.is_authenticated:
        return {"username": None, "roles": [], "organisations": []}
    organisations = list(organisations_of(user).values("id", "name"))
    roles = [
        role
        for role, holds in (
            ("administrator", is_administrator(user)),
            ("case_officer", is_case_officer(user)),
            ("petitioner", bool(organisations)),
        )
        if holds
    ]
    return {"username": user.get_username(), "roles": roles, "organisations": organisations}


CALLER_EXAMPLE = OpenApiExample(
    "A petitioner",
    value={"username": "ana", "roles": ["petitioner"], "organisations": [{"id": 7, "name": "Sindicato"}]},
    response_only=True,
)


class SessionView(GenericAPIView[Any]):
    serializer_class = CredentialsSerializer
    throttle_scope = "token_requests"

    def get_permissions(self) -> Sequence[Any]:
        signing_in_or_asking = self.request.method in ("GET", "HEAD", "POST")
        return [AllowAny()] if signing_in_or_asking else super().get_permissions()

    def get_throttles(self) -> list[Any]:
        return [ScopedRateThrottleByAddress()] if self.request.method == "POST" else []

    @extend_schema(
        summary="Who the caller is, and the CSRF cookie",
        description="Sets the `csrftoken` cookie a browser sends back to sign in, even when signed out.",
        responses=CallerSerializer,
        examples=[
            CALLER_EXAMPLE,
            OpenApiExample(
                "Signed out", value={"username": None, "roles": [], "organisations": []}, response_only=True
            ),
        ],
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request: Request) -> Response:
        return Response(describe(request.user))

    @credentials_exchange_schema(
        summary="Sign in a browser",
        description="Starts a session (cookie); send the CSRF token of the `csrftoken` cookie with it.",
        answer=CallerSerializer,
        answer_example=CALLER_EXAMPLE,
    )
    @method_decorator(csrf_protect)
    def post(self, request: Request) -> Response:
        user = user_for_credentials(request)
        login(request._request, user)
        return Response(describe(user))

    @no_content_schema(
        summary="Sign out",
        description="Ends the session; a script signing out with its token revokes that token.",
    )
    def delete(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        revoke_presented_token(request)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
