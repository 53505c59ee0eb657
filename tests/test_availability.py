"""503 only when the database cannot be reached; an error the database gave the request is a 500."""

from __future__ import annotations

import psycopg
import pytest
from django.db import Error, connection
from django.http import HttpResponse
from django.test import RequestFactory

from config.availability import DatabaseUnavailableMiddleware


def answer_to(driver_error: Exception) -> HttpResponse | None:
    """The middleware's answer to a view that hit `driver_error`, wrapped as Django wraps it."""
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/api/v1/cases/")
    with pytest.raises(Error) as raised, connection.wrap_database_errors:
        raise driver_error
    return middleware.process_exception(request, raised.value)


@pytest.mark.parametrize(
    "driver_error",
    [
        psycopg.OperationalError("server closed the connection unexpectedly"),
        psycopg.InterfaceError("the connection is closed"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.errors.ConnectionFailure("connection failure"),
    ],
)
def test_it_answers_503_when_the_database_cannot_be_reached(driver_error: Exception) -> None:
    response = answer_to(driver_error)
    assert response is not None
    assert (response.status_code, response["Retry-After"]) == (503, "5")


@pytest.mark.parametrize(
    "driver_error",
    [
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
    ],
)
def test_it_leaves_an_error_the_database_gave_the_request_to_the_500_handler(driver_error: Exception) -> None:
    assert answer_to(driver_error) is None
