from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Sends the strict Content Security Policy the product runs under (CONTENT_SECURITY_POLICY).

    Scripts come only from our own static files: no inline <script>, no on*= or hx-on handlers.
    Django 5.2 has no CSP support of its own (it arrives in 6.0).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


# Pages that show a conversation or an order: no cache, not even the browser's, may keep them.
NO_STORE_NAMESPACES = frozenset({"messaging", "orders"})


class PrivateCacheMiddleware:
    """A response to a signed-in user that says nothing of caching gets `Cache-Control: private`
    (no shared cache may keep it), and `private, no-store` on message and order pages
    (NO_STORE_NAMESPACES). A response with its own Cache-Control is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response or not _signed_in(request):
            return response
        match = request.resolver_match
        if match is not None and match.namespace in NO_STORE_NAMESPACES:
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # anonymous, known without loading a session
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# Charsets a form body may be sent in: what browsers send for our UTF-8 pages.
FORM_CHARSETS = frozenset({"utf-8", "utf8"})
FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class FormCharsetMiddleware:
    """A form body in another charset than UTF-8 (`charset=latin-1`, an unknown name) is answered
    400: Django would decode it on first access to request.POST and let the error escape as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        media_type, _, params = content_type.partition(";")
        if media_type.strip().lower() in FORM_CONTENT_TYPES:
            for param in params.split(";"):
                name, _, value = param.partition("=")
                if name.strip().lower() == "charset":
                    charset = value.strip().strip('"').lower()
                    if charset not in FORM_CHARSETS:
                        return HttpResponseBadRequest(
                            "Unsupported form charset: send the form in UTF-8.",
                            content_type="text/plain; charset=utf-8",
                        )
        return self.get_response(request)


# The widest integer a database column holds (a signed 64-bit one).
BIGGEST_DATABASE_INTEGER = 2**63 - 1


class AdminLookupRangeMiddleware:
    """A staff admin filter with an integer no column can hold (`?product=99999999999999999999999`)
    or with a NUL byte (`?status__exact=%00`, which PostgreSQL refuses in any text) is a value the
    database cannot compare with the column: the changelist's query fails and the page is a 500.
    Such a query string gets the admin's own answer to a lookup it cannot use, a redirect to
    `?e=1`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces or "e" in request.GET:
            return None
        for values in request.GET.lists():
            for value in values[1]:
                if "\x00" in value or any(_out_of_range(t) for t in value.split(",")):
                    return HttpResponseRedirect(f"{request.path}?e=1")
        return None


def _out_of_range(token: str) -> bool:
    token = token.strip()
    digits = token.removeprefix("-").removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        return False
    # Past 19 digits no need to convert (and Python refuses to convert past 4,300 digits).
    return len(digits) > 19 or int(digits) > BIGGEST_DATABASE_INTEGER


REQUEST_TOO_LARGE_TEXT = (
    "This request is too large: at most {limit} MB can be sent at once (for example ten "
    "attachments of 7 MB each). Please send fewer or smaller files."
)


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose declared body (Content-Length) is over
    REQUEST_BODY_MAX_BYTES, before anything reads the body.

    Django reads no more of a body than its Content-Length; the upload settings (files spooled
    to temporary files, DATA_UPLOAD_MAX_MEMORY_SIZE) bound what it holds in memory.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            response = HttpResponse(
                REQUEST_TOO_LARGE_TEXT.format(limit=limit // (1024 * 1024)),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
            # The unread body is still on the connection: the server must not reuse it.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
