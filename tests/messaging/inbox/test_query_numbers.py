"""Finding 5 of issue 22: whole numbers a page reads from its address or a form by hand (the
inbox poll's change token, the case poll's, ids) are parsed by one helper, `core.params.
int_param`: a number too large for a bigint or a datetime, a large negative one, or no number
at all is answered in words or ignored, never a 500."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors as case_selectors
from core.params import BIGINT_MAX, BIGINT_MIN, int_param
from messaging.inbox.views import SINCE_INVALID_MSG
from tests.clients import signed_in_client
from tests.factories import ProductFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
# str.isdigit() says yes, int() says no (a superscript; more digits than int() reads): the pages
# that checked isdigit() and then called int() answered these with a 500.
DIGITS_BUT_NO_INT = ["²", "9" * 5000]
BAD_NUMBERS = [HUGE, "-" + HUGE, "abc", "1e5", "12.5", " ", "0x10", *DIGITS_BUT_NO_INT]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" -7 ", -7),
        ("+3", 3),
        (str(BIGINT_MAX), BIGINT_MAX),
        (str(BIGINT_MIN), BIGINT_MIN),
        (str(BIGINT_MAX + 1), None),
        (str(BIGINT_MIN - 1), None),
        (None, None),
        ("", None),
        *[(bad, None) for bad in BAD_NUMBERS],
    ],
)
def test_int_param_reads_a_whole_number_in_range_or_none(value, expected):
    assert int_param(value) == expected


def test_int_param_keeps_to_the_callers_bounds():
    assert int_param("0", minimum=1) is None
    assert int_param("5", minimum=1, maximum=5) == 5
    assert int_param("6", minimum=1, maximum=5) is None


# ---- the inbox's poll: GET /messages/changes/?since=


def _changes(client, since: str, **more: str):
    return client.get(reverse("messaging:inbox_changes"), {"since": since, "n": "0", **more})


@pytest.mark.parametrize("since", BAD_NUMBERS + ["-1", str(case_selectors.CHANGE_TOKEN_MAX + 1)])
def test_finding5_a_change_token_that_is_no_moment_is_a_400_in_words(seller_client, since):
    response = _changes(seller_client, since)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.text == SINCE_INVALID_MSG


def test_the_inbox_pages_token_still_answers_the_poll(seller, seller_client):
    token = str(case_selectors.change_token(timezone.now()))
    assert _changes(seller_client, token).status_code == HTTPStatus.NO_CONTENT
    buyer_opens_case(seller=seller)
    response = _changes(seller_client, "0")
    assert response.status_code == HTTPStatus.OK
    assert "1 new" in response.text
    edge = str(case_selectors.CHANGE_TOKEN_MAX)
    assert _changes(seller_client, edge).status_code == HTTPStatus.NO_CONTENT


@pytest.mark.parametrize("shown", [HUGE, "-" + HUGE, "x"])
def test_a_count_that_is_no_number_counts_as_none_shown(seller_client, shown):
    token = str(case_selectors.change_token(timezone.now()))
    response = _changes(seller_client, token, n=shown)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.NO_CONTENT)


# ---- the case page's poll and reply, the template picker, Ask a question


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_the_case_poll_takes_any_since_and_after(seller, seller_client, value):
    case = buyer_opens_case(seller=seller).case
    url = reverse("messaging:case_live", args=[case.pk])
    for params in (
        {"since": value},
        {"after": value, "typing": "1"},
        {"since": value, "after": value},
    ):
        assert seller_client.get(url, params).status_code in (HTTPStatus.OK, HTTPStatus.NO_CONTENT)


@pytest.mark.parametrize("value", DIGITS_BUT_NO_INT)
def test_finding5_a_reply_with_any_seen_id_is_sent(seller, seller_client, value):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "On its way.", "seen": value}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert case.messages.filter(body_text="On its way.").exists()


@pytest.mark.parametrize("value", DIGITS_BUT_NO_INT)
def test_finding5_template_ids_and_case_ids_that_are_no_number_are_not_found(
    seller, seller_client, value
):
    case = buyer_opens_case(seller=seller).case
    picker = seller_client.get(reverse("messaging:template_picker"), {"case": value})
    assert picker.status_code == HTTPStatus.NOT_FOUND
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk]), {"template": value})
    assert page.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("value", DIGITS_BUT_NO_INT)
def test_finding5_ask_a_question_with_any_product_shows_the_form(seller, buyer, value):
    ProductFactory(seller=seller)
    response = signed_in_client(buyer).get(
        reverse("messaging:store_ask", args=[seller.slug]), {"product": value}
    )
    assert response.status_code == HTTPStatus.OK
