"""Issue 8 item 7: from an order to its conversations. The seller's and the buyer's order pages
list the cases about that order, each linking to its case page; each party sees only what is
theirs to see."""

import re

import pytest
from django.urls import reverse

from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db


def _listed(response) -> list[int]:
    section = response.text[response.text.index('id="order-conversations"') :]
    return [int(i) for i in re.findall(r'data-order-case-id="(\d+)"', section)]


def _seller_order(order) -> str:
    return reverse("orders:order_detail", args=[order.number])


def _buyer_order(order) -> str:
    return reverse("orders:buyer_order_detail", args=[order.number])


def _proactive(order, sender, subject="Your order update"):
    return services.message_send(
        sender=sender,
        order=order,
        draft=services.Draft(
            body_text="It ships tomorrow.",
            subject=subject,
            contact_reason="additional_information",
        ),
    )


def test_seller_order_page_lists_the_cases_about_the_order_with_links(
    seller, seller_owner, seller_client
):
    order = OrderFactory(seller=seller)
    asked = buyer_opens_case(order=order, subject="Where is it?", body="Any tracking number?")
    seller_replies(asked.case, seller_owner, body="It left the warehouse today.")
    told = _proactive(order, seller_owner)
    elsewhere = buyer_opens_case(order=OrderFactory(seller=seller, buyer=order.buyer))

    response = seller_client.get(_seller_order(order))
    assert sorted(_listed(response)) == sorted([asked.case_id, told.case_id])
    assert elsewhere.case_id not in _listed(response)
    text = response.text
    assert "Messages about this order" in text
    assert reverse("messaging:case_detail", args=[asked.case_id]) in text
    assert reverse("messaging:case_detail", args=[told.case_id]) in text
    assert "Where is it?" in text
    assert "It left the warehouse today." in text  # the latest message
    assert "2 messages" in text


def test_seller_order_page_without_conversations_says_so(seller, seller_client):
    order = OrderFactory(seller=seller)
    text = seller_client.get(_seller_order(order)).text
    assert 'id="order-conversations"' in text
    assert "No messages about this order yet." in text


def test_buyer_order_page_lists_their_cases_with_links_never_blocked_ones(seller, seller_owner):
    buyer = BuyerFactory()
    order = OrderFactory(seller=seller, buyer=buyer)
    asked = buyer_opens_case(order=order, subject="Gift wrap?", body="Can you wrap it?")
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    blocked = _proactive(order, seller_owner, subject="Rate us please")
    assert blocked.outcome == "blocked"
    other = buyer_opens_case(order=OrderFactory(seller=seller, buyer=buyer))

    response = signed_in_client(buyer).get(_buyer_order(order))
    assert _listed(response) == [asked.case_id]
    assert other.case_id not in _listed(response)
    text = response.text
    assert reverse("messaging:buyer_case_detail", args=[asked.case_id]) in text
    assert "Gift wrap?" in text
    assert "Rate us please" not in text
    # the buyer's page never links to the seller's inbox
    assert f'href="{reverse("messaging:case_detail", args=[asked.case_id])}"' not in text


def test_buyer_order_page_without_conversations_offers_contact_seller(buyer, buyer_client):
    order = OrderFactory(buyer=buyer)
    text = buyer_client.get(_buyer_order(order)).text
    assert "No messages about this order yet." in text
    assert reverse("messaging:contact_seller", args=[order.number]) in text


def test_another_sellers_member_sees_none_of_it(seller, other_seller):
    order = OrderFactory(seller=seller)
    buyer_opens_case(order=order)
    outsider = signed_in_client(seller_user(other_seller))
    assert outsider.get(_seller_order(order)).status_code == 404


@pytest.mark.parametrize("cases", [1, 6])
def test_seller_order_page_query_count_does_not_grow_with_cases(
    seller, seller_owner, django_assert_max_num_queries, cases
):
    order = OrderFactory(seller=seller)
    for _ in range(cases):
        buyer_opens_case(order=order)
    client = signed_in_client(seller_owner)
    # savepoint + release (ATOMIC_REQUESTS), session, user, membership with seller, order,
    # its items with products, its status changes, the seller's staff sanctions (R35, R36: once
    # for Contact Buyer and Request a Review), the R17 review check, the order's cases
    with django_assert_max_num_queries(11):
        response = client.get(_seller_order(order))
    assert len(_listed(response)) == cases


@pytest.mark.parametrize("cases", [1, 6])
def test_buyer_order_page_query_count_does_not_grow_with_cases(
    django_assert_max_num_queries, cases
):
    buyer = BuyerFactory()
    order = OrderFactory(buyer=buyer)
    for _ in range(cases):
        buyer_opens_case(order=order)
    client = signed_in_client(buyer)
    # savepoint + release (ATOMIC_REQUESTS), session, user, order (with its shipment), its items
    # with products, its status changes, the buyer's cases about it, its returns, its refunds
    with django_assert_max_num_queries(10):
        response = client.get(_buyer_order(order))
    assert len(_listed(response)) == cases
