"""Development: `make run`. Safe defaults so a fresh clone runs with no configuration."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("INBOUND_EMAIL_TOKEN", "local-inbound-token")
os.environ.setdefault("CARRIER_EVENT_TOKENS", "ups=local-ups-token,dhl=local-dhl-token")

from pathlib import Path  # noqa: E402

from config.embedded_postgres import use_when_unset  # noqa: E402

# No DATABASE_URL: the embedded PostgreSQL under var/postgres (`make run` starts it first).
use_when_unset(Path(__file__).resolve().parent.parent.parent / "var" / "postgres")

from config.settings.base import *  # noqa: E402

# The demo domains' SPF, DKIM and DMARC records: mail sent to the relay from this machine as a
# demo address authenticates without internet.
MESSAGING_DNS_ZONE_FILE = env(
    "MESSAGING_DNS_ZONE_FILE", default=str(BASE_DIR / "demo" / "dns_zone.json")
)

VAR_DIR.mkdir(exist_ok=True)

# Outbound mail stays on this machine where a person can read it: one file per email under
# var/mail/ (and every email is listed in the admin's Outbound emails). EMAIL_URL overrides.
if "EMAIL_URL" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
