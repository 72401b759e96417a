"""Staff sanctions enforced on the web (R35, R36, R37): the send funnel's judge refuses in words,
holds a message back, and staff release or reject it; Contact Buyer and Request a Review say why
they are off; the seller's owners see a banner and get an email."""

from datetime import timedelta
from html import unescape
from http import HTTPStatus

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from core.refusals import MessageRefused
from messaging.models import Message, OutboundEmail, Outcome, ResponseState, SanctionKind
from messaging.sanctions import services
from messaging.sending.services import Draft, message_send
from orders.models import OrderStatus
from tests.clients import signed_in_client
from tests.factories import OrderFactory, SanctionFactory, StaffFactory
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

BANNER = reverse("messaging:sanction_banner")


def _contact(client, order, body="Is the address Apt 4?"):
    return client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "shipping_address", "subject": "Your address", "body": body},
    )


# ---- R35 suspended


def test_r35_suspend_refuses_contact_buyer_and_replies_in_words(
    seller, seller_owner, seller_client
):
    case = buyer_opens_case(seller=seller).case
    SanctionFactory(seller=seller, kind=SanctionKind.SUSPEND, reason="Abusive language.")
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "Ships Monday."}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert not Message.objects.filter(case=case, direction="s2b").exists()
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "suspended your messaging" in response.text + page
    order = OrderFactory(seller=seller)
    response = _contact(seller_client, order)
    assert response.status_code == HTTPStatus.OK
    assert "suspended your messaging: Abusive language." in response.text
    assert not Message.objects.filter(order=order).exists()


def test_r35_buyer_messages_still_arrive_and_are_kept(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    SanctionFactory(seller=seller, kind=SanctionKind.SUSPEND)
    message = buyer_replies(case, "Any news?")
    assert message.outcome == Outcome.DELIVERED
    assert message.response_state == ResponseState.NEEDED


# ---- R36 limited


def test_r36_limit_turns_contact_buyer_and_review_requests_off_but_replies_go_through(
    seller, seller_owner, seller_client
):
    SanctionFactory(seller=seller, kind=SanctionKind.LIMIT_PROACTIVE, reason="Unsolicited offers.")
    order = OrderFactory(seller=seller)
    detail = seller_client.get(reverse("orders:order_detail", args=[order.number])).text
    assert 'id="contact-buyer-link" disabled' in detail
    assert "limited your proactive messaging: Unsolicited offers." in unescape(detail)
    # Both buttons are off for the same reason: it is said once, and both point at it.
    assert unescape(detail).count("limited your proactive messaging: Unsolicited offers.") == 1
    assert 'id="request-review" disabled aria-describedby="contact-why-not"' in detail
    page = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
    assert 'data-rule="R36"' in page
    assert 'id="contact-buyer-form"' not in page
    assert _contact(seller_client, order).status_code == HTTPStatus.OK
    assert not Message.objects.filter(order=order).exists()

    delivered = OrderFactory(
        seller=seller, status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=8)
    )
    seller_client.post(reverse("messaging:review_request", args=[delivered.number]))
    assert not Message.objects.filter(order=delivered).exists()

    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    assert reply.outcome == Outcome.DELIVERED


# ---- R37 held, released, rejected


def test_r37_a_held_message_is_stored_not_delivered_and_released_by_staff(
    seller, seller_owner, seller_client
):
    case = buyer_opens_case(seller=seller).case
    sanction = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE, reason="Wording.")
    django_mail.outbox.clear()
    held = seller_replies(case, seller_owner, body="It ships on Monday.")
    assert held.outcome == Outcome.HELD
    assert not OutboundEmail.objects.filter(message=held).exists()
    sanction.refresh_from_db()
    assert sanction.message_id == held.pk
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "Held for review by AlphaDiscounters staff: Wording." in page
    buyer_page = signed_in_client(case.buyer).get(
        reverse("messaging:buyer_case_detail", args=[case.pk])
    )
    assert "It ships on Monday." not in buyer_page.text
    # only one message is held: the next goes through
    assert seller_replies(case, seller_owner, body="Tracking soon.").outcome == Outcome.DELIVERED

    staff = StaffFactory()
    services.held_message_release(sanction=sanction, staff_user=staff)
    services.held_message_release(sanction=sanction, staff_user=staff)  # twice: once
    held.refresh_from_db()
    sanction.refresh_from_db()
    assert held.outcome == Outcome.DELIVERED
    assert sanction.decision == "released"
    assert sanction.lifted_at is not None
    assert sanction.lifted_by == staff
    assert OutboundEmail.objects.filter(message=held, kind=OutboundEmail.Kind.TO_BUYER).count() == 1


