"""R8 on the pages: "N of M messages left today" reads the count of today's delivered messages
from the cache, and it changes the moment a message of the seller is delivered. The send funnel
itself always counts afresh (seller_daily_allowance)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.models import Direction, Message, Outcome
from messaging.sending import selectors, services
from orders.models import OrderStatus
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

LEFT = re.compile(r'id="messages-left"><strong>(\d+)</strong> of (\d+) messages left today')


def _contact_buyer(seller, owner, **order):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED, **order)
    draft = services.Draft(
        body_text="Please confirm your size.", contact_reason="additional_information"
    )
    return services.message_send(sender=owner, order=order, draft=draft)


def _sent_counts(captured) -> int:
    sql = [" ".join(query["sql"].split()) for query in captured]
    return sum("SELECT COUNT(*) FROM messaging_message" in text for text in sql)


def test_r8_the_case_page_line_drops_the_moment_a_message_is_delivered(
    seller, seller_owner, django_capture_on_commit_callbacks
):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(seller_owner)
    url = reverse("messaging:case_detail", args=[case.pk])
    left, limit = map(int, LEFT.search(client.get(url).text).groups())
    assert (left, limit) == (600, 600)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(
            sender=seller_owner, case=case, draft=services.Draft(body_text="On its way.")
        )
    assert LEFT.search(client.get(url).text).groups() == ("599", "600")
    with django_capture_on_commit_callbacks(execute=True):
        _contact_buyer(seller, seller_owner)
    assert LEFT.search(client.get(url).text).groups() == ("598", "600")


def test_r8_the_pages_count_once_while_nothing_is_delivered(seller, seller_owner):
    _contact_buyer(seller, seller_owner)
    with CaptureQueriesContext(connection) as first:
        assert selectors.seller_messages_left_today(seller=seller) == (599, 600)
    with CaptureQueriesContext(connection) as second:
        assert selectors.seller_messages_left_today(seller=seller) == (599, 600)
    assert _sent_counts(first.captured_queries) == 1
    assert _sent_counts(second.captured_queries) == 0
    # The funnel counts afresh every time, cached or not.
    with CaptureQueriesContext(connection) as funnel:
        assert selectors.seller_daily_allowance(seller=seller)[0] == 1
    assert _sent_counts(funnel.captured_queries) == 1


def test_r8_a_blocked_message_is_not_delivered_and_leaves_the_count(
    seller, seller_owner, django_capture_on_commit_callbacks
):
    assert selectors.seller_messages_left_today(seller=seller) == (600, 600)
    opted_out = BuyerFactory()
    opted_out.buyer_profile.opted_out_of_unsolicited = True
    opted_out.buyer_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = _contact_buyer(seller, seller_owner, buyer=opted_out)
    assert message.outcome == Outcome.BLOCKED
    assert selectors.seller_messages_left_today(seller=seller) == (600, 600)
    assert selectors.seller_daily_allowance(seller=seller)[0] == 0


def test_r8_one_sellers_cached_count_never_shows_for_another(
    seller, seller_owner, other_seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _contact_buyer(seller, seller_owner)
    assert selectors.seller_messages_left_today(seller=seller) == (599, 600)
    assert selectors.seller_messages_left_today(seller=other_seller) == (600, 600)
    other_owner = seller_user(other_seller)
    with django_capture_on_commit_callbacks(execute=True):
        _contact_buyer(other_seller, other_owner)
        _contact_buyer(other_seller, other_owner)
    assert selectors.seller_messages_left_today(seller=other_seller) == (598, 600)
    assert selectors.seller_messages_left_today(seller=seller) == (599, 600)
    assert Message.objects.filter(direction=Direction.SELLER_TO_BUYER).count() == 3
