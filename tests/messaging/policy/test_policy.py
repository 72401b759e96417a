"""Pure policy functions at their boundaries (no database).

R2, R3, R5, R6, R7, R8, R17, R18, R20.
"""

from datetime import UTC, datetime, timedelta

import pytest

from messaging import policy

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# The category flags, and "open_return": the buyer has an open return (R29).
ALL_FLAGS = frozenset({"customizable", "scheduled_delivery", "warranty", "open_return"})


def _available(status, flags=ALL_FLAGS) -> set[str]:
    return {
        r.key
        for r in policy.contact_reasons_for_order(status=status, category_flags=flags)
        if r.available
    }


# ---- R5


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("unshipped", {"product_customization", "delivery_scheduling", "shipping_address",
                       "unexpected_problem", "additional_information"}),
        ("shipped", {"delivery_scheduling", "unexpected_problem", "additional_information",
                     "invoice"}),
        ("delivered", {"additional_information", "return_question", "warranty", "invoice"}),
        ("pending", set()),
        ("canceled", set()),
    ],
)  # fmt: skip
def test_r5_reasons_follow_the_order_status(status, expected):
    assert _available(status) == expected


@pytest.mark.parametrize(
    ("reason", "status", "flag"),
    [
        ("product_customization", "unshipped", "customizable"),
        ("delivery_scheduling", "shipped", "scheduled_delivery"),
        ("warranty", "delivered", "warranty"),
    ],
)
def test_r5_category_reasons_need_an_item_in_that_category(reason, status, flag):
    assert reason not in _available(status, frozenset())
    assert reason in _available(status, frozenset({flag}))
    option = next(
        r
        for r in policy.contact_reasons_for_order(status=status, category_flags=frozenset())
        if r.key == reason
    )
    assert option.why.startswith("needs ")


def test_r5_unavailable_reasons_say_why():
    options = policy.contact_reasons_for_order(status="unshipped", category_flags=ALL_FLAGS)
    why = {r.key: r.why for r in options}
    assert why["return_question"] == "available after delivery"
    assert why["invoice"] == "available for Shipped or Delivered orders"
    assert why["shipping_address"] == ""


@pytest.mark.parametrize("status", ["pending", "canceled"])
def test_r5_pending_and_canceled_orders_offer_nothing_and_say_why(status):
    refusal = policy.refuse_contact_reason(
        reason="additional_information", status=status, category_flags=ALL_FLAGS
    )
    assert refusal.rule == "R5"
    assert refusal.message == policy.no_reasons_message(status=status)
    assert policy.no_reasons_message(status=status)


def test_r5_refuses_a_reason_unavailable_for_the_order():
    refusal = policy.refuse_contact_reason(
        reason="return_question", status="shipped", category_flags=ALL_FLAGS
    )
    assert refusal.rule == "R5"
    assert "available after delivery" in refusal.message
    assert (
        policy.refuse_contact_reason(
            reason="return_question", status="delivered", category_flags=frozenset({"open_return"})
        )
        is None
    )


# ---- R3


@pytest.mark.parametrize("reason", ["product_customization", "delivery_scheduling",
                                    "shipping_address"])  # fmt: skip
def test_r3_critical_reasons(reason):
    assert policy.is_critical(reason=reason)


NOT_CRITICAL = ["unexpected_problem", "additional_information", "return_question", "warranty",
                "invoice", "review_request"]  # fmt: skip


@pytest.mark.parametrize("reason", NOT_CRITICAL)
def test_r3_other_reasons_are_not_critical(reason):
    assert not policy.is_critical(reason=reason)


@pytest.mark.parametrize(
    ("subject", "critical"),
    [
        ("[Important] Your delivery slot", True),
        ("Delivery slot [important]", True),
        ("Re: [IMPORTANT] address", True),
        ("Important: delivery", False),
        ("[Importantly]", False),
    ],
)
def test_r3_important_anywhere_in_an_email_subject_marks_it_critical(subject, critical):
    assert policy.is_critical(subject=subject, by_email=True) is critical


def test_r3_on_the_web_the_reason_alone_decides():
    assert not policy.is_critical(reason="invoice", subject="[Important] Invoice")
    assert policy.is_critical(reason="shipping_address", subject="Your address")


def test_r3_important_mark_on_a_message_that_is_not_critical_is_refused():
    refusal = policy.refuse_important_mark(subject="[important] Invoice", critical=False)
    assert refusal.rule == "R3"
    assert "critical contact reason" in refusal.message
    assert policy.refuse_important_mark(subject="[Important] Address", critical=True) is None
    assert policy.refuse_important_mark(subject="Important: invoice", critical=False) is None


