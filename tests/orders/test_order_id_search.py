"""Issue 8 item 8: order IDs typed without dashes find their order, in Manage Orders and in the
inbox; the inbox search says which filter it searched and offers to search all cases."""

import re

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from orders.numbers import order_number_fragments
from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("orders:order_list")
INBOX = reverse("messaging:inbox")
NUMBER = "970-1446448-9377198"
OTHER_NUMBER = "123-4567890-1234567"


def _case_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)]


class TestFragments:
    def test_seventeen_digits_become_the_id_with_its_dashes(self):
        assert order_number_fragments("97014464489377198") == (NUMBER,)

    def test_spaces_and_misplaced_dashes_are_ignored(self):
        assert order_number_fragments(" 970 1446448 9377198 ") == (NUMBER,)
        assert order_number_fragments("9701-446448-9377198") == (NUMBER,)

    def test_a_run_of_digits_is_looked_for_wherever_it_may_sit(self):
        fragments = order_number_fragments("64489377")
        # e.g. inside the middle group and across the second dash
        assert "6448-9377" in fragments
        assert "1446448" in order_number_fragments("1446448")
        assert all(fragment.replace("-", "") == "64489377" for fragment in fragments)
        assert any(fragment in NUMBER for fragment in fragments)

    def test_a_run_across_the_first_dash(self):
        assert any(fragment in NUMBER for fragment in order_number_fragments("0144"))

    def test_anything_else_is_searched_as_typed(self):
        assert order_number_fragments("abc123") == ("abc123",)
        assert order_number_fragments("123456789012345678") == ("123456789012345678",)
        assert order_number_fragments("  ") == ()


class TestManageOrders:
    @pytest.mark.parametrize(
        "typed", ["97014464489377198", "970 1446448 9377198", "64489377", "0144644"]
    )
    def test_order_id_typed_without_dashes_finds_the_order(self, seller, seller_client, typed):
        wanted = OrderFactory(seller=seller, number=NUMBER)
        other = OrderFactory(seller=seller, number=OTHER_NUMBER)
        text = seller_client.get(ORDERS_URL, {"q": typed}).text
        assert wanted.number in text
        assert other.number not in text

    def test_another_sellers_order_stays_hidden(self, seller, other_seller, seller_client):
        OrderFactory(seller=other_seller, number=NUMBER)
        text = seller_client.get(ORDERS_URL, {"q": "97014464489377198"}).text
        assert NUMBER not in text
        assert "No orders match" in text

    def test_query_count_with_a_digit_search(
        self, seller, seller_owner, client, django_assert_max_num_queries
    ):
        OrderFactory.create_batch(5, seller=seller)
        client.force_login(seller_owner)
        with django_assert_max_num_queries(8):
            client.get(ORDERS_URL, {"q": "1234"})


class TestInbox:
    @pytest.mark.parametrize("typed", ["97014464489377198", "64489377"])
    def test_order_id_typed_without_dashes_finds_the_case(self, seller, seller_client, typed):
        wanted = buyer_opens_case(order=OrderFactory(seller=seller, number=NUMBER)).case
        buyer_opens_case(order=OrderFactory(seller=seller, number=OTHER_NUMBER))
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": typed}))
        assert ids == [wanted.pk]

    def test_no_match_names_the_filter_and_offers_search_all(
        self, seller, seller_owner, seller_client
    ):
        case = buyer_opens_case(order=OrderFactory(seller=seller, number=NUMBER)).case
        case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.CLOSED)
        response = seller_client.get(INBOX, {"filter": "opened", "q": "97014464489377198"})
        assert _case_ids(response) == []
        empty = response.text[response.text.index('id="case-list-empty"') :]
        assert "No cases under “Opened” match “97014464489377198”." in empty
        link = re.search(r'<a [^>]*id="search-all"[^>]*href="([^"]+)"', empty) or re.search(
            r'<a [^>]*href="([^"]+)"[^>]*id="search-all"', empty
        )
        assert link, "the empty list offers to search all cases"
        href = link.group(1).replace("&amp;", "&")
        assert "filter=all" in href
        assert "q=97014464489377198" in href
        assert _case_ids(seller_client.get(href)) == [case.pk]

    def test_results_say_which_filter_was_searched(self, seller, seller_client):
        buyer_opens_case(order=OrderFactory(seller=seller, number=NUMBER))
        text = seller_client.get(INBOX, {"q": "64489377"}).text
        assert "Response Needed" in text
        assert "matching “64489377”" in text

    def test_searching_all_offers_nothing_more(self, seller, seller_client):
        text = seller_client.get(INBOX, {"filter": "all", "q": "nothing-like-this"}).text
        assert "No cases match “nothing-like-this”." in text
        assert 'id="search-all"' not in text
