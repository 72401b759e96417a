import pytest

from core.pagination import capped_page
from orders.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders():
    OrderFactory.create_batch(12)
    return Order.objects.order_by("id")


def test_counts_exactly_under_the_cap(orders):
    page = capped_page(orders, "2", per_page=5, count_cap=100)
    assert (page.count, page.count_capped, page.number) == (12, False, 2)
    assert page.has_previous
    assert page.has_next
    assert [o.pk for o in page.object_list] == [o.pk for o in orders[5:10]]


def test_caps_the_count_but_still_pages_past_it(orders):
    page = capped_page(orders, "3", per_page=5, count_cap=10)
    assert (page.count, page.count_capped) == (10, True)
    assert len(page.object_list) == 2
    assert not page.has_next


@pytest.mark.parametrize(("asked", "got"), [("0", 1), ("x", 1), (None, 1), ("99", 3)])
def test_bad_or_out_of_range_page_numbers(orders, asked, got):
    assert capped_page(orders, asked, per_page=5, count_cap=100).number == got
