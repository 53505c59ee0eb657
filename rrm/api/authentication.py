"""How a script's API token authenticates a request (DEFAULT_AUTHENTICATION_CLASSES; rrm/api/tokens.py
issues and revokes the tokens). Apart from the views, which DRF imports after its settings."""

from __future__ import annotations

from typing import Any

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's, answering a token that is not UTF-8 with 401 (knox itself fails to decode it: 500)."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, AuthToken]:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Invalid token.") from error
        return super().authenticate_credentials(token)  # type: ignore[no-any-return]
