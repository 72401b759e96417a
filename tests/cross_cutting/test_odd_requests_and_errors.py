"""Issue 12, items 5-8: no 500 from any input, a bounded live check, private caching of signed-in
pages, and our own answer when the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from core.pagination import MAX_PAGE_NUMBER, capped_page
from messaging.forms import BODY_MAX_LENGTH
from orders.models import Order
from tests.clients import signed_in_client
from tests.factories import CaseFactory, OrderFactory

pytestmark = pytest.mark.django_db

HUGE_PAGE = "9223372036854775807"


# ---- page numbers are clamped


def test_capped_page_clamps_a_huge_page_number_when_the_count_is_capped():
    OrderFactory.create_batch(6)
    orders = Order.objects.order_by("id")
    page = capped_page(orders, HUGE_PAGE, per_page=2, count_cap=3)
    assert page.number == MAX_PAGE_NUMBER
    assert page.object_list == []


@pytest.mark.parametrize("searched", [False, True])
def test_inbox_with_a_huge_page_number_answers_200(seller, seller_client, monkeypatch, searched):
    """Past the count cap the last page is unknown, so only MAX_PAGE_NUMBER keeps the offset
    (and a search's LIMIT) inside a bigint. Caps of 1 put the seller's three cases past them."""
    cases = CaseFactory.create_batch(3, order__seller=seller)
    monkeypatch.setattr("messaging.inbox.views.INBOX_COUNT_CAP", 1)
    monkeypatch.setattr("messaging.inbox.selectors.INBOX_SEARCH_COUNT_CAP", 1)
    # The part of the alias domain every case shares: the search finds all three.
    query = cases[0].buyer_alias.partition("@")[2] if searched else ""
    response = seller_client.get(
        reverse("messaging:inbox"), {"filter": "all", "q": query, "page": HUGE_PAGE}
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert (page.number, page.object_list, page.count, page.count_capped) == (
        MAX_PAGE_NUMBER,
        [],
        1,
        True,
    )


@pytest.mark.parametrize(
    "url_name",
    ["orders:order_list", "messaging:templates", "messaging:response_time"],
)
def test_seller_lists_with_a_huge_page_number_answer_200(seller_client, url_name):
    assert seller_client.get(reverse(url_name), {"page": HUGE_PAGE}).status_code == 200


@pytest.mark.parametrize("url_name", ["orders:buyer_order_list", "messaging:buyer_message_center"])
def test_buyer_lists_with_a_huge_page_number_answer_200(buyer_client, url_name):
    assert buyer_client.get(reverse(url_name), {"page": HUGE_PAGE}).status_code == 200


# ---- a form POST in a charset we cannot decode is a 400


@pytest.fixture
def reply_check_url(seller):
    return reverse("messaging:case_reply_check", args=[CaseFactory(order__seller=seller).id])


@pytest.mark.parametrize("charset", ["latin-1", "no-such-charset", "utf-16"])
def test_form_post_with_a_non_utf8_charset_answers_400(seller_client, reply_check_url, charset):
    seller_client.raise_request_exception = False
    response = seller_client.generic(
        "POST",
        reply_check_url,
        data=b"body=caf\xe9",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_login_form_post_in_latin1_answers_400_before_the_csrf_check(url):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    response = client.generic(
        "POST",
        url,
        data=b"username=caf\xe9&password=x",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400


def test_form_post_in_utf8_passes_the_charset_guard(seller_client, reply_check_url):
    response = seller_client.generic(
        "POST",
        reply_check_url,
        data="body=café".encode(),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 200


# ---- the staff admin filter with an out-of-range integer


def test_admin_case_filter_with_an_out_of_range_integer_does_not_run_the_query(staff):
    client = signed_in_client(staff)
    response = client.get("/admin/cases/case/", {"product": "99999999999999999999999"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_admin_case_filter_with_an_in_range_integer_is_still_applied(staff):
    client = signed_in_client(staff)
    response = client.get("/admin/cases/case/", {"product": "12"})
    assert response.status_code == 200


# ---- HEAD answers like GET


@pytest.mark.parametrize(
    "url_name",
    [
        "messaging:inbox",
        "messaging:templates",
        "messaging:response_time",
        "orders:order_list",
        "messaging:policy",
    ],
)
def test_head_on_seller_get_pages_answers_200(seller_client, url_name):
    assert seller_client.head(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["messaging:buyer_message_center", "orders:buyer_order_list"])
def test_head_on_buyer_get_pages_answers_200(buyer_client, url_name):
    assert buyer_client.head(reverse(url_name)).status_code == 200


def test_head_on_a_seller_case_page_answers_200(seller, seller_client):
    case = CaseFactory(order__seller=seller)
    url = reverse("messaging:case_detail", args=[case.id])
    assert seller_client.head(url).status_code == 200


# ---- the live check refuses a text longer than a message may be


def test_live_check_refuses_a_body_over_the_send_limit_without_judging_it(seller, seller_client):
    case = CaseFactory(order__seller=seller)
    url = reverse("messaging:case_reply_check", args=[case.id])
    with mock.patch("messaging.sending.services.message_check") as message_check:
        response = seller_client.post(url, {"body": "x" * (BODY_MAX_LENGTH + 1)})
    assert response.status_code == 200
    message_check.assert_not_called()
    assert "longer than 8,000 characters" in response.content.decode()


def test_live_check_still_judges_a_body_at_the_send_limit(seller, seller_client):
    case = CaseFactory(order__seller=seller)
    url = reverse("messaging:case_reply_check", args=[case.id])
    response = seller_client.post(url, {"body": "x" * BODY_MAX_LENGTH})
    assert response.status_code == 200
    assert "longer than 8,000 characters" not in response.content.decode()
    assert "No problems found" in response.content.decode()


# ---- signed-in pages are private; message and order pages are not stored


def test_signed_in_page_is_cache_control_private(seller_client):
    response = seller_client.get(reverse("messaging:response_time"))
    assert "private" in response["Cache-Control"]


def test_anonymous_page_is_not_marked_private(client):
    response = client.get(reverse("messaging:policy"))
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url_name", ["messaging:inbox", "orders:order_list", "messaging:buyer_message_center"]
)
def test_message_and_order_pages_are_no_store(seller_client, buyer_client, url_name):
    client = buyer_client if "buyer" in url_name else seller_client
    cache_control = client.get(reverse(url_name))["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_seller_and_buyer_case_pages_are_no_store(seller, seller_client, buyer):
    case = CaseFactory(order__seller=seller, order__buyer=buyer)
    seller_page = seller_client.get(reverse("messaging:case_detail", args=[case.id]))
    buyer_page = signed_in_client(buyer).get(reverse("messaging:buyer_case_detail", args=[case.id]))
    assert "no-store" in seller_page["Cache-Control"]
    assert "no-store" in buyer_page["Cache-Control"]


def test_contact_buyer_and_order_detail_pages_are_no_store(seller, seller_client):
    order = OrderFactory(seller=seller)
    for name in ("messaging:contact_buyer", "orders:order_detail"):
        response = seller_client.get(reverse(name, args=[order.number]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


# ---- the database down: our own 503, and a real 500 page


def _database_down():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused"),
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_database_down_answers_503_with_retry_after_and_our_page(seller_owner, signed_in):
    """Signed in, the inbox; signed out, signing in (the inbox itself only redirects to the
    sign-in page then, with no need of the database)."""
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(seller_owner)
    with _database_down():
        if signed_in:
            response = client.get(reverse("messaging:inbox"))
        else:
            response = client.post(
                reverse("accounts:login"), {"username": seller_owner.email, "password": "x"}
            )
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "Server Error (500)" not in body
    assert "temporarily unavailable" in body
    assert "<script" not in body
    assert "<style" not in body
    assert "style=" not in body


def test_other_errors_answer_our_500_page(seller_client):
    seller_client.raise_request_exception = False
    with mock.patch(
        "messaging.inbox.selectors.inbox_page_for_seller", side_effect=RuntimeError("boom")
    ):
        response = seller_client.get(reverse("messaging:inbox"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Server Error (500)" not in body
    assert "Something went wrong" in body
