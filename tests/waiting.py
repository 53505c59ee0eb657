"""Waiting for what another process does: a server to start, a worker to deliver, a log line."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_SECONDS = 0.1


def wait_until(
    condition: Callable[[], bool], *, what: str, timeout: float, error: type[Exception] = AssertionError
) -> None:
    """Return once condition() holds; raise `error` naming `what` when it does not within `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL_SECONDS)
    raise error(f"timed out after {timeout:g} s waiting for {what}")
