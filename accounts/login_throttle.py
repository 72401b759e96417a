"""Login brute-force protection (django-axes): the client address behind a proxy, and the
lockout answer shown on the login page itself."""

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.forms import EmailAuthenticationForm

LOCKED_OUT_MSG = (
    "Too many failed sign-in attempts. Sign-in is paused for {minutes} minutes for this account "
    "and this address; try again later, or ask AlphaDiscounters support to unlock it."
)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    entry those proxies appended to LOGIN_CLIENT_IP_HEADER (counted from the right, so a client
    cannot choose its own address by sending the header itself)."""
    header = settings.LOGIN_CLIENT_IP_HEADER
    count = settings.LOGIN_TRUSTED_PROXY_COUNT
    if header and count > 0:
        entries = [e.strip() for e in request.META.get(header, "").split(",") if e.strip()]
        if entries:
            return entries[-min(count, len(entries))]
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKED_OUT_MSG.format(minutes=minutes)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The login page the sign-in came from (ours or the admin's), its form carrying the
    lockout message instead of "wrong password", answered 429."""
    message = locked_out_message()
    context: dict[str, Any] | None = getattr(original_response, "context_data", None)
    template = getattr(original_response, "template_name", None)
    if context is None or template is None or "form" not in context:
        template, context = "accounts/login.html", {"form": EmailAuthenticationForm(request)}
    form = context["form"]
    form.errors[NON_FIELD_ERRORS] = form.error_class([message])
    response = TemplateResponse(request, template, context, status=429)
    response.render()  # the middleware above this one reads its content
    return response
