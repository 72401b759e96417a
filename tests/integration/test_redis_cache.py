"""core.cache.RedisCache, the production cache backend, on the real Redis: Django's backend
with its Redis clients kept instead of built per operation."""

import secrets
import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from core.cache import RedisCache


def _caches(redis_url: str) -> tuple[RedisCache, DjangoRedisCache]:
    params = {"KEY_PREFIX": f"sc-test-{secrets.token_hex(4)}"}
    return RedisCache(redis_url, params), DjangoRedisCache(redis_url, params)


def test_it_reads_and_writes_what_djangos_own_backend_does(redis_url):
    """Entries written before the switch (sessions, cached R8 volumes) are read as they were."""
    ours, django = _caches(redis_url)
    try:
        django.set("written-by-django", {"seller": 7, "volume": 1234}, timeout=30)
        assert ours.get("written-by-django") == {"seller": 7, "volume": 1234}
        ours.set_many({"a": 1, "b": [2, "two"]}, timeout=30)
        assert django.get_many(["a", "b"]) == {"a": 1, "b": [2, "two"]}
        assert ours.add("a", 99) is False
        ours.delete("a")
        assert django.get("a") is None
        assert ours.add("count", 1) is True
        assert ours.incr("count") == 2
        assert django.get("count") == 2
    finally:
        # Only this test's keys: clear() would empty the whole Redis database.
        ours.delete_many(["written-by-django", "a", "b", "count"])


def test_one_redis_client_serves_every_operation_and_thread(redis_url):
    ours, _ = _caches(redis_url)
    client = ours._cache.get_client()
    assert ours._cache.get_client(write=True) is client
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                ours.set(f"t{n}-{i}", (n, i), timeout=30)
                assert ours.get(f"t{n}-{i}") == (n, i)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert ours._cache.get_client() is client
    finally:
        ours.delete_many([f"t{n}-{i}" for n in range(6) for i in range(50)])
