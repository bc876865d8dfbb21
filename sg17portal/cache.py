"""The portal's cache: Redis, and the database while Redis does not answer.

Login rate limits, cached PDFs and pages live in the cache. When Redis is down every read and write goes to a
database cache table instead (for ``FALLBACK_SECONDS`` before Redis is tried again), so signing in keeps working
and the limits keep counting. Entries written during the outage stay in the table; once Redis is back the counts
start again there, which is at worst one more window of attempts.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
FALLBACK_SECONDS = 5.0

_down_until = 0.0
_lock = threading.Lock()


def _mark_down():
    global _down_until
    with _lock:
        if time.monotonic() >= _down_until:
            logger.warning("Redis does not answer; the cache uses the database for %s s.", FALLBACK_SECONDS)
        _down_until = time.monotonic() + FALLBACK_SECONDS


def redis_is_down() -> bool:
    return time.monotonic() < _down_until


class ReusedClients(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool instead of building one (with its
    table of ~170 response callbacks) for every cache operation: that was a third of a millisecond per operation,
    and a page served from the cache takes two. A ``redis.Redis`` is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class RedisWithDatabaseFallback(RedisCache):
    """A ``RedisCache`` whose every operation falls back to the cache named ``OPTIONS["FALLBACK"]``."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK", "fallback")
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 2)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClients

    @property
    def fallback(self):
        return caches[self._fallback_alias]

    def validate_key(self, key):
        """Redis takes any key: no warning of what memcached would refuse. Django's check reads every character of
        every key: about 2.5 µs a key, and a signed-in page reads 18. The database fallback checks the keys it is
        given itself."""

    def _either(self, name, *args, **kwargs):
        if not redis_is_down():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNAVAILABLE:
                _mark_down()
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def clear(self):
        return self._either("clear")
