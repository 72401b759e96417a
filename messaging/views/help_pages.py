"""Public help pages: our messaging policy, which refusals link to (messaging.policy_page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from messaging.policy_page import SECTIONS


@require_safe
def messaging_policy(request: HttpRequest) -> HttpResponse:
    """Every rule in words, one section each, with the anchor refusals link to."""
    return render(request, "help/messaging_policy.html", {"sections": SECTIONS})
