from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """For annotations only: a request as django-htmx's middleware leaves it (`request.htmx`)."""

    htmx: HtmxDetails


def page_or_partial(request: HttpRequest, template: str, partial: str) -> str:
    """The page's template, or only its `partial` for an htmx swap.

    A history-restore request (back button after the cache expired) needs the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template
