from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
