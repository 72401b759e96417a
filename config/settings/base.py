"""Settings shared by every environment. Values come from the environment (django-environ).

See https://docs.djangoproject.com/en/5.2/ref/settings/ for each setting.
"""

from datetime import timedelta
from pathlib import Path

import environ  # type: ignore[import-untyped]  # ships neither types nor a py.typed marker
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    # OS environment variables take precedence over variables from .env
    env.read_env(str(BASE_DIR / ".env"))

# ---- CORE
SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "axes",
    # Our apps, lowest layer first (the import-linter contract in pyproject.toml keeps it).
    "accounts",
    "orders",
    "cases",
    "templates_app",
    "messaging",
    "demo",
]

MIDDLEWARE = [
    # First: a body over REQUEST_BODY_MAX_BYTES is answered 413 before anything reads it.
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A form body in a charset other than UTF-8 is a 400, before anything reads request.POST.
    "config.middleware.FormCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Buyers' pages in their preferred language, everyone else's in English (accounts/language.py).
    "accounts.language.PageLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Signed-in pages: Cache-Control private, and no-store on message and order pages.
    "config.middleware.PrivateCacheMiddleware",
    # An admin filter with an integer no column holds gets the admin's `?e=1`, not a 500.
    "config.middleware.AdminLookupRangeMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# ---- CONTENT SECURITY POLICY
# Scripts and styles only from our static files. Images: ours and Bootstrap's data: icons only.
# Remote images in HTML messages are not loaded (their alt text shows): a remote image would tell
# its sender when and from which IP address the other party read the message.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)

# ---- DATABASE
# PostgreSQL only. DATABASE_URL names the server (production, CI); `make run` and `make test`
# set it to an embedded server under var/ when it is unset (config/embedded_postgres.py).
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must name a PostgreSQL database (postgres://user@host:port/name): "
        "PostgreSQL is the only database this project runs on."
    )
# Django's backend, its timestamps read by psycopg's C loader (core/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "core.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles the inbox-summary and metrics queries anew each time; measured in
# bench/periodic.py it cost ~1.3 s of every 1.4 s refresh of 1,000 cases. Our queries are short
# OLTP ones that it never speeds up.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# ---- CACHE AND SESSIONS
# https://docs.djangoproject.com/en/5.2/topics/cache/ · CACHE_URL, e.g. redis://127.0.0.1:6379/1
# (Django's own Redis backend; the redis client comes with celery[redis]). Default: this
# process's memory (LocMem), enough for `make run`.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Django's own backend (django-environ would pick django-redis if it happened to be
    # installed), keeping its Redis clients instead of building one per operation (core/cache.py).
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
# A signed-in request reads its session from the cache instead of the database (no query).
# cached_db rather than cache: sessions are still written to the database, so flushing or
# losing the cache (a Redis restart) signs nobody out; a miss reads the row once and caches it.
# Only on a cache all processes share: with one LocMem per process, a sign-out in one worker
# would leave the session alive in another worker's memory.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
    else "django.contrib.sessions.backends.cached_db"
)

# ---- AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- LOGIN THROTTLING (django-axes, both /accounts/login/ and /admin/login/)
# A sign-in is refused after LOGIN_FAILURE_LIMIT failures for one account or from one address,
# until LOGIN_COOLOFF_MINUTES have passed; staff unlock earlier in the admin (Axes › Access
# attempts: delete the row). The axes backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that reads a member's seller with the user (one query fewer per page).
    "accounts.backends.UserWithSellerBackend",
    # Sessions signed in before it keep working until they sign in again.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Both login forms post the email as "username" (USERNAME_FIELD is "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.client_ip"
# Behind a reverse proxy: the META key of the header it appends the client address to (e.g.
# HTTP_X_FORWARDED_FOR) and how many proxies append to it; empty = REMOTE_ADDR.
LOGIN_CLIENT_IP_HEADER = env("LOGIN_CLIENT_IP_HEADER", default="")
LOGIN_TRUSTED_PROXY_COUNT = env.int("LOGIN_TRUSTED_PROXY_COUNT", default=1)

# ---- I18N
# Buyer pages follow the buyer's preferred language (accounts.language); sellers, staff and
# anonymous visitors read English. The catalogs are locale/<lang>/LC_MESSAGES/django.po, compiled
# to .mo files by `make setup` (compilemessages); the .mo files are not committed.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---- STATIC AND MEDIA
# Front-end packages come from npm (package.json + package-lock.json) into node_modules/ and are
# served from there by staticfiles/whitenoise: nothing third-party is committed, no CDN.
STATIC_URL = "static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
# Attachments live here and are never served from a public URL (views check the parties).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ---- FORMS
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---- EMAIL
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@alphadiscounters.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails point (one-click actions, confirmations, the case page).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The inbound webhook (POST /email/inbound/) answers only this bearer token; empty disables it.
INBOUND_EMAIL_TOKEN = env("INBOUND_EMAIL_TOKEN", default="")
# Carriers' delivery events (POST /carriers/events/): one bearer token per carrier, e.g.
# "ups=…,dhl=…" (keys: orders.shipping.models.Carrier values); empty turns the endpoint off.
CARRIER_EVENT_TOKENS = env.dict("CARRIER_EVENT_TOKENS", default={})
# The largest inbound mail, by either channel: the SMTP relay's SIZE and the webhook's body cap.
# A 7 MB attachment (R13) grows by a third in base64, with the text and headers besides.
MESSAGING_RELAY_MAX_BYTES = env.int("MESSAGING_RELAY_MAX_BYTES", default=16 * 1024 * 1024)
# Sender authentication of inbound mail (messaging/email/authentication): a mail counts as from
# its From address when DMARC passes; for a domain with no DMARC record, "aligned" accepts an
# SPF or DKIM pass for the From's organizational domain, "refuse" accepts nothing.
MESSAGING_AUTH_WITHOUT_DMARC = env("MESSAGING_AUTH_WITHOUT_DMARC", default="aligned").lower()
if MESSAGING_AUTH_WITHOUT_DMARC not in ("aligned", "refuse"):
    raise ImproperlyConfigured("MESSAGING_AUTH_WITHOUT_DMARC must be aligned or refuse")
