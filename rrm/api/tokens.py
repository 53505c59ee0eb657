"""API tokens for scripts, kept by django-rest-knox: only a hash of each token is stored, each login
issues a new one, valid for RRM_API_TOKEN_LIFETIME_HOURS. A token is revoked by its holder (this one,
or all of theirs), by signing out with it, and by its user's password change or deactivation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import pre_save
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rrm.api.credentials import CredentialsSerializer, user_for_credentials
from rrm.api.network import ScopedRateThrottleByAddress


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "rrm.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"`{knox_settings.AUTH_HEADER_PREFIX} <key>`, the key from /api/v1/auth/token/.",
        }


CREDENTIALS_EXAMPLE = OpenApiExample(
    "Credentials", value={"username": "ana", "password": "..."}, request_only=True
)
DecoratedT = TypeVar("DecoratedT", bound=Callable[..., Any])


def credentials_exchange_schema(
    *,
    summary: str,
    description: str,
    answer: type[serializers.Serializer[Any]],
    answer_example: OpenApiExample,
) -> Callable[[DecoratedT], DecoratedT]:
    """The schema of a sign-in: a username and password in, `answer` out."""
    return extend_schema(
        summary=summary,
        description=description,
        responses=answer,
        examples=[CREDENTIALS_EXAMPLE, answer_example],
    )


def no_content_schema(*, summary: str, description: str) -> Callable[[DecoratedT], DecoratedT]:
    """The schema of an operation that takes no body and answers 204 No Content."""
    return extend_schema(summary=summary, description=description, request=None, responses={204: None})


class IssuedTokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Shown in this response only: only its hash is stored.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class TokenRequest(GenericAPIView[Any]):
    """Exchange a username and password for a new API token (for scripts)."""

    serializer_class = CredentialsSerializer
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottleByAddress]
    throttle_scope = "token_requests"

    @credentials_exchange_schema(
        summary="Get a new API token",
        description=(
            "For scripts: send the token as `Authorization: Token <key>` until its expiry. Each call "
            "issues a new token; a password change or the revoke endpoints end them. Browsers use the "
            "session of the login page instead, with the CSRF token on every write."
        ),
        answer=IssuedTokenSerializer,
        answer_example=OpenApiExample(
            "Token",
            value={
                "token": "4f1c0e5b6a2d9e8f7c3b1a0d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
                "expiry": "2026-03-03T09:30:00-05:00",
            },
            response_only=True,
        ),
    )
    def post(self, request: Request) -> Response:
        instance, token = AuthToken.objects.create(user=user_for_credentials(request))
        return Response(IssuedTokenSerializer({"token": token, "expiry": instance.expiry}).data)


def revoke_presented_token(request: Request) -> bool:
    """Revoke the token the request authenticated with; False when it carried none (a session)."""
    if not isinstance(request.auth, AuthToken):
        return False
    request.auth.delete()
    return True


class TokenRevocation(APIView):
    @no_content_schema(
        summary="Revoke the token of this request",
        description="Send the token to revoke as `Authorization: Token <key>`; the caller's others stay.",
    )
    def post(self, request: Request) -> Response:
        if not revoke_presented_token(request):
            detail = "This request carries no token to revoke: send it as `Authorization: Token <key>`."
            return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AllTokensRevocation(APIView):
    @no_content_schema(
        summary="Revoke every token of the caller",
        description="Every script signed in with one of the caller's tokens must ask for a new one.",
    )
    def post(self, request: Request) -> Response:
        AuthToken.objects.filter(user_id=request.user.pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


CREDENTIAL_FIELDS = frozenset({"password", "is_active"})


def revoke_tokens_of_changed_credentials(
    sender: type[AbstractBaseUser], instance: AbstractBaseUser, update_fields: Any = None, **kwargs: Any
) -> None:
    """A user saved with another password than the stored one, or saved inactive, keeps no token.

    Compared with the stored row, so that every way of changing a password (admin, changepassword,
    set_password then save) counts; Django re-hashing a password at login with new hasher settings
    counts too.
    """
    if instance.pk is None or (update_fields is not None and not CREDENTIAL_FIELDS & set(update_fields)):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None:
        return
    if stored != instance.password or not instance.is_active:
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect_receivers() -> None:
    pre_save.connect(
        revoke_tokens_of_changed_credentials,
        sender=get_user_model(),
        dispatch_uid="rrm.api.tokens.revoke_tokens_of_changed_credentials",
    )
