"""The version of the public data: one token in the cache that every change to the record replaces.

Validators (ETag, Last-Modified), cached responses and cached statistics are all keyed by it, so a
change invalidates every cached entry at once, in every process that shares the cache (CACHE_URL must
point at Redis when several processes serve the API). The token is random: if the cache loses it, a
new one is made and nothing stale can match it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

VERSION_KEY = "public:data-version"
T = TypeVar("T")


@dataclass(frozen=True)
class DataVersion:
    token: str
    changed_at: dt.datetime

    def key(self, *parts: str) -> str:
        """A cache key that belongs to this version and to today (on which overdue verdicts depend)."""
        return f"public:{self.digest(*parts)}"

    def digest(self, *parts: str) -> str:
        material = "\x1f".join((self.token, timezone.localdate().isoformat(), *parts))
        return hashlib.sha256(material.encode()).hexdigest()[:40]

    @property
    def last_modified(self) -> dt.datetime:
        """When the data last changed, or midnight today if later: verdicts such as overdue change then."""
        midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
        return max(self.changed_at, midnight)


def _stored(value: object) -> DataVersion | None:
    if isinstance(value, tuple) and len(value) == 2:
        token, timestamp = value
        return DataVersion(str(token), dt.datetime.fromtimestamp(float(timestamp), tz=dt.UTC))
    return None


def current_version() -> DataVersion:
    return current_version_and()[0]


def current_version_and(*keys: str) -> tuple[DataVersion, dict[str, Any]]:
    """The version, and the cache entries under `keys`, read in one round trip."""
    found = cache.get_many([VERSION_KEY, *keys])
    version = _stored(found.pop(VERSION_KEY, None))
    if version is None:
        # Several processes may get here at once: add() keeps the first token, and all read it back.
        cache.add(VERSION_KEY, (uuid.uuid4().hex, _whole_second(timezone.now()).timestamp()), timeout=None)
        version = _stored(cache.get(VERSION_KEY)) or DataVersion(uuid.uuid4().hex, timezone.now())
    return version, found


def bump_version() -> DataVersion:
    """A new version; its time is at least one second after the previous one, so that Last-Modified
    (whole seconds in HTTP) always moves forward."""
    previous = _stored(cache.get(VERSION_KEY))
    changed_at = _whole_second(timezone.now())
    if previous is not None and changed_at <= previous.changed_at:
        changed_at = previous.changed_at + dt.timedelta(seconds=1)
    version = DataVersion(uuid.uuid4().hex, changed_at)
    cache.set(VERSION_KEY, (version.token, changed_at.timestamp()), timeout=None)
    return version


def _whole_second(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


# A computation another process holds the lock of is waited for this long at most, in these steps.
COMPUTE_LOCK_SECONDS = 300
WAIT_STEP_SECONDS = 0.05


def cached_or_computed(key: str, compute: Callable[[], T], *, seconds: int) -> T:
    """The value cached under `key`, or computed and cached by one process while the others wait.

    Statistics of a million cases take seconds; without the lock, every request that missed the cache
    at the same moment would compute them too, each slowing the others down.
    """
    if not seconds:
        return compute()
    value: T | None = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    give_up_at = time.monotonic() + COMPUTE_LOCK_SECONDS
    while not cache.add(lock, 1, timeout=COMPUTE_LOCK_SECONDS):
        time.sleep(WAIT_STEP_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if time.monotonic() > give_up_at:
            return compute()
    try:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value
    finally:
        cache.delete(lock)
