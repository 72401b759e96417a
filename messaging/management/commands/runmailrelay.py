"""`manage.py runmailrelay --host H --port P`: the inbound SMTP server for the alias domain."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from messaging.email.relay import relay_connection_close, relay_controller


class Command(BaseCommand):
    help = "Run the inbound SMTP relay for the alias domain (SPEC section 5)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        controller = relay_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Mail relay listening on {host}:{port}")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            controller.stop()
            relay_connection_close()
