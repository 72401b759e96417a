"""Issue 8 item 10: buyers find a seller's storefront ("Sold by" links to it on every buyer page
that names the seller), and an anonymous visitor of a storefront finds "Sign in", which brings
them back to the store."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db


def _store_links(text: str, slug: str) -> list[str]:
    store = reverse("messaging:store", args=[slug])
    return re.findall(rf'<a [^>]*href="{re.escape(store)}"[^>]*>(.*?)</a>', text, re.S)


@pytest.mark.parametrize(
    "page", ["buyer_order_list", "buyer_order_detail", "contact_seller", "buyer_case_detail"]
)
def test_buyer_pages_link_the_sellers_name_to_the_storefront(buyer, buyer_client, seller, page):
    order = OrderFactory(buyer=buyer, seller=seller)
    case = buyer_opens_case(order=order).case
    url = {
        "buyer_order_list": reverse("orders:buyer_order_list"),
        "buyer_order_detail": reverse("orders:buyer_order_detail", args=[order.number]),
        "contact_seller": reverse("messaging:contact_seller", args=[order.number]),
        "buyer_case_detail": reverse("messaging:buyer_case_detail", args=[case.pk]),
    }[page]
    links = _store_links(buyer_client.get(url).text, seller.slug)
    assert any("Acme Outfitters" in link for link in links), links


def test_storefront_offers_sign_in_to_anonymous_visitors_and_back(seller):
    text = Client().get(reverse("messaging:store", args=[seller.slug])).text
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*id="store-sign-in"', text) or re.search(
        r'<a [^>]*id="store-sign-in"[^>]*href="([^"]+)"', text
    )
    assert match, "an anonymous storefront has a Sign in link"
    href = match.group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path == reverse("accounts:login")
    assert parse_qs(parts.query)["next"] == [reverse("messaging:store", args=[seller.slug])]
    assert "Sign in" in text


def test_signing_in_from_the_storefront_comes_back_to_it(seller, buyer):
    client = Client()
    store = reverse("messaging:store", args=[seller.slug])
    response = client.post(
        f"{reverse('accounts:login')}?next={store}",
        {"username": buyer.email, "password": "correct-horse-battery", "next": store},
    )
    assert response.status_code == 302
    assert response["Location"] == store


def test_signed_in_buyers_see_no_sign_in_link(seller, buyer_client):
    text = buyer_client.get(reverse("messaging:store", args=[seller.slug])).text
    assert 'id="store-sign-in"' not in text


@pytest.mark.parametrize("products", [2, 10])
def test_storefront_query_count_does_not_grow_with_products(
    seller, django_assert_max_num_queries, products
):
    from tests.factories import ProductFactory

    ProductFactory.create_batch(products, seller=seller)
    # savepoint + release (ATOMIC_REQUESTS), the seller, its products with their categories
    with django_assert_max_num_queries(4):
        response = Client().get(reverse("messaging:store", args=[seller.slug]))
    assert response.text.count("?product=") == products
