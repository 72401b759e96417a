"""The seller's case page made cheap without changing what anyone sees.

- Its message cards are printed from rows prepared in Python (messaging.case_page.cards; what
  they show: tests/messaging/case_page/test_message_card.py).
- Its reply box's fields are written out (components/reply_fields.html) instead of rendered by
  crispy-forms: the same markup, labels, ids, errors and ARIA attributes as crispy's.
- One query reads every message with its sender, attachments and report reasons; one query
  reads both R8 counts.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import engines
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from messaging.attachments import IncomingAttachment
from messaging.case_page.selectors import message_list_for_seller
from messaging.forms import ReplyForm, SellerReplyForm
from messaging.models import Direction, Message, Outcome, ReportReason
from messaging.moderation.services.flags import message_mark_no_response_needed
from messaging.sending.selectors import seller_daily_allowance
from orders.models import Order
from tests.clients import signed_in_client
from tests.factories import MessageFactory, MessageReportFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db


def _markup(html: str) -> str:
    """HTML with insignificant whitespace taken out (between tags and around text)."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html)).strip()


# ---- the reply box's fields: the markup crispy-forms renders


def _bound(form_class, data, files=None):
    form = form_class(data=data, files=MultiValueDict(files or {}))
    form.is_valid()
    return form


def _empty_file(name="empty.txt"):
    return SimpleUploadedFile(name, b"")


REPLY_FORMS = {
    "seller, empty": lambda: SellerReplyForm(),
    "seller, Insert Template": lambda: SellerReplyForm(
        initial={"body": "Hello <b>Sam</b>,\nyour parcel & more", "template": 7}
    ),
    "seller, blank reply": lambda: _bound(SellerReplyForm, {"body": "  ", "template": ""}),
    "seller, too long": lambda: _bound(SellerReplyForm, {"body": "x" * 8001}),
    "seller, empty attachments": lambda: _bound(
        SellerReplyForm,
        {"body": "See attached", "template": "5"},
        {"attachments": [_empty_file(), _empty_file("b.txt")]},
    ),
    "seller, template not a number": lambda: _bound(SellerReplyForm, {"body": "", "template": "x"}),
    "buyer, empty": lambda: ReplyForm(),
    "buyer, blank reply": lambda: _bound(ReplyForm, {"body": ""}),
    "buyer, refused by a rule": lambda: _refused(ReplyForm, "This case is closed & final."),
}


def _refused(form_class, reason):
    """A valid form the send funnel refused: the view adds the reason as a form-wide error."""
    form = _bound(form_class, {"body": "Where is my parcel?"})
    form.add_error(None, reason)
    return form


@pytest.mark.parametrize("language", ["en", "de", "fr"])
@pytest.mark.parametrize("case", list(REPLY_FORMS))
def test_reply_fields_are_the_markup_crispy_renders(case, language):
    crispy = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
    written_out = get_template("components/reply_fields.html")
    with translation.override(language):
        form = REPLY_FORMS[case]()
        assert _markup(written_out.render({"form": form})) == _markup(crispy.render({"form": form}))


def test_a_blank_reply_shows_its_error_next_to_the_field(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(reverse("messaging:case_reply", args=[case.pk]), {"body": " "})
    html = _markup(response.text)
    assert 'aria-invalid="true" aria-describedby="id_body_error"' in html
    assert (
        '<div id="id_body_error" class="invalid-feedback"><p id="error_1_id_body">'
        "<strong>This field is required.</strong></p></div>"
    ) in html
    assert '<label for="id_body" class="form-label requiredField">Reply' in html


# ---- the case's messages: one query, and nothing cached


def _conversation_of_every_kind(seller, seller_owner):
    """Buyer and seller messages, by web and by email, with attachments, reported (two
    reasons), answered, No Response Needed, waiting, and a seller message not delivered."""
    case = buyer_opens_case(
        seller=seller,
        body="Line one\nLine two <b>not bold</b>",
        attachments=[IncomingAttachment(name="photo-2.txt", content=b"two")],
    ).case
    seller_replies(
        case,
        seller_owner,
        attachments=[
            IncomingAttachment(name="label.txt", content=b"label"),
            IncomingAttachment(name="invoice.txt", content=b"x" * 3000),
        ],
    )
    reported = buyer_replies(case, body="You are useless")
    MessageReportFactory(message=reported, reason=ReportReason.ABUSIVE)
    MessageReportFactory(message=reported, reason=ReportReason.SPAM)
    skipped = buyer_replies(case, body="Thanks!")
    message_mark_no_response_needed(message=skipped, actor=seller_owner)
    MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        channel="email",
        outcome=Outcome.BLOCKED,
        outcome_rule="R12",
        outcome_reason="It links to another website.",
        body_html="<p>Visit <b>us</b></p>",
    )
    buyer_replies(case, body="Still waiting")
    return case


