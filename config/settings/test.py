"""pytest: the PostgreSQL server DATABASE_URL names, else the embedded one under var/postgres
(started for the run and stopped after it when none runs); Celery runs tasks eagerly (unless
CELERY_EAGER=false, for the worker the integration tests start)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "*")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path  # noqa: E402

from config.embedded_postgres import use_when_unset  # noqa: E402

use_when_unset(Path(__file__).resolve().parent.parent.parent / "var" / "postgres")

from config.settings.base import *  # noqa: E402

# Tests never ask real DNS: sender authentication reads this zone (tests/conftest.py points each
# test at it again; the dns_zone fixture of tests/messaging/email/mailauth.py writes others).
MESSAGING_DNS_ZONE_FILE = env(
    "MESSAGING_DNS_ZONE_FILE",
    default=str(BASE_DIR / "tests" / "messaging" / "email" / "dns_zone.json"),
)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run eagerly, in the test. The integration tests start a real worker with
# CELERY_EAGER=false and CELERY_BROKER_URL=redis://…; CELERY_BROKER_KEYPREFIX keeps one run's
# queues apart from another's on a shared Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://" if CELERY_TASK_ALWAYS_EAGER else env("CELERY_BROKER_URL")
if not CELERY_TASK_ALWAYS_EAGER and env("CELERY_BROKER_KEYPREFIX", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "global_keyprefix": env("CELERY_BROKER_KEYPREFIX"),
        # The worker-killed test shortens it, so an unacknowledged task comes back in seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    }
# The worker the integration tests start may send through an SMTP server the test runs.
if not CELERY_TASK_ALWAYS_EAGER and env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Nothing is collected in tests; whitenoise would warn about a missing STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# The live server answers each browser request in a thread of its own; persistent connections
# would outlive those threads and keep PostgreSQL from dropping the test database at the end. A
# worker process an integration test starts (and stops before the end) may keep them, as in
# production (CONN_MAX_AGE=60 in its environment).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
