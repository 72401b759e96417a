"""The message card of the case pages (messaging.case_page.cards), as the seller and as the
buyer see it: who wrote it and when, the body as stored (sanitized HTML) or as text, the
attachments, the delivery outcome and the response state for the seller, Report for the
buyer; every value escaped."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyerProfile
from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from messaging.attachments import IncomingAttachment
from messaging.models import Attachment, Channel, Direction, Message, Outcome, ReportReason
from messaging.moderation.services.flags import message_mark_no_response_needed
from tests.clients import signed_in_client
from tests.factories import MessageFactory, MessageReportFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db


def _cards(html: str) -> dict[int, tuple[str, str]]:
    """Each card of a case page by message id: (its classes, its inner HTML)."""
    found = re.findall(r'<article class="([^"]*)" id="message-(\d+)">(.*?)</article>', html, re.S)
    return {int(pk): (classes, inner) for classes, pk, inner in found}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def conversation(seller, seller_owner):
    """Buyer and seller messages, by web and by email, with attachments, reported (two
    reasons), No Response Needed, waiting, a seller message not delivered (R12) and one in
    sanitized HTML."""
    opened = buyer_opens_case(
        seller=seller,
        body="Line one\nLine two <b>not bold</b> & more",
        attachments=[IncomingAttachment(name="photo-2.txt", content=b"two")],
    )
    case = opened.case
    reply = seller_replies(
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
    blocked = MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        channel=Channel.EMAIL,
        outcome=Outcome.BLOCKED,
        outcome_rule="R12",
        outcome_reason="It links to <another> website.",
        body_html="<p>Visit <b>us</b></p>",
    )
    by_email = MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        channel=Channel.EMAIL,
        body_html="<p>Your parcel <em>left</em> today.</p>",
    )
    waiting = buyer_replies(case, body="Still waiting")
    case.refresh_from_db()
    return {
        "case": case,
        "opened": opened,
        "reply": reply,
        "reported": reported,
        "skipped": skipped,
        "blocked": blocked,
        "by_email": by_email,
        "waiting": waiting,
    }


def _seller_cards(seller_owner, case):
    page = signed_in_client(seller_owner).get(reverse("messaging:case_detail", args=[case.pk]))
    assert page.status_code == 200
    return _cards(page.text)


def _buyer_cards(case):
    page = signed_in_client(case.buyer).get(reverse("messaging:buyer_case_detail", args=[case.pk]))
    assert page.status_code == 200
    return _cards(page.text)


# ---- the seller's card


def test_seller_sees_every_message_in_order_with_who_wrote_it(seller_owner, conversation):
    case = conversation["case"]
    cards = _seller_cards(seller_owner, case)
    assert list(cards) == list(
        Message.objects.filter(case=case).order_by("created_at", "id").values_list("id", flat=True)
    )
    classes, opened = cards[conversation["opened"].pk]
    assert classes == "card shadow-sm message message-buyer"
    assert f'<strong>Buyer</strong> <span class="alias">{case.buyer_alias}</span>' in opened
    classes, reply = cards[conversation["reply"].pk]
    assert classes == "card shadow-sm message message-seller ms-lg-5"  # the seller's own: indented
    assert f"<strong>You</strong> · {seller_owner.get_full_name()}</span>" in reply
    assert "by email" not in reply
    assert " · by email</span>" in cards[conversation["by_email"].pk][1]


def test_seller_card_date_subject_and_text_body_escaped(seller_owner, conversation):
    opened = conversation["opened"]
    Message.objects.filter(pk=opened.pk).update(
        created_at=datetime(2026, 3, 9, 7, 5, tzinfo=UTC), subject="Parcel <late> & lost"
    )
    _, card = _seller_cards(seller_owner, conversation["case"])[opened.pk]
    assert '<span class="text-secondary">Mar 9, 2026 07:05 UTC</span>' in card
    assert '<div class="small text-secondary mb-2">Parcel &lt;late&gt; &amp; lost</div>' in card
    assert (
        '<div class="message-body">Line one<br>Line two &lt;b&gt;not bold&lt;/b&gt; &amp; more'
        "</div>"
    ) in card


def test_seller_card_shows_sanitized_html_as_stored(seller_owner, conversation):
    _, card = _seller_cards(seller_owner, conversation["case"])[conversation["by_email"].pk]
    assert '<div class="message-body"><p>Your parcel <em>left</em> today.</p></div>' in card


def test_seller_card_attachments_link_to_their_download_in_order(seller_owner, conversation):
    reply = conversation["reply"]
    _, card = _seller_cards(seller_owner, conversation["case"])[reply.pk]
    links = re.findall(r'<a class="[^"]*attachment-link" href="([^"]+)">(.*?)</a>', card)
    attachments = list(Attachment.objects.filter(message=reply).order_by("id"))
    assert [href for href, _ in links] == [
        reverse("messaging:attachment_download", args=[a.pk]) for a in attachments
    ]
    assert [_text(label) for _, label in links] == [
        "📎 label.txt (5 bytes)",  # filesizeformat's non-breaking space, as a space here
        "📎 invoice.txt (2.9 KB)",
    ]


def test_seller_card_of_a_message_not_delivered_says_why(seller_owner, conversation):
    classes, card = _seller_cards(seller_owner, conversation["case"])[conversation["blocked"].pk]
    assert "border-danger" in classes.split()
    assert (
        '<div class="alert alert-danger small mt-3 mb-0 message-outcome" role="status" '
        'data-rule="R12"><strong>Not delivered:</strong> It links to &lt;another&gt; website.'
    ) in card
    policy = re.search(r'<a class="alert-link policy-link" href="([^"]+)">([^<]+)</a>', card)
    assert policy is not None
    assert policy.group(1).startswith(reverse("messaging:policy"))
    assert policy.group(2) == "Messaging policy: What seller messages may contain"
    delivered_classes, delivered = _seller_cards(seller_owner, conversation["case"])[
        conversation["reply"].pk
    ]
    assert "border-danger" not in delivered_classes
    assert "message-outcome" not in delivered


def test_seller_card_response_states_and_their_buttons(seller_owner, conversation):
    cards = _seller_cards(seller_owner, conversation["case"])
    waiting = conversation["waiting"]
    _, card = cards[waiting.pk]
    assert '<span class="badge text-bg-danger">Response needed</span>' in card
    assert re.search(r"data-response-clock>Counts for your response time: \d+ (h|min) left<", card)
    no_response = reverse("messaging:message_no_response_needed", args=[waiting.pk])
    assert f'<form method="post" action="{no_response}"' in card
    assert f'hx-post="{no_response}" hx-target="#case-conversation"' in card
    assert 'name="csrfmiddlewaretoken"' in card  # the request's CSRF field, inside the form
    assert ">No Response Needed</button></form>" in card
    report = reverse("messaging:message_report", args=[waiting.pk])
    assert f'href="{report}">Report Message</a>' in card

    _, card = cards[conversation["skipped"].pk]
    assert '<span class="badge text-bg-secondary">No response needed</span>' in card
    undo = reverse("messaging:message_no_response_needed_undo", args=[conversation["skipped"].pk])
    assert f'action="{undo}"' in card
    assert ">Undo</button></form>" in card

    _, card = cards[conversation["opened"].pk]
    assert '<span class="badge text-bg-success">Responded</span>' in card

    _, card = cards[conversation["reported"].pk]
    # The reasons, newest report first; a reported message cannot be reported again.
    assert '<span class="badge text-bg-warning report-reason">Reported: Spam, Abusive</span>' in (
        card
    )
    assert "Report Message" not in card
    assert "card-footer" not in cards[conversation["reply"].pk][1]  # seller messages: no footer


def test_seller_card_on_a_closed_case_says_not_answered(seller_owner, conversation):
    case = case_change_state_by_seller(
        case=conversation["case"], actor=seller_owner, to_status=CaseStatus.CLOSED
    )
    _, card = _seller_cards(seller_owner, case)[conversation["waiting"].pk]
    assert '<span class="badge text-bg-secondary">Not answered (case closed)</span>' in card
    assert "Counts for your response time" not in card
    assert "<form" not in card


def test_seller_card_escapes_the_senders_name_and_the_buyer_alias(seller, conversation):
    member = seller_user(seller, user__full_name="Ann <script>")
    message = seller_replies(conversation["case"], member, body="Hello")
    cards = _seller_cards(member, conversation["case"])
    assert "<strong>You</strong> · Ann &lt;script&gt;</span>" in cards[message.pk][1]


# ---- the buyer's card


def test_buyer_sees_you_and_the_seller_and_not_what_was_not_delivered(seller, conversation):
    case = conversation["case"]
    cards = _buyer_cards(case)
    assert conversation["blocked"].pk not in cards
    assert list(cards) == list(
        Message.objects.filter(case=case)
        .exclude(pk=conversation["blocked"].pk)
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )
    classes, own = cards[conversation["opened"].pk]
    assert classes == "card shadow-sm message message-buyer ms-lg-5"  # the buyer's own: indented
    assert '<span class="message-sender"><strong>You</strong></span>' in own
    classes, reply = cards[conversation["reply"].pk]
    assert classes == "card shadow-sm message message-seller"
    assert '<span class="message-sender"><strong>Acme Outfitters</strong></span>' in reply
    for _, card in cards.values():
        assert "message-outcome" not in card
        assert "Response needed" not in card
        assert "No Response Needed" not in card
        assert "<form" not in card


def test_buyer_card_body_attachments_and_date(conversation):
    cards = _buyer_cards(conversation["case"])
    _, own = cards[conversation["opened"].pk]
    assert "Line one<br>Line two &lt;b&gt;not bold&lt;/b&gt; &amp; more" in own
    download = reverse(
        "messaging:attachment_download",
        args=[Attachment.objects.get(message=conversation["opened"]).pk],
    )
    assert (
        f'<a class="btn btn-sm btn-outline-secondary attachment-link" href="{download}">'
        '<span aria-hidden="true">📎</span> photo-2.txt <span class="text-secondary">'
        "(3\xa0bytes)</span></a>"
    ) in own
    _, html = cards[conversation["by_email"].pk]
    assert '<div class="message-body"><p>Your parcel <em>left</em> today.</p></div>' in html
    created = timezone.localtime(conversation["reply"].created_at)
    assert (
        f"{created:%b} {created.day}, {created.year} {created:%H:%M} UTC"
        in (cards[conversation["reply"].pk][1])
    )


def test_buyer_card_report_link_or_the_buyers_own_report(conversation):
    case = conversation["case"]
    reply, by_email = conversation["reply"], conversation["by_email"]
    MessageReportFactory(message=by_email, reporter=case.buyer, reason=ReportReason.PHISHING)
    cards = _buyer_cards(case)
    report = reverse("messaging:buyer_message_report", args=[reply.pk])
    assert (
        '<div class="card-footer bg-white d-flex justify-content-end small">'
        f'<a class="link-danger" href="{report}">Report</a></div>'
    ) in cards[reply.pk][1]
    assert (
        '<span class="badge text-bg-warning report-reason">Reported: Phishing</span>'
        in cards[by_email.pk][1]
    )
    assert "buyer_message_report" not in cards[by_email.pk][1]
    # The buyer's own messages have nothing to report, whatever the seller did with them.
    assert "card-footer" not in cards[conversation["reported"].pk][1]


def test_buyer_card_in_the_buyers_language(conversation):
    case = conversation["case"]
    BuyerProfile.objects.filter(user=case.buyer).update(preferred_language="de")
    cards = _buyer_cards(case)
    assert "<strong>Sie</strong>" in cards[conversation["opened"].pk][1]
    assert ">Melden</a>" in cards[conversation["reply"].pk][1]
    MessageReportFactory(message=conversation["reply"], reporter=case.buyer, reason="spam")
    cards = _buyer_cards(case)
    assert ">Gemeldet: Spam</span>" in cards[conversation["reply"].pk][1]


def test_buyer_card_escapes_the_sellers_name(seller, conversation):
    seller.business_name = "Acme <Outfitters> & Co"
    seller.save(update_fields=["business_name"])
    _, card = _buyer_cards(conversation["case"])[conversation["reply"].pk]
    assert "<strong>Acme &lt;Outfitters&gt; &amp; Co</strong>" in card
