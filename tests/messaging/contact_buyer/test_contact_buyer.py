"""Contact Buyer, Request a Review and the seller-message rules through the services and pages."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from core.refusals import MessageRefused
from messaging import policy
from messaging.contact_buyer.services import review_request_send
from messaging.models import Direction, Message, Outcome, ResponseState
from messaging.sending import selectors, services
from orders.models import OrderStatus
from templates_app.content_rules import LINK_MSG
from templates_app.models import MarketingPhrase
from tests.factories import (
    BuyerFactory,
    CategoryFactory,
    OrderFactory,
    ProductFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case, buyer_replies

pytestmark = pytest.mark.django_db


def _draft(reason="additional_information", body="Please confirm your size.", **kw):
    subject = kw.pop("subject", "Your order")
    return services.Draft(body_text=body, subject=subject, contact_reason=reason, **kw)


def _order(seller, status=OrderStatus.UNSHIPPED, buyer=None, **kw):
    return OrderFactory(seller=seller, status=status, **({"buyer": buyer} if buyer else {}), **kw)


def _opted_out_buyer():
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    return buyer


class TestContactBuyerService:
    def test_opens_a_seller_started_case_with_the_order_id_in_the_subject(
        self, seller, seller_owner
    ):
        order = _order(seller)
        message = services.message_send(sender=seller_owner, order=order, draft=_draft())
        case = message.case
        assert case.started_by == Case.StartedBy.SELLER
        assert message.subject == f"Your order (Order: {order.number})"
        assert message.outcome == Outcome.DELIVERED
        assert message.direction == Direction.SELLER_TO_BUYER
        assert not case.needs_response
        assert case.has_sent

    def test_r3_critical_reason_marks_the_subject_important(self, seller, seller_owner):
        message = services.message_send(
            sender=seller_owner, order=_order(seller), draft=_draft("shipping_address")
        )
        assert message.subject.startswith("[Important] ")
        assert message.is_critical

    def test_r5_reason_not_offered_for_the_order_is_refused(self, seller, seller_owner):
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner, order=_order(seller), draft=_draft("return_question")
            )
        assert refused.value.refusal.rule == "R5"
        assert not Message.objects.exists()
        assert not Case.objects.exists()

    def test_r5_pending_order_is_refused(self, seller, seller_owner):
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner, order=_order(seller, OrderStatus.PENDING), draft=_draft()
            )
        assert refused.value.refusal.message == policy.NO_REASONS_PENDING_MSG

    def test_r5_customization_needs_a_customizable_item(self, seller, seller_owner):
        handmade = CategoryFactory(name="Handmade", customizable=True)
        order = _order(seller, items=[ProductFactory(seller=seller, category=handmade)])
        message = services.message_send(
            sender=seller_owner, order=order, draft=_draft("product_customization")
        )
        assert message.is_critical
        with pytest.raises(MessageRefused):
            services.message_send(
                sender=seller_owner, order=_order(seller), draft=_draft("product_customization")
            )

    @pytest.mark.parametrize(
        ("age", "allowed"),
        [(timedelta(days=30) - timedelta(minutes=1), True), (timedelta(days=30, seconds=1), False)],
    )
    def test_r6_thirty_days_after_delivery(self, seller, seller_owner, age, allowed):
        order = _order(seller, OrderStatus.DELIVERED, delivered_at=timezone.now() - age)
        if allowed:
            services.message_send(sender=seller_owner, order=order, draft=_draft())
            assert Message.objects.count() == 1
        else:
            with pytest.raises(MessageRefused) as refused:
                services.message_send(sender=seller_owner, order=order, draft=_draft())
            assert refused.value.refusal.rule == "R6"
            assert not Message.objects.exists()

    def test_r6_counts_from_cancellation_too(self, seller, seller_owner):
        canceled_at = timezone.now() - timedelta(days=31)
        order = _order(seller, OrderStatus.CANCELED, canceled_at=canceled_at)
        assert order.completed_at == canceled_at
        refusal = policy.refuse_outside_window(
            order_number=order.number, completed_at=order.completed_at, now=timezone.now()
        )
        assert refusal.rule == "R6"
        # Contact Buyer offers no reasons for a canceled order at all (R5), which comes first.
        with pytest.raises(MessageRefused) as refused:
            services.message_send(sender=seller_owner, order=order, draft=_draft())
        assert refused.value.refusal.rule == "R5"

    def test_r12_link_is_refused_naming_the_rule_and_nothing_is_stored(self, seller, seller_owner):
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner,
                order=_order(seller),
                draft=_draft(body="See shop.example.com for sizes"),
            )
        assert refused.value.refusal.rule == "R12"
        assert "shop.example.com" in refused.value.refusal.message
        assert refused.value.refusal.message.startswith(LINK_MSG.split("“")[0])
        assert not Message.objects.exists()

    def test_r12_the_parties_aliases_order_ids_and_prices_are_allowed(self, seller, seller_owner):
        order = _order(seller)
        body = (
            f"Order {order.number}: $19.99 at 10:30, item #2 :) "
            f"Write to {order.relationship.buyer_alias} or {order.relationship.seller_alias}."
        )
        message = services.message_send(sender=seller_owner, order=order, draft=_draft(body=body))
        assert message.outcome == Outcome.DELIVERED

    def test_r12_marketing_phrases_come_from_the_staff_list(self, seller, seller_owner):
        MarketingPhrase.objects.create(phrase="flash bonanza")
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner, order=_order(seller), draft=_draft(body="A FLASH BONANZA!")
            )
        assert refused.value.refusal.rule == "R12"
        MarketingPhrase.objects.filter(phrase="flash bonanza").update(active=False)
        services.message_send(
            sender=seller_owner, order=_order(seller), draft=_draft(body="A FLASH BONANZA!")
        )

    def test_r12_applies_to_replies_too(self, seller, seller_owner):
        case = buyer_opens_case(seller=seller).case
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner, case=case, draft=services.Draft(body_text="Hi 😀")
            )
        assert refused.value.refusal.rule == "R12"
        assert case.messages.count() == 1

    def test_r12_buyer_messages_are_not_filtered(self, seller):
        message = buyer_opens_case(seller=seller, body="Look at shop.example.com 😀")
        assert message.body_text == "Look at shop.example.com 😀"


class TestDailyLimit:
    def _fill(self, seller, owner, count):
        case = services.message_send(sender=owner, order=_order(seller), draft=_draft()).case
        now = timezone.now()
        Message.objects.bulk_create(
            Message(
                case=case,
                seller=seller,
                direction=Direction.SELLER_TO_BUYER,
                subject="x",
                body_text="x",
                created_at=now,
            )
            for _ in range(count - 1)
        )

    def test_r8_with_no_orders_the_limit_is_600_and_message_601_is_refused(
        self, seller, seller_owner
    ):
        self._fill(seller, seller_owner, 600)
        # The one order of _fill is placed today: it counts from tomorrow, the average is 0.
        assert selectors.seller_daily_allowance(seller=seller) == (600, 600)
        before = Message.objects.count()
        with pytest.raises(MessageRefused) as refused:
            services.message_send(sender=seller_owner, order=_order(seller), draft=_draft())
        assert refused.value.refusal.rule == "R8"
        assert Message.objects.count() == before

    def test_r8_limit_grows_with_order_volume(self, seller, seller_owner):
        # 60 orders in the 30 days before today: 5 × 2 + 600 = 610 (the order of _fill is
        # placed today and counts from tomorrow).
        OrderFactory.create_batch(60, seller=seller, placed_at=timezone.now() - timedelta(days=1))
        self._fill(seller, seller_owner, 609)
        assert selectors.seller_daily_allowance(seller=seller) == (609, 610)
        services.message_send(sender=seller_owner, order=_order(seller), draft=_draft())
        with pytest.raises(MessageRefused):
            services.message_send(sender=seller_owner, order=_order(seller), draft=_draft())

    def test_r8_counts_per_utc_day(self, seller, seller_owner):
        self._fill(seller, seller_owner, 600)
        yesterday = timezone.now() - timedelta(days=1)
        Message.objects.update(created_at=yesterday)
        assert selectors.seller_daily_allowance(seller=seller)[0] == 0

    def test_r8_the_count_starts_again_at_utc_midnight_not_24_hours_later(
        self, seller, seller_owner
    ):
        self._fill(seller, seller_owner, 2)
        now = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
        first, second = Message.objects.order_by("id")
        Message.objects.filter(pk=first.pk).update(
            created_at=datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC)
        )
        Message.objects.filter(pk=second.pk).update(
            created_at=datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
        )
        assert selectors.seller_daily_allowance(seller=seller, now=now)[0] == 1


class TestOptOut:
    def test_r2_proactive_message_to_opted_out_buyer_is_blocked_and_kept(
        self, seller, seller_owner
    ):
        order = _order(seller, buyer=_opted_out_buyer())
        message = services.message_send(sender=seller_owner, order=order, draft=_draft())
        assert message.outcome == Outcome.BLOCKED
        assert message.outcome_rule == "R2"
        assert message.outcome_reason == policy.OPTED_OUT_BLOCK_MSG
        case = message.case
        case.refresh_from_db()
        assert case.has_sent
        assert case.buyer_latest_at is None  # the buyer never sees it

    # Problem with Order needs a canceled order: test_r31_problem_with_order.py has its own.
    @pytest.mark.parametrize(
        "reason", sorted(policy.CRITICAL_REASONS - {policy.PROBLEM_WITH_ORDER_REASON})
    )
    def test_r2_r3_critical_messages_reach_opted_out_buyers(self, seller, seller_owner, reason):
        flags = {"customizable": True, "scheduled_delivery": True, "warranty": True}
        product = ProductFactory(seller=seller, category=CategoryFactory(**flags))
        order = _order(seller, buyer=_opted_out_buyer(), items=[product])
        message = services.message_send(sender=seller_owner, order=order, draft=_draft(reason))
        assert message.outcome == Outcome.DELIVERED

    def test_r2_replies_on_buyer_started_cases_always_go_through(self, seller, seller_owner):
        order = _order(seller, buyer=_opted_out_buyer())
        case = buyer_opens_case(order=order).case
        reply = services.message_send(
            sender=seller_owner, case=case, draft=services.Draft(body_text="Happy to help.")
        )
        assert reply.outcome == Outcome.DELIVERED

    def test_r2_follow_up_on_a_seller_started_case_the_buyer_never_answered_is_blocked(
        self, seller, seller_owner
    ):
        order = _order(seller, buyer=_opted_out_buyer())
        first = services.message_send(
            sender=seller_owner, order=order, draft=_draft("additional_information")
        )
        assert first.outcome == Outcome.BLOCKED
        reply = services.message_send(
            sender=seller_owner, case=first.case, draft=services.Draft(body_text="Any update?")
        )
        assert reply.outcome == Outcome.BLOCKED
        assert reply.outcome_rule == "R2"

    def test_r2_reply_to_the_buyers_own_message_on_a_seller_started_case_goes_through(
        self, seller, seller_owner
    ):
        """Buyers cannot opt out of replies to their own messages, whoever started the case."""
        order = _order(seller, buyer=_opted_out_buyer())
        first = services.message_send(
            sender=seller_owner, order=order, draft=_draft("shipping_address")
        )
        answer = buyer_replies(first.case, body="It is flat 4B.")
        reply = services.message_send(
            sender=seller_owner, case=first.case, draft=services.Draft(body_text="Thank you!")
        )
        assert reply.outcome == Outcome.DELIVERED
        answer.refresh_from_db()
        assert answer.response_state == ResponseState.RESPONDED
        first.case.refresh_from_db()
        assert not first.case.needs_response

    def test_r3_follow_up_on_a_critical_case_is_critical_and_delivered(self, seller, seller_owner):
        order = _order(seller, buyer=_opted_out_buyer())
        first = services.message_send(
            sender=seller_owner, order=order, draft=_draft("shipping_address")
        )
        follow_up = services.message_send(
            sender=seller_owner,
            case=first.case,
            draft=services.Draft(body_text="Could you also give us a phone number?"),
        )
        assert follow_up.is_critical
        assert follow_up.outcome == Outcome.DELIVERED

    def test_r3_important_typed_into_a_web_subject_is_refused_and_nothing_stored(
        self, seller, seller_owner
    ):
        order = _order(seller, buyer=_opted_out_buyer(), status=OrderStatus.SHIPPED)
        before = (Case.objects.count(), Message.objects.count())
        with pytest.raises(MessageRefused) as refused:
            services.message_send(
                sender=seller_owner,
                order=order,
                draft=services.Draft(
                    subject="[Important] Your invoice",
                    body_text="Your invoice is attached.",
                    contact_reason="invoice",
                ),
            )
        assert refused.value.refusal.rule == "R3"
        assert (Case.objects.count(), Message.objects.count()) == before


class TestReviewRequest:
    def _delivered(self, seller, days, buyer=None):
        return _order(
            seller,
            OrderStatus.DELIVERED,
            buyer=buyer,
            delivered_at=timezone.now() - timedelta(days=days),
        )

    @pytest.mark.parametrize(
        ("days", "allowed"), [(4.9, False), (5.01, True), (29.9, True), (30.1, False)]
    )
    def test_r17_window(self, seller, seller_owner, days, allowed):
        order = self._delivered(seller, days)
        if allowed:
            message = review_request_send(sender=seller_owner, order=order)
            assert message.contact_reason == "review_request"
        else:
            with pytest.raises(MessageRefused) as refused:
                review_request_send(sender=seller_owner, order=order)
            assert refused.value.refusal.rule == "R17"

    def test_r17_once_per_order(self, seller, seller_owner):
        order = self._delivered(seller, 10)
        review_request_send(sender=seller_owner, order=order)
        with pytest.raises(MessageRefused) as refused:
            review_request_send(sender=seller_owner, order=order)
        assert refused.value.refusal.message == policy.REVIEW_ALREADY_MSG
        assert Message.objects.filter(contact_reason="review_request").count() == 1

    def test_r17_sent_in_the_buyers_language(self, seller, seller_owner):
        buyer = BuyerFactory()
        buyer.buyer_profile.preferred_language = "de"
        buyer.buyer_profile.save()
        message = review_request_send(
            sender=seller_owner, order=self._delivered(seller, 10, buyer=buyer)
        )
        assert message.subject.startswith("Bitte bewerten Sie Ihre Bestellung")
        assert seller.business_name in message.body_text

    def test_r17_unknown_language_falls_back_to_english(self, seller, seller_owner):
        buyer = BuyerFactory()
        buyer.buyer_profile.preferred_language = "xx"
        buyer.buyer_profile.save()
        message = review_request_send(
            sender=seller_owner, order=self._delivered(seller, 10, buyer=buyer)
        )
        assert message.subject.startswith("Please review your recent order")

    def test_r17_review_requests_are_not_critical(self, seller, seller_owner):
        message = review_request_send(
            sender=seller_owner, order=self._delivered(seller, 10, buyer=_opted_out_buyer())
        )
        assert message.outcome == Outcome.BLOCKED


class TestPages:
    def test_order_details_offers_contact_buyer_with_the_buyers_name(self, seller, seller_client):
        order = _order(seller, ship_name="Emma Johnson")
        text = seller_client.get(reverse("orders:order_detail", args=[order.number])).text
        assert "Contact Buyer: Emma Johnson" in text
        assert reverse("messaging:contact_buyer", args=[order.number]) in text

    @pytest.mark.parametrize(("days_ago", "wording"), [(2, "You can request"), (31, "has closed")])
    def test_r17_review_button_disabled_outside_the_window_with_its_dates(
        self, seller, seller_client, days_ago, wording
    ):
        delivered_at = timezone.now() - timedelta(days=days_ago)
        order = _order(seller, OrderStatus.DELIVERED, delivered_at=delivered_at)
        text = seller_client.get(reverse("orders:order_detail", args=[order.number])).text
        assert 'id="request-review" disabled' in text
        assert wording in text
        start = delivered_at + timedelta(days=5)
        end = delivered_at + timedelta(days=30)
        assert f"from {start:%b %-d, %Y} to {end:%b %-d, %Y}" in text

    def test_r17_review_button_posts(self, seller, seller_client):
        order = _order(
            seller, OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=6)
        )
        text = seller_client.get(reverse("orders:order_detail", args=[order.number])).text
        assert 'id="request-review">' in text
        seller_client.post(reverse("messaging:review_request", args=[order.number]))
        assert Message.objects.filter(order=order, contact_reason="review_request").exists()
        text = seller_client.get(reverse("orders:order_detail", args=[order.number])).text
        assert policy.REVIEW_ALREADY_MSG in text

    def test_r5_page_greys_unavailable_reasons_with_why(self, seller, seller_client):
        order = _order(seller, OrderStatus.SHIPPED)
        text = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
        assert "Unavailable: available after delivery" in text
        assert 'value="return_question" disabled' in text
        assert 'value="invoice">' in text
        assert "messages left today" in text

    def test_r6_contact_buyer_is_closed_everywhere_30_days_after_delivery(
        self, seller, seller_client
    ):
        delivered_at = timezone.now() - timedelta(days=30, seconds=5)
        late = _order(seller, OrderStatus.DELIVERED, delivered_at=delivered_at)
        recent = _order(
            seller, OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=29)
        )
        details = seller_client.get(reverse("orders:order_detail", args=[late.number])).text
        assert '<button type="button" class="btn btn-warning" id="contact-buyer-link" disabled' in (
            details
        )
        assert "more than 30 days ago" in details
        assert 'data-rule="R6"' in details  # the rule for tools; people read words
        page = seller_client.get(reverse("messaging:contact_buyer", args=[late.number])).text
        assert 'id="no-reasons"' in page
        assert 'id="contact-buyer-form"' not in page
        listing = seller_client.get(reverse("orders:order_list")).text
        assert reverse("messaging:contact_buyer", args=[late.number]) not in listing
        assert reverse("messaging:contact_buyer", args=[recent.number]) in listing
        recent_details = seller_client.get(
            reverse("orders:order_detail", args=[recent.number])
        ).text
        assert f'href="{reverse("messaging:contact_buyer", args=[recent.number])}"' in (
            recent_details
        )

    def test_r5_pending_order_page_says_why_nothing_is_offered(self, seller, seller_client):
        order = _order(seller, OrderStatus.PENDING)
        text = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
        assert policy.NO_REASONS_PENDING_MSG in text
        assert 'id="contact-buyer-form"' not in text

    def test_send_from_the_page(self, seller, seller_client):
        order = _order(seller)
        response = seller_client.post(
            reverse("messaging:contact_buyer", args=[order.number]),
            {"reason": "shipping_address", "subject": "Your address", "body": "Is it Apt 4?"},
        )
        message = Message.objects.get()
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("messaging:case_detail", args=[message.case_id])
        assert message.subject == f"[Important] Your address (Order: {order.number})"

    def test_r3_important_in_the_subject_is_refused_on_the_page_naming_the_rule(
        self, seller, seller_client
    ):
        order = _order(seller, OrderStatus.SHIPPED)
        response = seller_client.post(
            reverse("messaging:contact_buyer", args=[order.number]),
            {"reason": "invoice", "subject": "[Important] Invoice", "body": "Attached."},
        )
        assert response.status_code == HTTPStatus.OK
        assert policy.IMPORTANT_MARK_MISUSED_MSG in response.text
        assert 'data-rule="R3"' in response.text
        assert not Message.objects.exists()

    def test_r12_refusal_is_shown_on_the_page_and_nothing_sent(self, seller, seller_client):
        order = _order(seller)
        response = seller_client.post(
            reverse("messaging:contact_buyer", args=[order.number]),
            {"reason": "shipping_address", "subject": "Address", "body": "www.example.com"},
        )
        assert response.status_code == HTTPStatus.OK
        assert "www.example.com" in response.text
        assert 'data-rule="R12"' in response.text
        assert not Message.objects.exists()

    def test_r12_live_check_names_the_rule_while_typing(self, seller, seller_client):
        order = _order(seller)
        url = reverse("messaging:contact_buyer_check", args=[order.number])
        bad = seller_client.post(url, {"subject": "Hi", "body": "Visit https://x.io"})
        assert 'id="compliance"' in bad.text
        assert "https://x.io" in bad.text
        assert 'data-rule="R12"' in bad.text
        good = seller_client.post(url, {"subject": "Hi", "body": "Your parcel left today."})
        assert "No problems found" in good.text

    def test_other_sellers_order_gives_404(self, other_seller, seller_client):
        order = _order(other_seller)
        for name in ("messaging:contact_buyer", "messaging:contact_buyer_check"):
            url = reverse(name, args=[order.number])
            assert seller_client.post(url, {"reason": "invoice", "body": "x"}).status_code == 404
        url = reverse("messaging:review_request", args=[order.number])
        assert seller_client.post(url).status_code == 404
        assert not Message.objects.exists()

    def test_member_of_another_seller_cannot_use_the_service(self, seller, other_seller):
        with pytest.raises(PermissionError):
            services.message_send(
                sender=seller_user(other_seller), order=_order(seller), draft=_draft()
            )
