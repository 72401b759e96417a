"""R28 and R31: a canceled order offers "Problem with Order" (after a cancellation for No
inventory or Could not ship), pre-filled from the platform text in five languages; a message that
does not confirm the adjustment and name its reason is refused in words."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.refusals import MessageRefused
from messaging import policy
from messaging.contact_buyer.selectors import contact_buyer_refusal, contact_reasons_for
from messaging.models import Message, Outcome
from messaging.policy.problem_with_order import refuse_unconfirmed_adjustment
from messaging.policy_page import policy_path
from messaging.sending import services
from orders.adjustments.models import RefundReason
from orders.adjustments.services import order_cancel
from orders.models import OrderStatus
from templates_app.models import Language, PlatformTemplateTranslation
from templates_app.placeholders import fill_placeholders
from tests.factories import BuyerFactory, OrderFactory

pytestmark = pytest.mark.django_db

REASON = policy.PROBLEM_WITH_ORDER_REASON
CONFIRMED = {
    "NoInventory": "We have canceled your order and refunded the full amount: the item is out "
    "of stock.",
    "CouldNotShip": "We canceled your order and refunded it because we could not ship it.",
}


def canceled(seller, seller_owner, reason="NoInventory", buyer=None):
    order = OrderFactory(
        seller=seller, total=Decimal("24.98"), **({"buyer": buyer} if buyer else {})
    )
    order_cancel(order=order, actor=seller_owner, reason=reason)
    order.refresh_from_db()
    return order


def draft(body, subject="About your order"):
    return services.Draft(body_text=body, subject=subject, contact_reason=REASON)


# ---- the rule, as a pure function


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("NoInventory", CONFIRMED["NoInventory"]),
        ("NoInventory", "Your order was CANCELLED; the item is sold   out."),
        ("NoInventory", "Refund issued. Reason: NoInventory."),
        ("NoInventory", "Wir haben Ihre Bestellung storniert, der Artikel ist ausverkauft."),
        ("NoInventory", "Nous avons annulé votre commande : l’article est en rupture de stock."),
        ("NoInventory", "Hemos cancelado tu pedido porque el artículo está agotado."),
        ("NoInventory", "ご注文をキャンセルしました。在庫切れのためです。"),
        ("CouldNotShip", CONFIRMED["CouldNotShip"]),
        ("CouldNotShip", "Refunded in full: we can’t ship to your country."),
        ("CouldNotShip", "Rückerstattung veranlasst, wir können den Artikel nicht versenden."),
        ("CouldNotShip", "Remboursement effectué : impossible d'expédier votre colis."),
        ("CouldNotShip", "Te hemos reembolsado el pedido: no pudimos enviar el paquete."),
        ("CouldNotShip", "全額を返金しました。発送できませんでした。"),
    ],
)
def test_r31_a_message_that_confirms_and_names_the_reason_passes(reason, text):
    assert (
        refuse_unconfirmed_adjustment(subject="Order", body_text=text, adjustment_reason=reason)
        is None
    )


def test_r31_the_subject_counts_with_the_body():
    assert (
        refuse_unconfirmed_adjustment(
            subject="Order canceled and refunded",
            body_text="Sorry, the item is out of stock.",
            adjustment_reason="NoInventory",
        )
        is None
    )


@pytest.mark.parametrize(
    ("reason", "text", "missing"),
    [
        ("NoInventory", "Sorry, the item is out of stock.", ["canceled the order and refunded"]),
        ("NoInventory", "We canceled your order.", ["name the reason, “No inventory”"]),
        ("CouldNotShip", "We canceled your order: the item is out of stock.", ["“Could not ship”"]),
        (
            "NoInventory",
            "Hello! Sorry for the trouble.",
            ["canceled the order and refunded", "“No inventory”"],
        ),
        # "granular" holds "anul": a word must start with the stem.
        ("NoInventory", "A granular item, out of stock.", ["canceled the order and refunded"]),
    ],
)
def test_r31_a_message_missing_the_confirmation_or_the_reason_is_refused_in_words(
    reason, text, missing
):
    refusal = refuse_unconfirmed_adjustment(
        subject="Order", body_text=text, adjustment_reason=reason
    )

    assert refusal is not None
    assert refusal.rule == "R31"
    assert refusal.message.startswith("A “Problem with Order” message must confirm")
    for words in missing:
        assert words in refusal.message
    assert "R31" not in refusal.message


# ---- the platform text (templates_app/0005), in five languages


@pytest.mark.parametrize("language", Language.values)
@pytest.mark.parametrize("reason", ["NoInventory", "CouldNotShip"])
def test_r31_the_platform_text_passes_in_every_language(language, reason):
    text = PlatformTemplateTranslation.objects.get(template__key=REASON, language=language)
    with translation.override(language):
        words = str(RefundReason(reason).label)
    values = {
        "buyer_name": "Ana",
        "order_number": "123-1234567-1234567",
        "business_name": "Acme",
        "product_name": "Lamp",
        "adjustment_reason": words,
    }
    body, refused = fill_placeholders(text.body, values)

    assert refused is None
    assert words in body
    assert (
        refuse_unconfirmed_adjustment(
            subject=text.subject, body_text=body, adjustment_reason=reason
        )
        is None
    )


# ---- which orders offer it (R28, R5)


def test_r28_a_canceled_order_for_no_inventory_offers_problem_with_order(seller, seller_owner):
    order = canceled(seller, seller_owner, "NoInventory")

    offered = [option.key for option in contact_reasons_for(order) if option.available]

    assert offered == [REASON]
    assert contact_buyer_refusal(order) is None


@pytest.mark.parametrize("reason", ["BuyerCanceled", "GeneralAdjustment", "PriceError"])
def test_r28_a_canceled_order_for_another_reason_offers_nothing(seller, seller_owner, reason):
    order = canceled(seller, seller_owner, reason)

    refusal = contact_buyer_refusal(order)

    assert contact_reasons_for(order) == []
    assert refusal is not None
    assert refusal.rule == "R5"
    assert "No inventory or Could not ship" in refusal.message


def test_r28_an_unshipped_order_shows_problem_with_order_greyed_with_why(seller):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)

    [option] = [o for o in contact_reasons_for(order) if o.key == REASON]

    assert not option.available
    assert option.why == "available once you cancel the order in Manage Orders"


def test_r28_problem_with_order_on_an_unshipped_order_is_refused(seller, seller_owner):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)

    with pytest.raises(MessageRefused) as refused:
        services.message_send(
            sender=seller_owner, order=order, draft=draft(CONFIRMED["NoInventory"])
        )

    assert refused.value.refusal.rule == "R5"
    assert not Message.objects.exists()


# ---- sending


def test_r31_a_confirming_message_is_delivered_and_marked_important(seller, seller_owner):
    order = canceled(seller, seller_owner, "CouldNotShip")

    message = services.message_send(
        sender=seller_owner, order=order, draft=draft(CONFIRMED["CouldNotShip"])
    )

    assert message.outcome == Outcome.DELIVERED
    assert message.subject.startswith("[Important] ")


def test_r31_r2_it_is_critical_so_it_reaches_a_buyer_who_opted_out(seller, seller_owner):
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = canceled(seller, seller_owner, "NoInventory", buyer=buyer)

    message = services.message_send(
        sender=seller_owner, order=order, draft=draft(CONFIRMED["NoInventory"])
    )

    assert message.outcome == Outcome.DELIVERED


def test_r31_free_text_that_does_not_confirm_is_refused_and_nothing_is_stored(seller, seller_owner):
    order = canceled(seller, seller_owner, "NoInventory")

    with pytest.raises(MessageRefused) as refused:
        services.message_send(
            sender=seller_owner, order=order, draft=draft("Sorry for any inconvenience.")
        )

    assert refused.value.refusal.rule == "R31"
    assert not Message.objects.exists()


# ---- the Contact Buyer page


def test_r31_the_page_offers_the_reason_and_its_platform_text(seller, seller_owner, seller_client):
    order = canceled(seller, seller_owner, "NoInventory")
    url = reverse("messaging:contact_buyer", args=[order.number])

    page = seller_client.get(url, {"platform": REASON}).content.decode()

    assert "Problem with Order" in page
    assert "Reason: No inventory." in page
    assert 'id="no-reasons"' not in page


def test_r31_the_platform_text_goes_out_in_the_buyers_language(seller, seller_owner, seller_client):
    buyer = BuyerFactory(profile__preferred_language="de")
    order = canceled(seller, seller_owner, "NoInventory", buyer=buyer)
    url = reverse("messaging:contact_buyer", args=[order.number])
    form = seller_client.get(url, {"platform": REASON}).context["form"]

    response = seller_client.post(
        url,
        {
            "reason": REASON,
            "subject": form.initial["subject"],
            "body": form.initial["body"],
            "platform_template": REASON,
        },
    )

    assert response.status_code == 302
    message = Message.objects.get()
    assert "stornieren" in message.body_text
    assert "Grund: Nicht vorrätig." in message.body_text


def test_r31_the_refusal_is_in_words_and_links_to_the_policy(seller, seller_owner, seller_client):
    order = canceled(seller, seller_owner, "NoInventory")
    url = reverse("messaging:contact_buyer", args=[order.number])

    response = seller_client.post(
        url, {"reason": REASON, "subject": "Your order", "body": "Sorry about this."}
    )

    page = response.content.decode()
    assert "A “Problem with Order” message must confirm" in page
    assert policy_path("R31") in page
    assert 'data-rule="R31"' in page
    assert not Message.objects.exists()
