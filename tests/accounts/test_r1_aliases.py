"""R1: anonymized aliases."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.aliases import alias_generate
from accounts.models import Relationship
from accounts.services import relationship_get_or_create
from messaging.checks import ALIAS_DOMAIN_TOO_LONG_ID, check_alias_domain
from orders.models import OrderItem
from tests.factories import BuyerFactory, OrderFactory, ProductFactory, SellerAccountFactory

pytestmark = pytest.mark.django_db

ALIAS_RE = re.compile(r"^[a-z0-9]{12}@m\.alphadiscounters\.com$")


def test_r1_aliases_are_exactly_35_characters_with_the_default_domain():
    relationship = relationship_get_or_create(buyer=BuyerFactory(), seller=SellerAccountFactory())
    for alias in (relationship.buyer_alias, relationship.seller_alias):
        assert len(alias) == 35
        assert ALIAS_RE.match(alias), alias


def test_r1_alias_length_follows_the_configured_domain(settings):
    settings.MESSAGING_ALIAS_DOMAIN = "mx.example.org"
    relationship = relationship_get_or_create(buyer=BuyerFactory(), seller=SellerAccountFactory())
    assert len(relationship.buyer_alias) == 35
    assert relationship.buyer_alias.endswith("@mx.example.org")
    assert len(relationship.buyer_alias.split("@")[0]) == 20


def test_r1_first_order_creates_the_relationship_and_later_orders_reuse_it():
    buyer, seller = BuyerFactory(), SellerAccountFactory()
    first = OrderFactory(buyer=buyer, seller=seller)
    second = OrderFactory(buyer=buyer, seller=seller)
    assert first.relationship_id == second.relationship_id
    assert Relationship.objects.filter(buyer=buyer, seller=seller).count() == 1
    again = relationship_get_or_create(buyer=buyer, seller=seller)
    assert (again.buyer_alias, again.seller_alias) == (
        first.relationship.buyer_alias,
        first.relationship.seller_alias,
    )


def test_r1_order_service_creates_relationship_on_first_order():
    from orders.services import OrderLine, order_create

    buyer, seller = BuyerFactory(), SellerAccountFactory()
    product = ProductFactory(seller=seller)
    assert not Relationship.objects.filter(buyer=buyer, seller=seller).exists()
    order = order_create(
        buyer=buyer, seller=seller, lines=[OrderLine(product, 2)], ship_name="A", ship_address="B"
    )
    assert order.relationship.buyer == buyer
    assert order.relationship.first_order_at == order.placed_at
    assert OrderItem.objects.get(order=order).quantity == 2
    assert order.total == product.price * 2


def test_r1_a_buyer_has_a_different_alias_with_each_seller():
    buyer = BuyerFactory()
    with_a = relationship_get_or_create(buyer=buyer, seller=SellerAccountFactory())
    with_b = relationship_get_or_create(buyer=buyer, seller=SellerAccountFactory())
    assert with_a.buyer_alias != with_b.buyer_alias
    assert with_a.seller_alias != with_b.seller_alias


def test_r1_aliases_are_unique_across_many_relationships():
    seller = SellerAccountFactory()
    relationships = [
        relationship_get_or_create(buyer=BuyerFactory(), seller=seller) for _ in range(50)
    ]
    aliases = [r.buyer_alias for r in relationships] + [r.seller_alias for r in relationships]
    assert len(set(aliases)) == len(aliases) == 100


def test_r1_generator_uses_only_lowercase_letters_and_digits_and_varies():
    aliases = {alias_generate(domain="m.alphadiscounters.com", total_length=35) for _ in range(200)}
    assert len(aliases) == 200
    assert all(ALIAS_RE.match(a) for a in aliases)


def test_r1_domain_check_refuses_a_domain_leaving_fewer_than_10_random_characters(settings):
    settings.MESSAGING_ALIAS_DOMAIN = "a-very-long-alias-domain.example"  # 32 chars: 2 left
    errors = check_alias_domain()
    assert [e.id for e in errors] == [ALIAS_DOMAIN_TOO_LONG_ID]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_r1_domain_check_accepts_exactly_10_random_characters(settings):
    settings.MESSAGING_ALIAS_DOMAIN = "x" * 20 + ".com"  # 24 chars + "@" leaves 10
    assert check_alias_domain() == []
    settings.MESSAGING_ALIAS_DOMAIN = "x" * 21 + ".com"  # leaves 9
    assert len(check_alias_domain()) == 1
