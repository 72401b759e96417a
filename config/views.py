"""Our own answers to a failure: 503 while the database is unreachable, 500 for anything else.

Both render a standalone template with no request context, so neither touches the database (no
session, no user) nor runs any context processor.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

# Seconds a client is asked to wait before trying again while the database is down.
DATABASE_DOWN_RETRY_AFTER = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it for an exception no view or middleware handled (sessions and
    authentication reach the database before any view, so a process_exception would miss those)."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
