# The inbound SMTP relay on loopback, for the email-channel tests of sanctions.
from tests.messaging.email.conftest import relay  # noqa: F401
