"""Production: every secret and address comes from the environment, with no insecure default.

Required: SECRET_KEY, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis or RabbitMQ),
CACHE_URL (Redis), EMAIL_URL, ALLOWED_HOSTS. `manage.py check --deploy` is clean with these
settings.
"""

from config.settings.base import *  # noqa: F403

DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "core.postgresql"  # see config/settings/base.py
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# No JIT: see config/settings/base.py (it slows our short queries, bench/periodic.py).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
# The cache every web and worker process shares, e.g. redis://127.0.0.1:6379/1 (a database
# number apart from the broker's). base.py reads it into CACHES and, as it is shared, keeps
# sessions in it (cached_db: no session query per request, a cache flush signs nobody out).
env("CACHE_URL")
vars().update(env.email_url("EMAIL_URL"))
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# ---- SECURITY
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
