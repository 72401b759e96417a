import pytest

from messaging.email.relay import relay_connection_close, relay_controller
from scripts.processes import free_port


@pytest.fixture
def relay():
    """The inbound SMTP relay on a free loopback port, as `manage.py runmailrelay` runs it."""
    port = free_port()
    controller = relay_controller(host="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()
        relay_connection_close()
