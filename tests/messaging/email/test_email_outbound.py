"""Outbound email (SPEC section 5): what each stored message sends, from whom, and how it is
sent after commit, retried and never twice; the one-click links of copy emails (R15, R16, R22)."""

from datetime import timedelta
from email.utils import parseaddr
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from accounts.services import notification_preferences_update
from cases.models import ResponseState
from core.refusals import MessageRefused
from messaging.email.services import outbound
from messaging.models import Message, MessageReport, OutboundEmail
from messaging.sending import services
from messaging.tasks import MAX_RETRIES, email_queue_sweep, outbound_email_send
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies

COPIES = "inbox@acme-outfitters.example"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what a test does with its on-commit callbacks (the send tasks) executed."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def copies_on(seller):
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=True,
        buyer_message_copies_email=COPIES,
        opt_out_bounces=True,
    )


def test_r19_a_seller_reply_goes_to_the_buyer_from_the_business_name_at_the_seller_alias(
    seller, seller_owner, sent
):
    case = buyer_opens_case(seller=seller).case
    mail.outbox.clear()
    reply = sent(lambda: seller_replies(case, seller_owner, body="It ships today."))
    (email,) = mail.outbox
    name, address = parseaddr(email.from_email)
    assert name == seller.business_name
    assert address == case.relationship.seller_alias
    assert email.to == [case.buyer.email]
    assert seller.business_name in email.body
    assert "It ships today." in email.body
    assert seller.business_name in email.alternatives[0][0]
    reply.refresh_from_db()
    assert email.extra_headers["Message-ID"] == reply.email_message_id
    # the buyer's real address never reaches the seller, and the seller's never the buyer
    assert seller_owner.email not in email.message().as_string()
    row = OutboundEmail.objects.get(message=reply)
    assert row.status == OutboundEmail.Status.SENT
    assert row.attempts == 1


def test_a_reply_threads_to_the_case_emails(seller, seller_owner, sent):
    case = buyer_opens_case(seller=seller).case
    first = sent(lambda: seller_replies(case, seller_owner, body="First"))
    mail.outbox.clear()
    sent(lambda: seller_replies(case, seller_owner, body="Second"))
    first.refresh_from_db()
    assert mail.outbox[0].extra_headers["In-Reply-To"] == first.email_message_id


def test_r22_a_buyer_message_is_copied_from_the_buyer_alias_with_one_click_links(
    seller, copies_on, sent
):
    message = sent(lambda: buyer_opens_case(seller=seller, body="Where is my parcel?"))
    (copy,) = [e for e in mail.outbox if e.to == [COPIES]]
    assert copy.from_email == message.case.relationship.buyer_alias
    assert "Where is my parcel?" in copy.body
    assert "/email/action/" in copy.body
    assert message.case.buyer.email not in copy.message().as_string()


def test_r22_no_copy_when_copies_are_off(seller, sent):
    sent(lambda: buyer_opens_case(seller=seller))
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.COPY_TO_SELLER).count() == 0


def test_r4_a_blocked_message_bounces_back_to_the_member_who_sent_it(seller, seller_owner, sent):
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = OrderFactory(seller=seller, buyer=buyer)
    draft = services.Draft(
        body_text="A tip", subject="Tips", contact_reason="additional_information"
    )
    message = sent(lambda: services.message_send(sender=seller_owner, order=order, draft=draft))
    assert message.outcome_rule == "R2"
    (bounce,) = mail.outbox
    assert bounce.to == [seller_owner.email]
    assert "opted out" in bounce.body
    assert buyer.email not in bounce.message().as_string()


def test_r4_no_bounce_email_when_buyer_opt_out_is_cleared(seller, seller_owner, sent):
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=False,
        buyer_message_copies_email="",
        opt_out_bounces=False,
    )
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    draft = services.Draft(
        body_text="A tip", subject="Tips", contact_reason="additional_information"
    )
    order = OrderFactory(seller=seller, buyer=buyer)
    sent(lambda: services.message_send(sender=seller_owner, order=order, draft=draft))
    assert mail.outbox == []


def test_a_refused_message_sends_nothing(seller, seller_owner, sent):
    case = buyer_opens_case(seller=seller).case
    mail.outbox.clear()
    with pytest.raises(MessageRefused):
        sent(lambda: seller_replies(case, seller_owner, body="Visit shop.example.com"))
    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.TO_BUYER).exists()