# The webhook's mail service: its Authentication-Results header with this authserv-id (the
# topmost one only) is taken as the check; empty: the webhook checks DKIM itself.
MESSAGING_TRUSTED_AUTHSERV_ID = env("MESSAGING_TRUSTED_AUTHSERV_ID", default="")
# A JSON zone file answering every DNS lookup of those checks (tests, the demo); empty: real DNS.
MESSAGING_DNS_ZONE_FILE = env("MESSAGING_DNS_ZONE_FILE", default="")
# Automatic emails (bounce-backs, Messaging Permissions confirmations) to any one address: at
# most this many an hour and a day; more are kept in the outbox as "suppressed", not sent, so
# nobody can make us flood an address (backscatter).
MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = env.int("MESSAGING_AUTOMATIC_EMAILS_PER_HOUR", default=5)
MESSAGING_AUTOMATIC_EMAILS_PER_DAY = env.int("MESSAGING_AUTOMATIC_EMAILS_PER_DAY", default=20)

# ---- CELERY
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# Default: kombu's filesystem transport under var/, so `make run` needs no broker server.
# Production: redis://host:6379/0 (the redis client is installed through celery[redis]) or
# amqp://user:password@host:5672/vhost for RabbitMQ.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu 5.7 keeps its exchange tables in ./control unless told otherwise.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis hands an unacknowledged task (acks_late) to another worker after this long: it must
    # outlast the longest task and the longest retry countdown (10 minutes), or a task runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
    }
# RabbitMQ (amqp://user:password@host:5672/vhost) needs nothing more: the amqp client ships
# with Celery. A worker started before its broker keeps trying to connect.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup closes every database connection before and after every task unless this
# is set, and then only every this many tasks; config/celery.py instead drops a connection that
# is broken or older than CONN_MAX_AGE around each task, as Django does around each request. A
# new PostgreSQL connection per task was most of the cost of an inbound mail (bench/inbound.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# ---- MESSAGING
# R1: every alias is exactly 35 characters including this domain.
MESSAGING_ALIAS_DOMAIN = env("MESSAGING_ALIAS_DOMAIN", default="m.alphadiscounters.com")
MESSAGING_ALIAS_LENGTH = 35
MESSAGING_ALIAS_MIN_RANDOM_CHARS = 10

# ---- LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# R13: attachments up to 7 MB each (7 × 1024 × 1024 bytes).
MESSAGING_ATTACHMENT_MAX_BYTES = env.int("MESSAGING_ATTACHMENT_MAX_BYTES", default=7 * 1024 * 1024)
MESSAGING_ATTACHMENTS_PER_MESSAGE = 10
# Uploads: files past FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file, never held
# in memory; form fields other than files may take DATA_UPLOAD_MAX_MEMORY_SIZE together. A
# request body larger than REQUEST_BODY_MAX_BYTES (default: 10 attachments of 7 MB plus 2 MB
# for the rest of the form) is refused with 413 before it is read (config.middleware); the
# reverse proxy should refuse it even earlier (README, "Production").
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES",
    default=MESSAGING_ATTACHMENTS_PER_MESSAGE * MESSAGING_ATTACHMENT_MAX_BYTES + 2 * 1024 * 1024,
)
# R10: auto-close after this many days without buyer or seller activity; Resolved cases sooner.
CASE_AUTO_CLOSE_DAYS = env.int("CASE_AUTO_CLOSE_DAYS", default=14)
CASE_RESOLVED_CLOSE_DAYS = env.int("CASE_RESOLVED_CLOSE_DAYS", default=3)
# The 24-hour response target shown in the inbox and measured by R21.
MESSAGING_RESPONSE_TARGET_HOURS = 24
# Issue 14, the team inbox: open inbox and case pages ask "what changed?" this often (seconds),
# and a member's "is viewing / replying" expires this long after their page last asked.
MESSAGING_LIVE_POLL_SECONDS = env.float("MESSAGING_LIVE_POLL_SECONDS", default=10)
MESSAGING_PRESENCE_SECONDS = env.int("MESSAGING_PRESENCE_SECONDS", default=30)
