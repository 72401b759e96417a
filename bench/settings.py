"""The benchmark server's settings (bench/pages.py): production's, served over plain HTTP on
127.0.0.1, plus the floor page (bench/urls.py) and the query counter (bench/middleware.py).
Static files are not collected for a benchmark: the pages are measured without them."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
