"""The project's Redis cache backend: one client per process, an atomic window counter, and answers while
Redis is unreachable.

Django builds a new redis.Redis object for every cache call, and building one (its table of response
callbacks) costs more than the loopback round trip itself; Django's incr() also asks EXISTS first.
Every public request counts against its budget and reads the data version with its stored answer, so
both matter: the client is kept per process (redis.Redis is thread-safe; the pool is made lazily after
gunicorn forks), and the throttle counts with one INCR + EXPIRE NX transaction (Redis 7).

While Redis cannot be reached, OutageTolerantRedisCache behaves as Django's DummyCache does: reads miss,
writes are dropped, add() reports success, incr() finds no key; the throttle's counter counts each request
as the first of its window. Pages and the public API are then computed afresh and callers are let
through, instead of every request failing with 500. A warning is logged at most once every
WARNING_INTERVAL_SECONDS per process.
"""

from __future__ import annotations

import copy
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 30
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

_last_warning = 0.0

Method = TypeVar("Method", bound=Callable[..., Any])


class ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingClient

    def incr_with_expiry(self, key: str, timeout: int) -> int:
        """Add one to the counter `key`, which expires `timeout` seconds after its first count."""
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.incr(key)
        pipeline.expire(key, timeout, nx=True)
        count, _ = pipeline.execute()
        return int(count)


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS:
        _last_warning = now
        logger.warning("Cache unreachable (%s: %s); answering without the cache.", operation, error)


def _answering_while_unreachable(answer: Callable[..., Any]) -> Callable[[Method], Method]:
    """The cache method, answering `answer(*its arguments)` when Redis cannot be reached."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def tolerant(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _warn(method.__name__, error)
                return answer(*args, **kwargs)

        return tolerant  # type: ignore[return-value]

    return decorate


def _the_default(key: Any, default: Any = None, version: int | None = None) -> Any:
    return default


def _no_key(key: Any, delta: int = 1, version: int | None = None) -> int:
    raise ValueError(f"Key '{key}' not found (cache unreachable)")


def _constantly(value: Any) -> Callable[..., Any]:
    return lambda *args, **kwargs: copy.copy(value)


class OutageTolerantRedisCache(RedisCache):
    get = _answering_while_unreachable(_the_default)(RedisCache.get)
    get_many = _answering_while_unreachable(_constantly({}))(RedisCache.get_many)
    has_key = _answering_while_unreachable(_constantly(False))(RedisCache.has_key)
    add = _answering_while_unreachable(_constantly(True))(RedisCache.add)
    set = _answering_while_unreachable(_constantly(None))(RedisCache.set)
    set_many = _answering_while_unreachable(_constantly([]))(RedisCache.set_many)
    touch = _answering_while_unreachable(_constantly(False))(RedisCache.touch)
    delete = _answering_while_unreachable(_constantly(False))(RedisCache.delete)
    delete_many = _answering_while_unreachable(_constantly(None))(RedisCache.delete_many)
    clear = _answering_while_unreachable(_constantly(None))(RedisCache.clear)
    incr = _answering_while_unreachable(_no_key)(RedisCache.incr)
    # The first count of a window.
    incr_with_expiry = _answering_while_unreachable(_constantly(1))(RedisCache.incr_with_expiry)
