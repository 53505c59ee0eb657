"""The project's Redis cache (public.cache.RedisCache) kept answering while Redis is unreachable.

While Redis cannot be reached, every call behaves as Django's DummyCache does: reads miss, writes are
dropped, add() reports success, incr() finds no key; the throttle's counter counts each request as the
first of its window. Pages and the public API are then computed afresh and callers are let through,
instead of every request failing with 500. A warning is logged at most once every
WARNING_INTERVAL_SECONDS per process.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from public.cache import RedisCache

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 30
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS:
        _last_warning = now
        logger.warning("Cache unreachable (%s: %s); answering without the cache.", operation, error)


class OutageTolerantRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _warn("get", error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            _warn("has_key", error)
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("add", error)
            return True

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("set", error)
            return None

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            _warn("set_many", error)
            return []

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            _warn("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _warn("delete", error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            _warn("delete_many", error)
            return None

    def clear(self) -> None:
        try:
            super().clear()
        except UNREACHABLE as error:
            _warn("clear", error)
            return None

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            _warn("incr", error)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from error

    def incr_with_expiry(self, key: str, timeout: int) -> int:
        try:
            return super().incr_with_expiry(key, timeout)
        except UNREACHABLE as error:
            _warn("incr_with_expiry", error)
            return 1
