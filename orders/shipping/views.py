import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from orders import selectors
from orders.shipping.forms import ConfirmShipmentForm
from orders.shipping.rules import shipment_status_refusal
from orders.shipping.services import (
    UnknownTrackingNumber,
    carrier_event_record,
    order_confirm_shipment,
)

CARRIER_EVENT_MAX_BYTES = 16 * 1024
EVENT_ID_MAX_LENGTH = 100
STATUS_MAX_LENGTH = 20


@require_http_methods(["GET", "HEAD", "POST"])
@seller_required
def order_confirm_shipment_page(request: SellerRequest, number: str) -> HttpResponse:
    order = get_object_or_404(
        selectors.order_scope_for_seller(seller=request.seller), number=number
    )
    refusal = shipment_status_refusal(order)
    form = ConfirmShipmentForm(
        request.POST if request.method == "POST" and not refusal else None,
        initial={"ship_date": timezone.now().date()},
    )
    if form.is_bound and form.is_valid():
        try:
            order_confirm_shipment(order=order, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                refusal = error.messages[0]
        else:
            return redirect("orders:order_detail", order.number)
    form.mark_invalid()
    refused = request.method == "POST" and (refusal or form.errors)
    return render(
        request,
        "orders/shipping/confirm_shipment.html",
        {"order": order, "form": form, "refusal": refusal},
        status=400 if refused else 200,
    )


def _carrier_for_token(request: HttpRequest) -> str | None:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip().encode()
    found = None
    for carrier, token in settings.CARRIER_EVENT_TOKENS.items():
        # Every token compared, whichever matches: the time says nothing about which.
        if token and hmac.compare_digest(given, str(token).encode()) and given:
            found = carrier
    return found


def _bad(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _event_fields(payload: Any) -> tuple[str, str, str, Any] | str:
    """(event_id, tracking_number, status, occurred_at) or what is wrong, in words."""
    if not isinstance(payload, dict):
        return "Send a JSON object."
    values = {}
    for name in ("event_id", "tracking_number", "status", "occurred_at"):
        value = payload.get(name)
        if not isinstance(value, str) or not value.strip():
            return f"{name} is required (a string)."
        values[name] = value.strip()
    if len(values["event_id"]) > EVENT_ID_MAX_LENGTH:
        return f"event_id has at most {EVENT_ID_MAX_LENGTH} characters."
    if len(values["status"]) > STATUS_MAX_LENGTH:
        return f"status has at most {STATUS_MAX_LENGTH} characters."
    try:
        occurred_at = parse_datetime(values["occurred_at"])
    except ValueError:
        occurred_at = None
    if occurred_at is None or timezone.is_naive(occurred_at):
        return "occurred_at must be an ISO 8601 time with its offset, e.g. 2026-12-08T10:00:00Z."
    return values["event_id"], values["tracking_number"], values["status"].lower(), occurred_at


# Its own transaction (the service's), not the request's: the answer follows the commit.
@transaction.non_atomic_requests
@csrf_exempt
@require_POST
def carrier_events(request: HttpRequest) -> JsonResponse:
    """POST a carrier's event as JSON with `Authorization: Bearer <the carrier's token>`.
    200 with what it did (the same answer again for a repeated event_id, nothing changed);
    404 for a tracking number no shipment of that carrier has; 400 for a malformed event."""
    carrier = _carrier_for_token(request)
    if carrier is None:
        return _bad("A valid carrier bearer token is required.", status=401)
    if len(request.body) > CARRIER_EVENT_MAX_BYTES:
        return _bad("The event is too large.", status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad("Send the event as JSON.")
    fields = _event_fields(payload)
    if isinstance(fields, str):
        return _bad(fields)
    event_id, tracking_number, status, occurred_at = fields
    try:
        outcome = carrier_event_record(
            carrier=carrier,
            event_id=event_id,
            tracking_number=tracking_number,
            status=status,
            occurred_at=occurred_at,
        )
    except ValidationError:
        return _bad("tracking_number is not a tracking number.")
    except UnknownTrackingNumber:
        return _bad("No shipment has this tracking number.", status=404)
    return JsonResponse(
        {
            "event_id": event_id,
            "result": outcome.result,
            "orders_delivered": outcome.delivered,
            "repeat": outcome.repeat,
        }
    )
