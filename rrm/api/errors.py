"""How the API answers errors: never a traceback, always a message a person can act on.

- invalid input: 400, `{field: [message, ...]}` (DRF validation, Django model validation, dates out
  of order with the case's timeline); a value outside a field's choices is refused naming the valid ones
  (rrm.api.fields);
- an illegal workflow step or another domain rule: 409, `{"detail": message}` naming the stage and
  the allowed steps;
- a row the database refuses as conflicting with stored data: 409 naming the rule;
- an object the URL names that the caller cannot see: 404, from the view's lookup (get_object,
  get_object_or_404). A missing row inside a service is a bug: it answers 500 and is logged.

Every error rolls back the request's transaction, so a rejected request stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from rrm.errors import DomainError, InvalidDate, InvalidTransition


@contextmanager
def dates_reported_on(field: str) -> Iterator[None]:
    """Report a date out of order with the case's timeline as a 400 on the field that carried it."""
    try:
        yield
    except InvalidDate as error:
        raise exceptions.ValidationError({field: [str(error)]}) from error


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    translated = _translate(exc)
    if isinstance(translated, Response):
        set_rollback()
        return translated
    return drf_exception_handler(translated, context)


def _translate(exc: Exception) -> Exception | Response:
    if isinstance(exc, InvalidTransition):
        body = {"detail": str(exc), "stage": exc.stage, "allowed": exc.allowed}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidDate):
        return exceptions.ValidationError({"non_field_errors": [str(exc)]})
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, IntegrityError):
        return Response(
            {
                "detail": gettext("The change conflicts with stored data (%(rule)s).")
                % {"rule": _constraint_name(exc)}
            },
            status=status.HTTP_409_CONFLICT,
        )
    return exc


def _constraint_name(exc: IntegrityError) -> str:
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    name = getattr(diag, "constraint_name", None)
    return str(name) if name else "a database rule"
