"""Checking a username and password sent to the API (token and session sign-in) through the lock-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from rest_framework import serializers
from rest_framework.request import Request


class CredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


def user_for_credentials(request: Request) -> User:
    """The user the body's credentials name; 400 for wrong ones, without saying which part was wrong.

    The Django request goes to authenticate(), so that config.security.LoginLockout counts and refuses
    by the caller's address.
    """
    serializer = CredentialsSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if not isinstance(user, User):  # None: unknown username or wrong password
        raise serializers.ValidationError({"non_field_errors": ["Unknown username or wrong password."]})
    return user
