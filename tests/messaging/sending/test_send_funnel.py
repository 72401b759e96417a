"""The one send funnel: every way a message is made goes through `message_send` and its judge,
so the same broken rule gets the same refusal on every entry point, and the live check while
typing agrees with Send."""

import html
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.services import seller_set_accepting_messages
from cases.models import CaseStatus
from cases.policy import CASE_CLOSED_MSG
from cases.services import case_transition
from core.refusals import MessageRefused, NotAParty
from messaging import policy
from messaging.attachments import ATTACHMENT_CONTENT_MISMATCH_MSG, IncomingAttachment
from messaging.models import Message
from messaging.sending import services
from orders.models import OrderStatus
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case
from tests.templates_app.content_rules.test_content_rules import ALLOWED_TEXTS, REFUSED_TEXTS

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
EXE_AS_PDF_MSG = ATTACHMENT_CONTENT_MISMATCH_MSG.format(name="invoice.pdf", kind="PDF")
R12_CORPUS = [*ALLOWED_TEXTS, *(text for text, _kind, _excerpt in REFUSED_TEXTS)]


def _exe_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("invoice.pdf", EXE, content_type="application/pdf")


def _delivered_order(seller, days=10):
    return OrderFactory(
        seller=seller,
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=days),
    )


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


# ---- every entry point goes through the judge exactly once


def _web_buyer(seller, owner):
    order = OrderFactory(seller=seller)
    url = reverse("messaging:contact_seller", args=[order.number])
    data = {"reason": "shipping_or_delivery", "subject": "Where?", "body": "Where is it?"}
    return signed_in_client(order.buyer), url, data


def _ask(seller, owner):
    url = reverse("messaging:store_ask", args=[seller.slug])
    data = {"subject": "A question", "body": "Does it come in blue?"}
    return signed_in_client(BuyerFactory()), url, data


def _seller_reply(seller, owner):
    case = buyer_opens_case(seller=seller).case
    url = reverse("messaging:case_reply", args=[case.pk])
    return signed_in_client(owner), url, {"body": "It ships today."}


def _buyer_reply(seller, owner):
    case = buyer_opens_case(seller=seller).case
    url = reverse("messaging:buyer_case_reply", args=[case.pk])
    return signed_in_client(case.buyer), url, {"body": "Thanks!"}


def _contact_buyer(seller, owner):
    order = OrderFactory(seller=seller)
    url = reverse("messaging:contact_buyer", args=[order.number])
    data = {"reason": "additional_information", "subject": "Size", "body": "Which size?"}
    return signed_in_client(owner), url, data


def _review_request(seller, owner):
    order = _delivered_order(seller)
    return signed_in_client(owner), reverse("messaging:review_request", args=[order.number]), {}


