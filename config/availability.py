"""Database errors that are not the code's fault, answered cleanly instead of with Django's 500 page:

- the database cannot be reached (restart, failover, lost connection): 503 with Retry-After; an
  error the database gave this request (a statement or lock timeout) is the code's to fix: 500;
- the request holds a value the database refuses to store or compare (a NUL character, a time zone
  offset or a number beyond PostgreSQL's range) that validation let through: 400.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
MESSAGE = "The database is unavailable for a moment; try again shortly."
DATA_MESSAGE = (
    "The request holds a value the database cannot store or compare (for example a NUL character, "
    "a time zone offset beyond ±15:59 or a number out of range); nothing was stored."
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DataError):
            logger.warning(
                "Value refused by the database for %s %s: %s", request.method, request.path, exception
            )
            return _answer(request, DATA_MESSAGE, status=400)
        if not database_unreachable(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        response = _answer(request, MESSAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


# SQLSTATEs of a server that cannot take the request now but may in a moment: a connection exception
# (class 08), a server shutting down or starting up (57P01 admin shutdown, 57P02 crash shutdown,
# 57P03 cannot connect now) and a full connection pool (53300). Other operational errors are answers
# to this request (57014 statement timeout or cancel, 55P03 lock timeout, 40P01 deadlock): retrying
# the same request may fail the same way, so they stay 500s and are logged as errors.
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unreachable(error: Exception) -> bool:
    """Whether the error means the database could not be reached, rather than refused this request."""
    if isinstance(error, InterfaceError):  # the connection was already closed
        return True
    if not isinstance(error, OperationalError):
        return False
    # No SQLSTATE: the driver lost or never had a connection (refused, reset, closed unexpectedly).
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(UNREACHABLE_SQLSTATES)


def _answer(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)
