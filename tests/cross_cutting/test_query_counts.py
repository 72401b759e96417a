"""Every list page, filter and search costs the same number of queries whatever the number of
rows it lists. Each test measures a page with 3 rows, adds rows up to 30, measures again: the
stated number of queries both times (django_assert_num_queries). The case pages do the same
with 10 and with 50 messages."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging.attachments import IncomingAttachment
from messaging.inbox import selectors
from messaging.performance.services import response_metrics_compute
from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import MessageReportFactory, OrderFactory
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

INBOX = reverse("messaging:inbox")
ORDERS = reverse("orders:order_list")


def _same_count_at_3_and_30(django_assert_num_queries, *, queries, add_rows, fetch, listed):
    """Add 3 rows, fetch, add 27 more, fetch: `queries` queries both times. `listed(response,
    rows made)` is (rows the page shows, rows it should show)."""
    for target, more in ((3, 3), (30, 27)):
        add_rows(more)
        with django_assert_num_queries(queries):
            response = fetch()
        assert response.status_code == 200
        shown = listed(response, target)
        assert shown[0] == shown[1], f"{shown[0]} rows shown, expected {shown[1]}"


def _case_rows(response) -> int:
    return response.text.count("data-case-id=")


# ---- the inbox: every filter, and search


ROWS_IN_FILTER = {
    # buyer questions nobody answered yet
    "response-needed": True,
    "all": True,
    "opened": True,
    "unassigned": True,
    # the others list none of them: the count must not grow all the same
    "no-response-needed": False,
    "responded": False,
    "sent": False,
    "reported": False,
    "resolved": False,
    "closed": False,
    "assigned-to-me": False,
}


@pytest.mark.parametrize("filter_key", list(selectors.INBOX_FILTERS))
def test_inbox_filter_queries_do_not_grow_with_cases(
    filter_key, seller, seller_owner, django_assert_num_queries
):
    client = signed_in_client(seller_owner)
    # session, user with membership and seller, the page (its cases with their owners and the
    # capped count: one statement; an empty page counts again on its own), R4 notices and
    # whether there are R16 warnings; no transaction (a read-only page)
    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=4 if ROWS_IN_FILTER[filter_key] else 5,
        add_rows=lambda n: [buyer_opens_case(seller=seller) for _ in range(n)],
        fetch=lambda: client.get(INBOX, {"filter": filter_key}),
        listed=lambda r, n: (_case_rows(r), min(n, 25) if ROWS_IN_FILTER.get(filter_key) else 0),
    )


@pytest.mark.parametrize("filter_key", ["responded", "sent"])
def test_inbox_answered_filters_queries_do_not_grow_with_cases(
    filter_key, seller, seller_owner, django_assert_num_queries
):
    client = signed_in_client(seller_owner)

    def answered(n):
        for _ in range(n):
            seller_replies(buyer_opens_case(seller=seller).case, seller_owner)

    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=4,
        add_rows=answered,
        fetch=lambda: client.get(INBOX, {"filter": filter_key}),
        listed=lambda r, n: (_case_rows(r), min(n, 25)),
    )


@pytest.mark.parametrize(
    "query", ["parcel", "Delivery question", "m.alphadiscounters.com", "no such text"]
)
@pytest.mark.parametrize("way", ["walk", "lookup"])
def test_inbox_search_queries_do_not_grow_with_matches(
    query, way, seller, seller_owner, django_assert_num_queries, monkeypatch
):
    """A word in every case (their messages say "parcel"), their subject, the alias domain every
    buyer alias ends with, and a text in none; both ways the search can go (the walk, or the
    lookup when the sample of the newest cases never walks on)."""
    if way == "lookup":
        monkeypatch.setattr(selectors, "INBOX_SEARCH_SAMPLE", 0)
        monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 1)
    client = signed_in_client(seller_owner)
    matches_all = query != "no such text"
    # as unsearched: the search is in the page's one statement
    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=4 if matches_all else 5,
        add_rows=lambda n: [buyer_opens_case(seller=seller) for _ in range(n)],
        fetch=lambda: client.get(INBOX, {"filter": "all", "q": query}),
        listed=lambda r, n: (_case_rows(r), min(n, 25) if matches_all else 0),
    )


def test_inbox_search_by_order_id_queries_do_not_grow_with_cases(
    seller, seller_owner, django_assert_num_queries
):
    client = signed_in_client(seller_owner)
    first = buyer_opens_case(seller=seller).case
    digits = first.order_number.replace("-", "")
    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=4,
        add_rows=lambda n: [buyer_opens_case(seller=seller) for _ in range(n)],
        fetch=lambda: client.get(INBOX, {"filter": "all", "q": digits[4:12]}),
        listed=lambda r, n: (f'data-case-id="{first.pk}"' in r.text, True),
    )


# ---- Manage Orders and its search


def _order_rows(response) -> int:
    return response.text.count('class="order-id"')


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "unshipped"}, {"q": "m.alphadiscounters.com"}, {"q": "zz-no-such"}],
    ids=["all", "status", "alias-search", "no-match"],
)
def test_manage_orders_queries_do_not_grow_with_orders(
    params, seller, seller_client, django_assert_num_queries
):
    matches = params.get("q") != "zz-no-such"
    # session, user with membership and seller, the page (its orders with their buyer alias and
    # the capped count: one statement), their items with products; no transaction (a read-only
    # page). A text no order ID or alias can hold asks the database nothing.
    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=4 if matches else 2,
        add_rows=lambda n: OrderFactory.create_batch(n, seller=seller),
        fetch=lambda: seller_client.get(ORDERS, params),
        listed=lambda r, n: (_order_rows(r), min(n, 25) if matches else 0),
    )


def test_manage_orders_order_id_search_queries_do_not_grow_with_orders(
    seller, seller_client, django_assert_num_queries
):
    order = OrderFactory(seller=seller)
    dashed, digits = order.number, order.number.replace("-", "")
    for query in (dashed, digits, digits[2:9], dashed[4:12]):
        _same_count_at_3_and_30(
            django_assert_num_queries,
            queries=4,
            add_rows=lambda n: OrderFactory.create_batch(n, seller=seller),
            fetch=lambda q=query: seller_client.get(ORDERS, {"q": q}),
            listed=lambda r, n: (order.number in r.text, True),
        )


# ---- the response-time dashboard (R21): its list of late and unanswered messages


def test_response_time_dashboard_queries_do_not_grow_with_late_messages(
    seller, seller_owner, django_assert_num_queries
):
    client = signed_in_client(seller_owner)

    def late(n):
        at = timezone.now() - timedelta(days=2)
        for _ in range(n):
            order = OrderFactory(seller=seller, placed_at=at - timedelta(days=1))
            draft = services.Draft(body_text="Where?", subject="Q", contact_reason="other")
            case = services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case
            services.message_send(
                sender=seller_owner,
                case=case,
                draft=services.Draft(body_text="Here."),
                now=at + timedelta(hours=30),
            )
        response_metrics_compute()

    _same_count_at_3_and_30(
        django_assert_num_queries,
        queries=9,
        add_rows=late,
        fetch=lambda: client.get(reverse("messaging:response_time")),
        listed=lambda r, n: (len(r.context["late"].object_list), min(n, 25)),
    )


# ---- the case pages: 10 and 50 messages, with attachments and reports


def _conversation(case, seller_owner, messages: int) -> None:
    """Seller replies with an attachment and buyer replies in turn, every third buyer message
    reported, up to `messages` messages on the case."""
    while case.messages.count() < messages:
        if case.messages.count() % 2:
            seller_replies(
                case,
                seller_owner,
                attachments=[IncomingAttachment(name="label.txt", content=b"label")],
            )
        else:
            message = buyer_replies(case, body=f"Question {case.messages.count()}")
            if case.messages.count() % 3 == 0:
                MessageReportFactory(message=message)


@pytest.mark.parametrize("party", ["seller", "buyer"])
def test_case_page_queries_do_not_grow_from_10_to_50_messages(
    party, seller, seller_owner, django_assert_num_queries
):
    case = buyer_opens_case(seller=seller).case
    if party == "seller":
        client = signed_in_client(seller_owner)
        url = reverse("messaging:case_detail", args=[case.pk])
    else:
        client = signed_in_client(case.buyer)
        url = reverse("messaging:buyer_case_detail", args=[case.pk])
    for messages in (10, 50):
        _conversation(case, seller_owner, messages)
        # seller (no transaction: a read-only page): session, user, membership with seller, the
        # case, R8 allowance (messages sent today; the order volume from the cache), messages
        # with their senders, attachments and reports (one query), the team's members and the
        # assignment (issue 14); buyer: its own. Both views start from an empty cache, so both
        # count the messages sent today (the pages keep that count in the cache).
        cache.clear()
        with django_assert_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
        assert response.text.count("label.txt") >= messages // 2 - 1


# ---- read-only pages open no transaction


@pytest.mark.parametrize("page", ["inbox", "case", "orders", "orders-search"])
def test_read_only_pages_open_no_transaction(page, seller, seller_owner):
    """The inbox, a case page and Manage Orders only read: ATOMIC_REQUESTS' transaction would
    cost each two round trips more (BEGIN and COMMIT; under the test's own transaction, a
    savepoint and its release), for no consistency READ COMMITTED does not already give."""
    client = signed_in_client(seller_owner)
    case = buyer_opens_case(seller=seller).case
    order = OrderFactory(seller=seller)
    url = {
        "inbox": INBOX,
        "case": reverse("messaging:case_detail", args=[case.pk]),
        "orders": ORDERS,
        "orders-search": f"{ORDERS}?q={order.number[4:11]}",
    }[page]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert statements
    assert not [sql for sql in statements if sql.startswith("SAVEPOINT")]


def test_a_reply_still_runs_in_its_own_transaction(seller, seller_owner):
    client = signed_in_client(seller_owner)
    case = buyer_opens_case(seller=seller).case
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            reverse("messaging:case_reply", args=[case.pk]), {"body": "It ships today."}
        )
    assert response.status_code == 302
    assert case.messages.filter(body_text="It ships today.").exists()
    assert [q for q in captured.captured_queries if q["sql"].startswith("SAVEPOINT")]