ENTRY_POINTS = {
    "web buyer": _web_buyer,
    "ask a question": _ask,
    "seller reply": _seller_reply,
    "buyer reply": _buyer_reply,
    "contact buyer": _contact_buyer,
    "request a review": _review_request,
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_is_judged_once_by_the_funnel_and_stores_one_message(
    entry, seller, seller_owner
):
    client, url, data = ENTRY_POINTS[entry](seller, seller_owner)
    before = Message.objects.count()
    with mock.patch.object(policy, "judge", wraps=policy.judge) as judge:
        response = client.post(url, data)
    assert response.status_code == 302, _page_text(response)
    assert judge.call_count == 1
    assert isinstance(judge.call_args.args[0], policy.SendFacts)
    assert Message.objects.count() == before + 1


# ---- the same broken rule, the same refusal, whatever the entry point


@pytest.mark.parametrize("entry", ["seller reply", "contact buyer", "request a review"])
def test_r8_every_seller_entry_point_gives_the_same_daily_limit_refusal(
    entry, seller, seller_owner, monkeypatch
):
    client, url, data = ENTRY_POINTS[entry](seller, seller_owner)
    monkeypatch.setattr(policy.seller_limits, "DAILY_LIMIT_BASE", 0)
    # The entry point's orders are placed today: none is in the 30 days before today yet.
    limit = policy.daily_message_limit(orders_last_30_days=0)
    expected = policy.DAILY_LIMIT_REACHED_MSG.format(limit=limit)
    before = Message.objects.count()
    response = client.post(url, data, follow=True)
    assert expected in _page_text(response)
    assert Message.objects.count() == before


@pytest.mark.parametrize("entry", ["web buyer", "seller reply", "buyer reply", "contact buyer"])
def test_r13_every_form_with_attachments_gives_the_same_refusal(entry, seller, seller_owner):
    client, url, data = ENTRY_POINTS[entry](seller, seller_owner)
    expected = EXE_AS_PDF_MSG
    before = Message.objects.count()
    response = client.post(url, {**data, "attachments": _exe_as_pdf()})
    assert response.status_code == 200
    assert expected in _page_text(response)
    assert Message.objects.count() == before


def test_r13_ask_a_question_meets_the_same_attachment_check(seller):
    """The Ask form has no file field; the funnel still checks what a channel brings."""
    with pytest.raises(MessageRefused) as refused:
        services.message_send(
            sender=BuyerFactory(),
            seller=seller,
            draft=services.Draft(
                body_text="See the file", attachments=[IncomingAttachment("a.pdf", EXE)]
            ),
        )
    assert refused.value.refusal.rule == "R13"
    assert refused.value.refusal.message == ATTACHMENT_CONTENT_MISMATCH_MSG.format(
        name="a.pdf", kind="PDF"
    )


@pytest.mark.parametrize("entry", ["web buyer", "ask a question"])
def test_r18_both_buyer_entry_points_give_the_same_not_accepting_refusal(
    entry, seller, seller_owner
):
    seller_set_accepting_messages(seller=seller, accepting=False)
    client, url, data = ENTRY_POINTS[entry](seller, seller_owner)
    before = Message.objects.count()
    response = client.post(url, data)
    expected = policy.NOT_ACCEPTING_MSG.format(business_name=seller.business_name)
    assert expected in _page_text(response)
    assert Message.objects.count() == before


@pytest.mark.parametrize(
    ("sender", "by_seller"), [("owner", True), ("buyer", False)], ids=["seller", "buyer"]
)
def test_r9_a_closed_case_refuses_both_parties_with_the_same_words(
    sender, by_seller, seller, seller_owner
):
    case = buyer_opens_case(seller=seller).case
    case_transition(case=case, to_status=CaseStatus.CLOSED, actor=seller_owner, cause="test")
    with pytest.raises(MessageRefused) as refused:
        services.message_send(
            sender=seller_owner if by_seller else case.buyer,
            case=case,
            draft=services.Draft(body_text="Hello?"),
        )
    assert refused.value.refusal.rule == "R9"
    assert refused.value.refusal.message == CASE_CLOSED_MSG


def test_a_stranger_is_not_a_party_on_any_destination(seller):
    stranger = BuyerFactory()
    case = buyer_opens_case(seller=seller).case
    other_member = seller_user()
    draft = services.Draft(body_text="Hi")
    for sender, where in [
        (stranger, {"case": case}),
        (stranger, {"order": case.order}),
        (other_member, {"case": case}),
        (other_member, {"order": case.order}),
    ]:
        with pytest.raises(NotAParty):
            services.message_send(sender=sender, draft=draft, **where)
        with pytest.raises(NotAParty):
            services.message_check(sender=sender, draft=draft, **where)


# ---- the live check agrees with Send


@pytest.mark.parametrize("text", R12_CORPUS)
def test_r12_live_check_agrees_with_send_on_contact_buyer_and_reply(text, seller, seller_owner):
    order = OrderFactory(seller=seller)
    case = buyer_opens_case(seller=seller).case
    for where, reason in [({"order": order}, "additional_information"), ({"case": case}, "")]:
        draft = services.Draft(body_text=text, subject="About your order", contact_reason=reason)
        verdict = services.message_check(sender=seller_owner, draft=draft, **where)
        if isinstance(verdict, policy.Refused):
            with pytest.raises(MessageRefused) as refused:
                services.message_send(sender=seller_owner, draft=draft, **where)
            assert refused.value.refusal == verdict.refusal, text
        else:
            assert verdict == policy.Delivered(), text
            assert services.message_send(sender=seller_owner, draft=draft, **where).pk


def test_r12_live_check_page_shows_the_words_send_would_show(seller, seller_owner):
    order = OrderFactory(seller=seller)
    client = signed_in_client(seller_owner)
    data = {"reason": "additional_information", "subject": "Hi", "body": "Visit shop.example.com"}
    check = client.post(reverse("messaging:contact_buyer_check", args=[order.number]), data)
    send = client.post(reverse("messaging:contact_buyer", args=[order.number]), data)
    refusal = services.message_check(
        sender=seller_owner,
        order=order,
        draft=services.Draft(
            body_text=data["body"], subject=data["subject"], contact_reason=data["reason"]
        ),
    )
    assert isinstance(refusal, policy.Refused)
    assert refusal.refusal.message in _page_text(check)
    assert refusal.refusal.message in _page_text(send)


def test_the_reply_box_live_check_names_the_rule_while_typing(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(seller_owner)
    url = reverse("messaging:case_reply_check", args=[case.pk])
    bad = client.post(url, {"body": "Write me at bob@gmail.com"})
    assert "bob@gmail.com" in _page_text(bad)
    good = client.post(url, {"body": "It ships today."})
    assert "No problems found" in _page_text(good)
    assert Message.objects.filter(case=case).count() == 1


def test_the_live_check_waits_for_a_contact_reason_but_send_does_not(seller, seller_owner):
    order = OrderFactory(seller=seller)
    draft = services.Draft(body_text="Hello", subject="Hi")
    assert services.message_check(sender=seller_owner, order=order, draft=draft) == (
        policy.Delivered()
    )
    with pytest.raises(MessageRefused) as refused:
        services.message_send(sender=seller_owner, order=order, draft=draft)
    assert refused.value.refusal.rule == "R5"


def test_r2_the_live_check_says_an_opted_out_buyer_will_not_get_it(seller, seller_owner):
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = OrderFactory(seller=seller, buyer=buyer)
    draft = services.Draft(body_text="Hello", subject="Hi", contact_reason="additional_information")
    verdict = services.message_check(sender=seller_owner, order=order, draft=draft)
    assert isinstance(verdict, policy.Blocked)
    assert verdict.refusal.rule == "R2"
    message = services.message_send(sender=seller_owner, order=order, draft=draft)
    assert message.outcome_rule == "R2"
