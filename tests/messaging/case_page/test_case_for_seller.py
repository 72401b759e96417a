"""Every seller case view first reads the case with `case_for_seller`, one plain statement
into the models: the seller's case with every value the factories wrote, and the product a
question from a product page is about (the title and SKU the page shows, no further query);
nothing for another seller's case or an id that is no case."""

from datetime import UTC, datetime, timedelta

import pytest

from cases.models import Case, CaseStatus
from messaging.case_page import selectors
from tests.factories import CaseFactory, ProductFactory, seller_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_the_sellers_case_holds_what_was_written_with_its_product(
    seller, django_assert_num_queries
):
    member = seller_user(seller, user__full_name="Bob Baker")
    product = ProductFactory(seller=seller, title="Blue mug", sku="MUG-1")
    case = CaseFactory(
        order=None,
        relationship__seller=seller,
        product=product,
        subject="Is it dishwasher safe?",
        status=CaseStatus.RESOLVED,
        created_at=T0,
        status_changed_at=T0 + timedelta(hours=2),
        last_activity_at=T0 + timedelta(hours=3),
        waiting_since=T0 + timedelta(hours=1),
        responded=True,
        has_sent=True,
        message_count=4,
        latest_message_at=T0 + timedelta(hours=3),
        latest_direction="b2s",
        latest_snippet="Thanks <b>a lot</b>",
        assigned_to=member,
    )
    with django_assert_num_queries(1):
        read = selectors.case_for_seller(seller=seller, case_id=case.pk)
        assert (read.product.pk, read.product.title, read.product.sku) == (
            product.pk,
            "Blue mug",
            "MUG-1",
        )
    assert isinstance(read, Case)
    assert read._state.adding is False
    assert (read.pk, read.seller_id, read.buyer_id, read.relationship_id) == (
        case.pk,
        seller.pk,
        case.relationship.buyer_id,
        case.relationship.pk,
    )
    assert (read.order_id, read.order_number, read.product_id) == (None, "", product.pk)
    assert (read.subject, read.status, read.started_by) == (
        "Is it dishwasher safe?",
        CaseStatus.RESOLVED,
        Case.StartedBy.BUYER,
    )
    assert (read.created_at, read.status_changed_at, read.last_activity_at) == (
        T0,
        T0 + timedelta(hours=2),
        T0 + timedelta(hours=3),
    )
    assert read.buyer_alias == case.relationship.buyer_alias
    # The summary, "needs a response" as the database derives it (waiting, not closed), the owner.
    assert (read.waiting_since, read.needs_response, read.responded, read.has_sent) == (
        T0 + timedelta(hours=1),
        True,
        True,
        True,
    )
    assert (read.has_no_response_needed, read.reported, read.message_count) == (False, False, 4)
    assert (read.latest_message_at, read.latest_direction, read.latest_snippet) == (
        T0 + timedelta(hours=3),
        "b2s",
        "Thanks <b>a lot</b>",
    )
    assert read.assigned_to_id == member.pk
    assert read.product.price == product.price  # not read with the case: loads when asked


def test_a_case_about_an_order_has_its_order_and_no_product(seller, django_assert_num_queries):
    case = CaseFactory(order__seller=seller, status=CaseStatus.CLOSED, waiting_since=T0)
    with django_assert_num_queries(1):
        read = selectors.case_for_seller(seller=seller, case_id=case.pk)
        assert read.product is None
    assert (read.pk, read.order_id, read.order_number) == (
        case.pk,
        case.order.pk,
        case.order.number,
    )
    assert (read.status, read.waiting_since, read.needs_response) == (CaseStatus.CLOSED, T0, False)
    assert (read.assigned_to_id, read.message_count, read.latest_snippet) == (None, 0, "")


def test_another_sellers_case_or_no_case_is_none(seller, other_seller):
    theirs = CaseFactory(order__seller=other_seller)
    assert selectors.case_for_seller(seller=seller, case_id=theirs.pk) is None
    assert selectors.case_for_seller(seller=seller, case_id=theirs.pk + 1000) is None
    assert selectors.case_for_seller(seller=other_seller, case_id=theirs.pk).pk == theirs.pk
