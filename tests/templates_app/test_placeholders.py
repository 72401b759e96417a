"""R23 placeholders: filling, unknown names and the values a case without an order lacks (pure)."""

import pytest

from templates_app.placeholders import (
    fill_placeholders,
    placeholders_in,
    refuse_unfilled_placeholders,
    refuse_unknown_placeholders,
)

VALUES = {
    "buyer_name": "Emma Johnson",
    "order_number": "111-2222222-3333333",
    "business_name": "Acme Outfitters",
    "product_name": "Trail Runner Rain Jacket",
}
NO_ORDER = {
    "buyer_name": None,
    "order_number": None,
    "business_name": "Acme Outfitters",
    "product_name": "Trail Runner Rain Jacket",
}


def test_r23_every_placeholder_is_filled_in():
    text = "Hello {buyer_name}, your {product_name} ({order_number}) ships today. {business_name}"
    filled, refusal = fill_placeholders(text, VALUES)
    assert refusal is None
    assert filled == (
        "Hello Emma Johnson, your Trail Runner Rain Jacket (111-2222222-3333333) ships today. "
        "Acme Outfitters"
    )


def test_r23_a_placeholder_used_twice_is_filled_twice_and_spaces_inside_braces_are_allowed():
    filled, refusal = fill_placeholders("{order_number} / { order_number }", VALUES)
    assert refusal is None
    assert filled == "111-2222222-3333333 / 111-2222222-3333333"


@pytest.mark.parametrize("text", ["Sizes {S, M, L}", "a {} b", "{size M}", "{ 1 }", "100% {"])
def test_r23_braces_around_what_is_not_a_name_are_ordinary_text(text):
    assert placeholders_in(text) == []
    assert fill_placeholders(text, VALUES) == (text, None)


@pytest.mark.parametrize("unknown", ["{buyer}", "{tracking_number}", "{Order_Number}", "{name}"])
def test_r23_an_unknown_placeholder_is_an_error_never_sent_literally(unknown):
    text = f"Hello {{buyer_name}}, here is {unknown}."
    refusal = refuse_unknown_placeholders(text)
    assert refusal is not None
    assert refusal.rule == "R23"
    assert f"“{unknown}” is not a placeholder" in refusal.message
    known = "{buyer_name}, {order_number}, {business_name}, {product_name} and {adjustment_reason}"
    assert known in refusal.message
    filled, fill_refusal = fill_placeholders(text, VALUES)
    assert fill_refusal == refusal
    assert filled == text  # nothing half-filled either


def test_r23_order_placeholders_cannot_be_filled_without_an_order():
    text = "Hello {buyer_name}, about {order_number} and your {product_name}."
    _, refusal = fill_placeholders(text, NO_ORDER, why_missing="This question has no order")
    assert refusal is not None
    assert refusal.rule == "R23"
    assert refusal.message == (
        "This question has no order, so {buyer_name} and {order_number} cannot be filled in. "
        "Remove them from the text, or choose another template."
    )


def test_r23_without_an_order_a_template_of_seller_values_still_fills():
    filled, refusal = fill_placeholders("Thanks for asking! {business_name}", NO_ORDER)
    assert refusal is None
    assert filled == "Thanks for asking! Acme Outfitters"


def test_r23_a_message_from_a_template_may_not_keep_a_placeholder():
    refusal = refuse_unfilled_placeholders("Your order {order_number} ships today.")
    assert refusal is not None
    assert refusal.rule == "R23"
    assert refusal.message.startswith("Replace {order_number} with the order ID before you send")
    assert refuse_unfilled_placeholders("Your order 111-2222222-3333333 ships today.") is None
    assert refuse_unfilled_placeholders("Sizes {S, M, L} are in stock.") is None
