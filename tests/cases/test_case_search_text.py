"""Issue 13: inbox search reads a case's buyer alias, order ID and subject from a copy of its
own (`CaseSearchText`), which carries the trigram index, so that the case row, written on every
message and state change, does not. Every way a case is opened writes the copy."""

import pytest
from django.db import connection

from cases.models import Case, CaseSearchText, CaseStatus
from cases.services import case_transition
from messaging.inbox import selectors
from tests.factories import CaseFactory, seller_user
from tests.messaging.helpers import buyer_opens_case


def _copy(case: Case) -> tuple:
    return (case.pk, case.seller_id, case.buyer_alias, case.order_number, case.subject)


def _text(case: Case) -> tuple:
    text = CaseSearchText.objects.get(case=case)
    return (text.case_id, text.seller_id, text.buyer_alias, text.order_number, text.subject)


def test_a_case_opened_by_a_message_has_its_search_text(seller):
    case = buyer_opens_case(seller=seller, subject="Broken zipper on jacket").case
    assert _text(case) == _copy(case)
    assert case.order_number  # opened about an order: its ID is searchable


def test_the_factory_writes_it_as_case_open_does(seller):
    case = CaseFactory(order__seller=seller)
    assert _text(case) == _copy(case)


def _found(seller, *, query: str, filter_key: str = "all") -> list[int]:
    """The ids of the cases an inbox search lists, as the inbox page reads them."""
    page = selectors.inbox_page_for_seller(
        seller=seller,
        filter_key=filter_key,
        query=query,
        member=seller_user(seller),
        page_number=None,
        per_page=50,
        count_cap=200,
    )
    return [row.pk for row in page.object_list]


def test_search_by_subject_and_order_id_goes_through_it(seller):
    case = buyer_opens_case(seller=seller, subject="Broken zipper on jacket").case
    other = buyer_opens_case(seller=seller, subject="Colour question").case
    for query in ("zipper", case.order_number, case.order_number.replace("-", "")):
        assert _found(seller, query=query) == [case.pk], query
    # Without its copy a case's own texts are not found (the copy is what search reads).
    CaseSearchText.objects.filter(case=other).delete()
    assert _found(seller, query="Colour") == []


def test_another_sellers_case_is_not_found(seller, other_seller):
    mine = buyer_opens_case(seller=seller, subject="Zipper").case
    buyer_opens_case(seller=other_seller, subject="Zipper")
    assert _found(seller, query="zipper") == [mine.pk]


def test_closing_a_case_leaves_it_findable(seller, seller_owner):
    case = buyer_opens_case(seller=seller, subject="Broken zipper").case
    case_transition(case=case, to_status=CaseStatus.CLOSED, actor=seller_owner, cause="seller")
    assert _found(seller, query="zipper", filter_key="closed") == [case.pk]


@pytest.mark.django_db
def test_the_trigram_index_is_on_the_copy_not_on_the_case_row():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%%gin_trgm_ops%%' "
            "AND tablename IN ('cases_case', 'cases_casesearchtext')"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {"cases_casesearchtext"}
