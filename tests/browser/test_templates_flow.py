"""Templates in a real browser (R23): create one with two tags on Manage Templates, filter by a
tag, insert it into a reply on a case, edit the text and send; its use count rises; delete a
template through the confirmation. And Contact Buyer starting from the reason's platform text."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import Message
from orders.models import OrderStatus
from templates_app.models import SellerTemplate
from tests.browser.conftest import sign_in
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    SellerTemplateFactory,
    migration_data_install,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_r23_create_filter_insert_edit_send_and_delete_a_template(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    member = seller_user(seller, role="member")
    product = ProductFactory(seller=seller, title="Rain Jacket")
    order = OrderFactory(seller=seller, items=[product], ship_name="Emma Johnson")
    case = buyer_opens_case(order=order, subject="Where is my jacket?").case
    SellerTemplateFactory(seller=seller, name="Refund issued", tag_names=["Returns"])

    sign_in(page, member.email)
    page.get_by_role("link", name="Manage Templates").click()
    expect(page.get_by_role("heading", name="Manage Templates")).to_be_visible()
    expect(page.locator("#templates-who")).to_contain_text("Every member of Acme Outfitters")

    # Create Template with two tags.
    page.get_by_role("link", name="Create Template").click()
    page.get_by_label("Template Name").fill("Parcel on its way")
    page.get_by_label("Template Text").fill(
        "Hello {buyer_name},\n\nyour {product_name} (order {order_number}) left our warehouse "
        "today.\n\n{business_name}"
    )
    page.get_by_label("Tags").fill("Shipping, Delays")
    page.get_by_role("button", name="Create Template").click()
    expect(page).to_have_url(re.compile(r"/templates/$"))
    row = page.locator(".template-row", has_text="Parcel on its way")
    expect(row.locator(".template-tag")).to_have_text(["Delays", "Shipping"])
    expect(page.locator(".template-row")).to_have_count(2)

    # Filter by one tag: htmx swaps the list and pushes the URL.
    page.locator("#tag-filter .tag-chip", has_text="Delays").click()
    expect(page).to_have_url(re.compile(r"\?tag=\d+"))
    expect(page.locator(".template-row")).to_have_count(1)
    expect(page.locator(".template-row")).to_contain_text("Parcel on its way")
    page.locator("#tag-filter a", has_text="All").click()
    expect(page.locator(".template-row")).to_have_count(2)

    # Insert it into a reply on the case: filled in from the order, nothing sent yet.
    page.goto(f"/messages/{case.pk}/")
    page.get_by_text("Insert Template", exact=True).click()
    choice = page.locator(".template-choice", has_text="Parcel on its way")
    expect(choice).to_be_visible()
    expect(page.locator(".template-choice").first).to_contain_text("Parcel on its way")
    choice.click()
    reply = page.get_by_label("Reply")
    expect(reply).to_have_value(
        f"Hello Emma Johnson,\n\nyour Rain Jacket (order {order.number}) left our warehouse "
        "today.\n\nAcme Outfitters"
    )
    expect(page.locator(".template-picker-status")).to_contain_text("Inserted “Parcel on its way”")
    assert not Message.objects.filter(case=case, direction="s2b").exists()

    # Edit the text, then send.
    reply.press("End")
    reply.press("ControlOrMeta+End")
    reply.type("\nIt arrives Friday.")
    expect(page.locator("#compliance")).to_contain_text("No problems found")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text("It arrives Friday.")
    sent = Message.objects.get(case=case, direction="s2b")
    assert sent.template.name == "Parcel on its way"
    assert sent.body_text.replace("\r\n", "\n").endswith("Acme Outfitters\nIt arrives Friday.")

    # The use count rises on Manage Templates; the template now comes first in the panel.
    page.goto("/templates/")
    used = page.locator(".template-row", has_text="Parcel on its way")
    expect(used.locator(".template-uses")).to_contain_text("1 in 30 days")
    expect(used.locator(".template-uses")).to_contain_text("1 in all")
    assert SellerTemplate.objects.get(name="Parcel on its way").use_count == 1

    # Delete a template through the confirmation: Cancel keeps it, confirming deletes it.
    refund = page.locator(".template-row", has_text="Refund issued")
    refund.get_by_role("button", name="Delete").click()
    dialog = page.locator("#confirm-modal")
    expect(dialog).to_contain_text("Are you sure you want to delete this template?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(refund).to_be_visible()
    refund.get_by_role("button", name="Delete").click()
    dialog.get_by_role("button", name="Delete template").click()
    expect(page.locator(".alert-success")).to_contain_text("Template “Refund issued” deleted.")
    expect(page.locator(".template-row")).to_have_count(1)
    assert list(SellerTemplate.objects.values_list("name", flat=True)) == ["Parcel on its way"]


def test_r23_insert_template_on_a_question_without_an_order_shows_the_error_first(page):
    from messaging.sending import services

    seller = SellerAccountFactory(slug="kyoto")
    owner = seller_user(seller)
    case = services.message_send(
        sender=BuyerFactory(),
        seller=seller,
        draft=services.Draft(subject="Gift wrapping", body_text="Can you wrap it?"),
    ).case
    SellerTemplateFactory(seller=seller, name="Order update", text="Hi {buyer_name}!")
    SellerTemplateFactory(seller=seller, name="Gift wrap", text="Yes! {business_name}")

    sign_in(page, owner.email)
    page.goto(f"/messages/{case.pk}/")
    page.get_by_text("Insert Template", exact=True).click()
    unavailable = page.locator(".template-choice-unavailable", has_text="Order update")
    expect(unavailable).to_contain_text("This question has no order")
    page.locator(".template-choice", has_text="Gift wrap").click()
    expect(page.get_by_label("Reply")).to_have_value(f"Yes! {seller.business_name}")


def test_r23_contact_buyer_starts_from_the_platform_text_the_buyer_gets_in_german(page):
    migration_data_install()  # transactional tests flush what the data migrations put in
    seller = SellerAccountFactory(slug="nordic")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    buyer.buyer_profile.preferred_language = "de"
    buyer.buyer_profile.save()
    order = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.UNSHIPPED)

    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/contact-buyer/")
    page.get_by_label("Shipping address issue").check()
    card = page.locator('.platform-text[data-reason="shipping_address"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("Please confirm your shipping address")
    expect(card.locator(".platform-language")).to_contain_text("Deutsch")
    card.get_by_role("button", name="Start from this text").click()
    expect(page.get_by_label("Subject")).to_have_value("Please confirm your shipping address")
    expect(page.get_by_label("Message")).to_have_value(re.compile(r"^Hello "))
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/messages/\d+/$"))
    sent = order.messages.get()
    assert "Bitte bestätigen Sie Ihre Lieferadresse" in sent.subject
    assert sent.body_text.startswith(f"Hallo {order.ship_name},")