def test_message_rows_come_in_one_query_whatever_they_carry(seller, seller_owner):
    case = _conversation_of_every_kind(seller, seller_owner)
    with CaptureQueriesContext(connection) as captured:
        rows = message_list_for_seller(case=case)
    assert len(captured) == 1
    assert [row.pk for row in rows] == list(
        Message.objects.filter(case=case).order_by("created_at", "id").values_list("id", flat=True)
    )
    by_body = {row.body_text: row for row in rows}
    reply = next(
        row
        for row in rows
        if [a["name"] for a in row.attachment_rows] == ["label.txt", "invoice.txt"]
    )
    assert reply.sender_full_name == seller_owner.full_name
    assert not reply.from_buyer
    assert by_body["You are useless"].report_reasons == [ReportReason.SPAM, ReportReason.ABUSIVE]
    assert (by_body["Thanks!"].attachment_rows, by_body["Thanks!"].report_reasons) == ([], [])


def test_the_page_shows_a_new_reply_and_its_attachment_at_once(seller, seller_owner, other_seller):
    """Nothing is cached: what was just sent is on the next page, for the seller only."""
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(seller_owner)
    url = reverse("messaging:case_detail", args=[case.pk])
    assert "fresh.txt" not in client.get(url).text
    seller_replies(
        case, seller_owner, attachments=[IncomingAttachment(name="fresh.txt", content=b"1")]
    )
    assert "fresh.txt" in client.get(url).text
    assert signed_in_client(seller_user(other_seller)).get(url).status_code == 404


# ---- R8: the day's order volume from the cache, the messages sent today in one query


def test_daily_allowance_is_one_query_once_cached_and_counts_what_it_should(seller, seller_owner):
    from django.core.cache import cache

    now = timezone.now()
    for days_ago in (1, 10, 29, 31):
        OrderFactory(seller=seller, placed_at=now - timedelta(days=days_ago))
    case = buyer_opens_case(seller=seller).case  # one more order, placed today
    seller_replies(case, seller_owner)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        seller_daily_allowance(seller=seller)
    with CaptureQueriesContext(connection) as warm:
        sent, limit = seller_daily_allowance(seller=seller)
    assert (len(cold), len(warm)) == (2, 1)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    orders = Order.objects.filter(
        seller=seller, placed_at__gte=midnight - timedelta(days=30), placed_at__lt=midnight
    ).count()
    assert orders == 3  # 1, 10 and 29 days ago; not 31 days ago, nor today
    assert (sent, limit) == (1, 5 * orders // 30 + 600)
    page = signed_in_client(seller_owner).get(reverse("messaging:case_detail", args=[case.pk]))
    assert f"<strong>{limit - 1}</strong> of {limit} messages left today" in page.text


def test_card_forms_carry_the_requests_csrf_field_and_it_is_accepted(seller, seller_owner):
    """The cards are joined by the seller_cards filter, which puts the CSRF field into each
    card's form: a client that enforces CSRF can press "No Response Needed" with it."""
    from django.test import Client

    case = buyer_opens_case(seller=seller).case
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_owner)
    page = client.get(reverse("messaging:case_detail", args=[case.pk])).text
    message = case.messages.get()
    action = reverse("messaging:message_no_response_needed", args=[message.pk])
    form = re.search(rf'<form method="post" action="{action}".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post(action).status_code == 403  # without the field
    assert client.post(action, {"csrfmiddlewaretoken": token}).status_code in (200, 302)
    message.refresh_from_db()
    assert message.response_state == "no_response_needed"
