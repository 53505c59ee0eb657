"""Django's Redis cache backend, reusing its redis.Redis client, with an atomic window counter.

Django builds a new redis.Redis object for every cache call, and building one (its table of response
callbacks) costs more than the loopback round trip itself; Django's incr() also asks EXISTS first.
Every public request counts against its budget and reads the data version with its stored answer, so
both matter: the client is kept per process (redis.Redis is thread-safe; the pool is made lazily after
gunicorn forks), and the throttle counts with one INCR + EXPIRE NX transaction (Redis 7).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


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
