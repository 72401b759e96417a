"""The language of the pages: buyers read them in their preferred language (issue 8 item 13);
sellers, staff and anonymous visitors read English.

The language is looked up once, when the user signs in (`user_logged_in`), and kept in the
session, so a page costs no query for it; changing it in the buyer's communication settings
updates the session at once. A session from before this existed gets it on its first request.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts.models import BuyerProfile, User
from accounts.selectors import user_role

LANGUAGE_SESSION_KEY = "page_language"


def page_language_for_user(*, user: User) -> str:
    """The buyer's preferred language; English for everyone else and for a buyer without a
    profile (one is created when they open their settings)."""
    if user_role(user=user) != "buyer":
        return settings.LANGUAGE_CODE
    language = (
        BuyerProfile.objects.filter(user_id=user.pk)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def _supported(language: object) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    return language if isinstance(language, str) and language in codes else settings.LANGUAGE_CODE


def page_language(request: HttpRequest) -> str:
    """The language of this request's pages, from the session (set at sign-in)."""
    if not request.user.is_authenticated:
        return settings.LANGUAGE_CODE
    language = request.session.get(LANGUAGE_SESSION_KEY)
    if language is None:
        language = page_language_for_user(user=request.user)
        request.session[LANGUAGE_SESSION_KEY] = language
    return _supported(language)


def page_language_remember(request: HttpRequest, language: str) -> None:
    """Use `language` from now on: for the rest of this request (its notices) and the next."""
    language = _supported(language)
    request.session[LANGUAGE_SESSION_KEY] = language
    request.LANGUAGE_CODE = language
    translation.activate(language)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """`user_logged_in` receiver: look the language up once per sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[LANGUAGE_SESSION_KEY] = page_language_for_user(user=user)


class PageLanguageMiddleware:
    """Activates the page language for the request (after the session and authentication
    middleware) and restores the previous one after, so nothing leaks into the next request or
    into code running after it in the same thread (tests, tasks)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        language = page_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
