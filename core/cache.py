"""Django's Redis cache backend, with its Redis clients kept instead of built per operation.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and
redis-py fills ~170 response callbacks into each one it builds: ~0.14 ms a time, five times on a
case page (the session, presence, the R8 volume), measured in bench/README.md. One client per
connection pool does the same work: a `redis.Redis` takes a connection from its pool for each
command, so threads may share it, and the pool itself notices a fork and starts afresh.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property


class ReusedClientsRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # its private parts are not in django-stubs
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools are kept for good in self._pools
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES' BACKEND for a redis:// CACHE_URL."""

    @cached_property
    def _cache(self) -> ReusedClientsRedisCacheClient:
        django_cache: Any = self
        return ReusedClientsRedisCacheClient(django_cache._servers, **django_cache._options)