def test_r37_a_rejected_message_stays_stored_never_delivered_and_says_why(
    seller, seller_owner, seller_client
):
    case = buyer_opens_case(seller=seller).case
    sanction = SanctionFactory(
        seller=seller, kind=SanctionKind.HOLD_MESSAGE, reason="Offers a coupon."
    )
    held = seller_replies(case, seller_owner, body="We ship it when we feel like it.")
    services.held_message_reject(sanction=sanction, staff_user=StaffFactory())
    held.refresh_from_db()
    assert held.outcome == Outcome.REJECTED
    assert not OutboundEmail.objects.filter(message=held, kind=OutboundEmail.Kind.TO_BUYER).exists()
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "Rejected by AlphaDiscounters staff, never delivered: Offers a coupon." in page


def test_r37_a_hold_with_its_message_waiting_is_not_lifted_before_staff_decide(
    seller, seller_owner
):
    case = buyer_opens_case(seller=seller).case
    sanction = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE)
    seller_replies(case, seller_owner)
    with pytest.raises(services.SanctionError):
        services.sanction_lift(sanction=sanction, lifted_by=StaffFactory())


def test_r35_a_refusal_stores_nothing(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    SanctionFactory(seller=seller, kind=SanctionKind.SUSPEND)
    with pytest.raises(MessageRefused) as refused:
        message_send(sender=seller_owner, case=case, draft=Draft(body_text="Hello"))
    assert refused.value.refusal.rule == "R35"


# ---- R39 told in words: banner and emails; R38 lifted by beat


def test_r39_the_owner_sees_a_banner_with_what_why_until_and_what_still_works(
    seller, seller_owner, seller_client
):
    ends = timezone.now() + timedelta(days=3)
    SanctionFactory(seller=seller, kind=SanctionKind.LIMIT_PROACTIVE, reason="Spam.", ends_at=ends)
    inbox = seller_client.get(reverse("messaging:inbox")).text
    assert reverse("messaging:sanction_banner") in inbox  # fetched after the page loads
    page = unescape(seller_client.get(BANNER).text)
    assert "data-sanction-id" in page
    assert "Limit proactive messaging" in page
    assert "Why: Spam." in page
    assert f"until {ends:%b %-d, %Y %H:%M} UTC" in page
    assert "Replies to buyers' messages still go through" in page


def test_r39_the_banner_is_for_sellers_only(buyer):
    response = signed_in_client(buyer).get(BANNER)
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_r39_no_banner_for_another_seller_or_after_lifting(seller, other_seller, seller_client):
    sanction = SanctionFactory(seller=other_seller)
    assert "data-sanction-id" not in seller_client.get(BANNER).text
    mine = SanctionFactory(seller=seller)
    services.sanction_lift(sanction=mine, lifted_by=StaffFactory())
    assert "data-sanction-id" not in seller_client.get(BANNER).text
    assert sanction.lifted_at is None


def test_r39_the_owners_get_an_email_when_it_is_set_and_when_it_is_lifted(seller, seller_owner):
    staff = StaffFactory()
    sanction = services.sanction_set(
        seller=seller, kind=SanctionKind.SUSPEND, reason="Threats to a buyer.", set_by=staff
    )
    (set_email,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SANCTION)
    assert set_email.recipient == seller_owner.email
    assert "Threats to a buyer." in set_email.payload["text"]
    assert "Buyers' messages still reach you" in set_email.payload["text"]
    services.sanction_lift(sanction=sanction, lifted_by=staff)
    services.sanction_lift(sanction=sanction, lifted_by=staff)
    lifted = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SANCTION).exclude(pk=set_email.pk)
    assert lifted.count() == 1
    assert "was lifted" in lifted.get().payload["text"]


def test_r38_beat_lifts_a_sanction_at_its_end_date_once(seller, seller_owner, seller_client):
    from messaging.tasks import sanctions_lift_due_task

    now = timezone.now()
    due = SanctionFactory(
        seller=seller, starts_at=now - timedelta(days=2), ends_at=now - timedelta(minutes=1)
    )
    later = SanctionFactory(seller=seller, ends_at=now + timedelta(days=1))
    assert sanctions_lift_due_task() == 1
    assert sanctions_lift_due_task() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.lifted_at is not None
    assert due.lifted_by is None
    assert later.lifted_at is None
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SANCTION).count() == 1


def test_r38_the_lifting_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="messaging.tasks.sanctions_lift_due_task").exists()


def test_r30_only_staff_set_sanctions(seller, seller_owner):
    with pytest.raises(PermissionError):
        services.sanction_set(
            seller=seller, kind=SanctionKind.SUSPEND, reason="x", set_by=seller_owner
        )
