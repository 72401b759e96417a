"""Development: `make run`. Safe defaults so a fresh clone runs with no configuration."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from config.settings.base import *  # noqa: E402

VAR_DIR.mkdir(exist_ok=True)