def test_r3_r7_subject_names_the_order_and_marks_critical_ones_once():
    subject = policy.subject_with_order_id(
        subject="Your address", order_number="123-1234567-1234567", critical=True
    )
    assert subject == "[Important] Your address (Order: 123-1234567-1234567)"
    again = policy.subject_with_order_id(
        subject=subject, order_number="123-1234567-1234567", critical=True
    )
    assert again == subject
    plain = policy.subject_with_order_id(
        subject="Invoice", order_number="123-1234567-1234567", critical=False
    )
    assert "[Important]" not in plain


# ---- R2


@pytest.mark.parametrize(
    ("opted_out", "replies_to_buyer", "critical", "blocked"),
    [
        (False, False, False, False),
        (False, True, False, False),
        (False, False, True, False),
        (False, True, True, False),
        (True, False, False, True),
        (True, True, False, False),
        (True, False, True, False),
        (True, True, True, False),
    ],
)
def test_r2_opt_out_matrix(opted_out, replies_to_buyer, critical, blocked):
    result = policy.block_for_opt_out(
        buyer_opted_out=opted_out, replies_to_buyer=replies_to_buyer, critical=critical
    )
    assert (result is not None) is blocked
    if blocked:
        assert result.rule == "R2"
    if blocked:
        assert result.rule == "R2"
        assert "critical" in result.message


# ---- R6


def test_r6_exactly_30_days_after_delivery_is_allowed_one_second_later_is_not():
    delivered = NOW - timedelta(days=30)
    assert policy.refuse_outside_window(order_number="1", completed_at=delivered, now=NOW) is None
    later = NOW + timedelta(seconds=1)
    refusal = policy.refuse_outside_window(order_number="1", completed_at=delivered, now=later)
    assert refusal.rule == "R6"


def test_r6_orders_not_completed_have_no_window():
    assert policy.refuse_outside_window(order_number="1", completed_at=None, now=NOW) is None


# ---- R7


def test_r7_proactive_email_without_order_id_is_refused():
    assert policy.refuse_missing_order_id(has_order_id=False).rule == "R7"
    assert policy.refuse_missing_order_id(has_order_id=True) is None


# ---- R8


@pytest.mark.parametrize(
    ("orders", "limit"),
    [(0, 600), (5, 600), (6, 601), (30, 605), (300, 650), (3000, 1100), (29, 604)],
)
def test_r8_daily_limit_formula(orders, limit):
    """5 × (orders in 30 days / 30) + 600, rounded down."""
    assert policy.daily_message_limit(orders_last_30_days=orders) == limit


def test_r8_the_message_after_the_limit_is_refused():
    assert policy.refuse_daily_limit(sent_today=599, limit=600) is None
    refusal = policy.refuse_daily_limit(sent_today=600, limit=600)
    assert refusal.rule == "R8"
    assert "600" in refusal.message


# ---- R17


@pytest.mark.parametrize(
    ("days_after_delivery", "allowed"),
    [(4.99, False), (5, True), (17, True), (30, True), (30.0001, False)],
)
def test_r17_review_window_is_day_5_to_day_30(days_after_delivery, allowed):
    delivered = NOW - timedelta(days=days_after_delivery)
    refusal = policy.refuse_review_request(delivered_at=delivered, already_requested=False, now=NOW)
    assert (refusal is None) is allowed
    if not allowed:
        assert refusal.rule == "R17"


def test_r17_once_per_order_and_only_after_delivery():
    delivered = NOW - timedelta(days=10)
    assert policy.refuse_review_request(
        delivered_at=delivered, already_requested=True, now=NOW
    ).message == (policy.REVIEW_ALREADY_MSG)
    assert policy.refuse_review_request(
        delivered_at=None, already_requested=False, now=NOW
    ).message == (policy.REVIEW_NOT_DELIVERED_MSG)


# ---- R18, R20


def test_r18_not_accepting_refuses_new_questions_and_later_buyers_only():
    stopped = NOW - timedelta(days=1)
    common = {"business_name": "Acme", "accepting": False, "stopped_at": stopped}
    earlier = NOW - timedelta(days=10)
    later = NOW - timedelta(hours=1)
    assert (
        policy.refuse_not_accepting(**common, first_order_at=earlier, is_new_question=False) is None
    )
    assert (
        policy.refuse_not_accepting(**common, first_order_at=later, is_new_question=False).rule
        == "R18"
    )
    assert (
        policy.refuse_not_accepting(**common, first_order_at=earlier, is_new_question=True).rule
        == "R18"
    )
    assert (
        policy.refuse_not_accepting(
            business_name="Acme",
            accepting=True,
            stopped_at=None,
            first_order_at=None,
            is_new_question=True,
        )
        is None
    )


def test_r20_seller_members_cannot_ask_other_sellers():
    assert policy.refuse_seller_to_seller(sender_is_seller_member=True).rule == "R20"
    assert policy.refuse_seller_to_seller(sender_is_seller_member=False) is None
