"""R29: each step of a return is a marketplace notice to the buyer (messaging.notices receives the
OrderEvent the return services emit), queued once per step through the outbound email path."""

from decimal import Decimal

import pytest

from messaging.models import OutboundEmail
from orders.returns.services import (
    return_authorize,
    return_mark_received,
    return_refund,
    return_request,
)

pytestmark = pytest.mark.django_db


def test_r29_each_return_step_queues_a_notice_to_the_buyer(delivered_order, buyer, seller_owner):
    request = return_request(order=delivered_order, buyer=buyer, reason="damaged")
    return_authorize(return_request=request, actor=seller_owner)
    return_mark_received(return_request=request, actor=seller_owner)
    refund = return_refund(
        return_request=request,
        actor=seller_owner,
        amount=Decimal("12.50"),
        reason="GeneralAdjustment",
    )
    keys = set(
        OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ORDER_NOTICE).values_list(
            "idempotency_key", flat=True
        )
    )
    order_id = delivered_order.pk
    assert {
        f"notice:return_requested:{order_id}:{request.pk}",
        f"notice:return_authorized:{order_id}:{request.pk}",
        f"notice:return_received:{order_id}:{request.pk}",
        f"notice:refunded:{order_id}:{refund.pk}",
    } <= keys
    emails = OutboundEmail.objects.filter(idempotency_key__in=keys)
    assert {email.recipient for email in emails} == {buyer.email}