def test_a_transport_error_leaves_the_email_pending_and_the_retry_sends_it_once(
    seller, seller_owner, sent
):
    case = buyer_opens_case(seller=seller).case
    mail.outbox.clear()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPServerDisconnected("try again"),
        ),
        pytest.raises(Retry),
    ):  # eager here; a worker retries with backoff
        outbound_email_send.apply(args=[_to_buyer_row_after(sent, case, seller_owner)])
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.TO_BUYER)
    assert row.status == OutboundEmail.Status.PENDING
    assert row.attempts == 1
    assert "try again" in row.last_error
    outbound_email_send.apply(args=[row.pk])  # the retry
    outbound_email_send.apply(args=[row.pk])  # a late duplicate: finds it sent
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert row.attempts == 2
    assert len(mail.outbox) == 1


def _to_buyer_row_after(sent, case, member) -> int:
    """Store a reply with its email queued but not sent (the task is run by the test)."""
    with mock.patch("messaging.tasks.outbound_email_send.delay"):
        sent(lambda: seller_replies(case, member))
    return OutboundEmail.objects.get(kind=OutboundEmail.Kind.TO_BUYER).pk


def test_an_email_that_keeps_failing_ends_failed_with_its_error(seller, seller_owner, sent):
    case = buyer_opens_case(seller=seller).case
    pk = _to_buyer_row_after(sent, case, seller_owner)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("down"),
    ):
        outbound_email_send.apply(args=[pk], retries=MAX_RETRIES)
    row = OutboundEmail.objects.get(pk=pk)
    assert row.status == OutboundEmail.Status.FAILED
    assert "down" in row.last_error


def test_the_sweep_queues_again_what_a_broker_outage_left_behind(seller, seller_owner, sent):
    case = buyer_opens_case(seller=seller).case
    pk = _to_buyer_row_after(sent, case, seller_owner)
    OutboundEmail.objects.filter(pk=pk).update(created_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()
    assert email_queue_sweep.apply().get() == 1
    assert OutboundEmail.objects.get(pk=pk).status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


# ---- one-click links (R15, R16)


def _link(message: Message, action: str) -> str:
    return reverse(
        "messaging:email_action", args=[outbound.action_token(message=message, action=action)]
    )


def test_r15_the_link_asks_first_and_marks_no_response_needed_without_signing_in(seller, client):
    message = buyer_opens_case(seller=seller)
    url = _link(message, "nrn")
    page = client.get(url)
    assert page.status_code == 200
    assert "Mark as no response needed" in page.text
    message.refresh_from_db()
    assert message.response_state == ResponseState.NEEDED  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    message.refresh_from_db()
    assert message.response_state == ResponseState.NO_RESPONSE_NEEDED
    assert message.no_response_needed_via == "email link"
    assert message.no_response_needed_by is None
    message.case.refresh_from_db()
    assert not message.case.needs_response
    assert client.post(url).status_code == 200  # twice is safe


def test_r16_the_report_link_needs_a_reason_and_records_the_copies_address(
    seller, copies_on, client
):
    message = buyer_opens_case(seller=seller)
    url = _link(message, "report")
    assert client.post(url, {}).status_code == 200
    assert not MessageReport.objects.exists()
    client.post(url, {"reason": "spam"})
    client.post(url, {"reason": "spam"})
    report = MessageReport.objects.get()
    assert report.reporter is None
    assert report.reported_via == f"email link: {COPIES}"
    message.refresh_from_db()
    assert message.response_state == ResponseState.REPORTED


def test_a_tampered_link_is_refused_with_a_clear_page(seller, client):
    message = buyer_opens_case(seller=seller)
    token = outbound.action_token(message=message, action="nrn")
    response = client.post(reverse("messaging:email_action", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "not valid" in response.text
    message.refresh_from_db()
    assert message.response_state == ResponseState.NEEDED


def test_an_expired_link_is_refused_with_a_clear_page(seller, client):
    message = buyer_opens_case(seller=seller)
    url = _link(message, "nrn")
    later = outbound.ACTION_MAX_AGE + timedelta(minutes=1)
    with mock.patch(
        "django.core.signing.time.time", return_value=signing.time.time() + later.total_seconds()
    ):
        response = client.post(url)
    assert response.status_code == 410
    assert "expired" in response.text
    message.refresh_from_db()
    assert message.response_state == ResponseState.NEEDED


def test_a_link_for_a_seller_message_cannot_report_it_as_a_buyer_message(
    seller, seller_owner, client
):
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    response = client.post(_link(reply, "nrn"))
    assert response.status_code == 400
    assert "Only buyer messages" in response.text
    reply.refresh_from_db()
    assert reply.response_state == ResponseState.NOT_APPLICABLE
    assert signed_in_client(seller_owner).get(reverse("messaging:inbox")).status_code == 200
