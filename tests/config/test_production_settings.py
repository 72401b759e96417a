"""Issue 13: production has a real, shared cache (CACHE_URL, Redis) and keeps sessions in it
(cached_db: no session query per request, a cache flush signs nobody out); a process-local
cache never holds sessions. Settings are read in a fresh interpreter, as a server starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'cache': settings.CACHES['default'], 'session': settings.SESSION_ENGINE}))"
)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "not-secret-" + "x" * 50,
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/never_connected",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "EMAIL_URL": "smtp://127.0.0.1:1",
    "ALLOWED_HOSTS": "sellercentral.example.com",
}


def _settings(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    env.update(extra)
    return subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_cache_is_redis_from_cache_url_and_sessions_live_in_it():
    result = _settings(**PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read["cache"]["BACKEND"] == "core.cache.RedisCache"
    assert read["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert read["session"] == "django.contrib.sessions.backends.cached_db"


def test_production_refuses_to_start_without_cache_url():
    result = _settings(**PRODUCTION)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_local_without_cache_url_keeps_sessions_in_the_database():
    """LocMem is one cache per process: a session kept there would outlive its sign-out in
    another worker."""
    result = _settings(DJANGO_SETTINGS_MODULE="config.settings.local")
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert read["session"] == "django.contrib.sessions.backends.db"
