"""Issue 14, the team inbox in Chromium: the live inbox and case page, presence and the
collision notice between two members, and the keyboard shortcuts.

The poll interval is shortened for these tests (MESSAGING_LIVE_POLL_SECONDS); messages "arrive"
through the services from the test thread, as they would from a buyer or another member."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import SellerMembership
from messaging.models import ResponseState
from tests.browser.conftest import wait_until
from tests.factories import DEFAULT_PASSWORD, SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)

POLL_SECONDS = 0.5
# Within a few polls (a live server answering one request per thread, a busy CI machine).
ARRIVES_MS = 6_000
PRESENCE_SECONDS = 3


@pytest.fixture(autouse=True)
def _fast_poll(settings):
    settings.MESSAGING_LIVE_POLL_SECONDS = POLL_SECONDS


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def shop():
    return SellerAccountFactory(business_name="Acme Outfitters", slug="acme-live")


@pytest.fixture
def alice(shop):
    return seller_user(shop, user__full_name="Alice Archer", user__email="alice@acme.example")


@pytest.fixture
def bob(shop):
    return seller_user(
        shop,
        user__full_name="Bob Baker",
        user__email="bob@acme.example",
        role=SellerMembership.Role.MEMBER,
    )


def sign_in(page, email: str) -> None:
    """As tests.browser.conftest.sign_in, but a live page never goes quiet on the network (it
    polls), so this waits for the inbox instead."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/messages/$"))
    page.wait_for_load_state("load")


def _context_page(browser, live_server):
    """A second signed-in browser (another member), watched for script and CSP errors."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return context, page, errors


def test_a_buyer_message_shows_up_in_the_open_inbox_without_a_reload(page, shop, alice):
    for index in range(14):
        buyer_opens_case(seller=shop, subject=f"Older question {index}")
    sign_in(page, alice.email)
    page.get_by_label("Show").select_option("all")
    expect(page).to_have_url(re.compile(r"filter=all"))
    expect(page.locator(".case-row")).to_have_count(14)
    page.evaluate("window.__stillTheSamePage = true")
    page.mouse.wheel(0, 400)
    wait_until(page, "window.scrollY > 0")
    scrolled = page.evaluate("window.scrollY")
    first_row = page.locator(".case-row").first.text_content()

    buyer_opens_case(seller=shop, subject="Brand new question")

    marker = page.locator("#inbox-live-show")
    expect(marker).to_have_text("1 new — Show", timeout=ARRIVES_MS)
    # No reload, no rows moving under the cursor, the scroll and the filter kept.
    assert page.evaluate("window.__stillTheSamePage") is True
    assert page.evaluate("window.scrollY") == scrolled
    assert page.locator(".case-row").first.text_content() == first_row
    expect(page.locator(".case-row")).to_have_count(14)
    expect(page.get_by_label("Show")).to_have_value("all")

    marker.click()
    expect(page.locator(".case-row").first).to_contain_text("Brand new question")
    expect(page.locator(".case-row")).to_have_count(15)
    expect(page.locator("#case-list-title")).to_have_text("All")
    assert page.evaluate("window.__stillTheSamePage") is True
    # Shown: the marker is gone until something else changes.
    expect(marker).to_have_count(0)
    page.wait_for_timeout(3 * POLL_SECONDS * 1000)
    expect(marker).to_have_count(0)


def test_new_buyer_message_appears_above_the_reply_box_and_the_draft_survives(page, shop, alice):
    case = buyer_opens_case(seller=shop, subject="Zip broke", body="The zip broke.").case
    sign_in(page, alice.email)
    page.goto(f"/messages/{case.pk}/")
    draft = "Sorry to hear that! We will send a replacement"
    reply = page.get_by_label("Reply")
    reply.fill(draft)
    reply.press("End")

    buyer_replies(case, "Also, the colour is wrong.")

    expect(page.locator("#message-list")).to_contain_text(
        "Also, the colour is wrong.", timeout=ARRIVES_MS
    )
    expect(page.locator("#message-list .message")).to_have_count(2)
    expect(reply).to_have_value(draft)
    expect(reply).to_be_focused()
    # The new message is above the reply box.
    new_box = page.locator(".message", has_text="the colour is wrong").bounding_box()
    reply_box = page.locator("#reply-box").bounding_box()
    assert new_box["y"] < reply_box["y"]
    reply.press_sequentially(" today.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text(draft + " today.")
    expect(page.locator("#assignment-text")).to_have_text("Assigned to you because you replied.")


def test_two_members_see_each_other_and_the_late_sender_is_warned(
    page, browser, live_server, shop, alice, bob, settings
):
    settings.MESSAGING_PRESENCE_SECONDS = PRESENCE_SECONDS
    case = buyer_opens_case(seller=shop, subject="Wrong size", body="Size is wrong.").case
    sign_in(page, alice.email)
    page.goto(f"/messages/{case.pk}/")
    context, bob_page, bob_errors = _context_page(browser, live_server)
    try:
        sign_in(bob_page, bob.email)
        bob_page.goto(f"/messages/{case.pk}/")

        # Each sees the other on the case.
        expect(bob_page.locator("#case-presence")).to_contain_text(
            "Alice Archer is viewing this case"
        )
        expect(page.locator("#case-presence")).to_contain_text(
            "Bob Baker is viewing this case", timeout=ARRIVES_MS
        )
        # Bob starts typing: Alice reads that he is replying.
        bob_page.get_by_label("Reply").press_sequentially("We can exchange it")
        expect(page.locator("#case-presence")).to_contain_text(
            "Bob Baker is replying", timeout=ARRIVES_MS
        )

        # Alice answers first; Bob, still typing, is told before he sends.
        page.get_by_label("Reply").fill("Please send it back, we ship the right size today.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#message-list")).to_contain_text("we ship the right size")
        bob_page.get_by_label("Reply").press_sequentially(" for free.")
        warning = bob_page.locator("#collision-warning")
        expect(warning).to_contain_text(
            "A reply was just sent by Alice Archer at", timeout=ARRIVES_MS
        )
        expect(warning).to_contain_text("Read it above before you send yours.")
        expect(bob_page.locator("#message-list")).to_contain_text("we ship the right size")
        expect(bob_page.get_by_label("Reply")).to_have_value("We can exchange it for free.")

        # Bob closes his tab: his presence expires by itself, seconds later.
        context.close()
        expect(page.locator("#case-presence")).not_to_contain_text(
            "Bob Baker", timeout=PRESENCE_SECONDS * 1000 + ARRIVES_MS
        )
    finally:
        if context.pages:
            context.close()
    assert not bob_errors, bob_errors


def test_the_late_sender_who_sends_before_the_page_knows_is_held_back(
    page, shop, alice, bob, settings
):
    settings.MESSAGING_LIVE_POLL_SECONDS = 600  # no live update: the server is the guard
    case = buyer_opens_case(seller=shop, subject="Late", body="Hello?").case
    sign_in(page, bob.email)
    page.goto(f"/messages/{case.pk}/")
    page.get_by_label("Reply").fill("Hello from Bob")
    seller_replies(case, alice, body="Hello from Alice")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#collision-warning")).to_contain_text(
        "A reply was just sent by Alice Archer"
    )
    expect(page.locator("#collision-warning")).to_contain_text("Your reply was not sent")
    expect(page.locator("#message-list")).to_contain_text("Hello from Alice")
    expect(page.get_by_label("Reply")).to_have_value("Hello from Bob")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text("Hello from Bob")


def _scripts_ready(page) -> None:
    """After a navigation, keys go to the new page only once its deferred scripts (the
    shortcuts) have run: the URL changes first."""
    page.wait_for_load_state("domcontentloaded")


def test_every_shortcut_works_and_none_fires_inside_a_field(page, shop, alice):
    first = buyer_opens_case(seller=shop, subject="First case").case
    second = buyer_opens_case(seller=shop, subject="Second case").case
    third = buyer_opens_case(seller=shop, subject="Third case").case
    sign_in(page, alice.email)
    rows = page.locator(".case-row")
    expect(rows).to_have_count(3)  # Response Needed: oldest waiting first

    # ? shows the list of shortcuts; Escape closes it.
    page.keyboard.press("?")
    help_dialog = page.locator("#shortcuts-help")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Next case")
    expect(help_dialog).to_contain_text("No Response Needed")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # j / k move the selection; Enter opens it.
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(2)).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("k")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/messages/{second.pk}/$"))
    _scripts_ready(page)

    # On a case page, j / k go to the next / previous case of the inbox list.
    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/messages/{third.pk}/$"))
    _scripts_ready(page)
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(rf"/messages/{second.pk}/$"))
    _scripts_ready(page)
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(rf"/messages/{first.pk}/$"))
    _scripts_ready(page)

    # r goes to the reply box; letters typed there are text, not shortcuts.
    page.keyboard.press("r")
    reply = page.get_by_label("Reply")
    expect(reply).to_be_focused()
    page.keyboard.type("nuj/k? right")
    expect(reply).to_have_value("nuj/k? right")
    expect(page).to_have_url(re.compile(rf"/messages/{first.pk}/$"))
    _scripts_ready(page)
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    assert first.messages.get().response_state == ResponseState.NEEDED
    reply.fill("")

    # n: No Response Needed on the waiting buyer message (Esc leaves the field first).
    page.keyboard.press("Escape")
    expect(reply).not_to_be_focused()
    page.keyboard.press("n")
    expect(page.locator("#message-list")).to_contain_text("No response needed")
    first.refresh_from_db()
    assert first.messages.get().response_state == ResponseState.NO_RESPONSE_NEEDED

    # u: back to the inbox; / focuses its search, where shortcuts are text again.
    page.locator("h1").click()
    page.keyboard.press("u")
    expect(page).to_have_url(re.compile(r"/messages/$"))
    _scripts_ready(page)
    page.keyboard.press("/")
    search = page.get_by_label("Search by buyer alias, order ID or text")
    expect(search).to_be_focused()
    page.keyboard.type("jk")
    expect(search).to_have_value("jk")
    expect(page.locator(".case-row.is-selected")).to_have_count(0)
    # Inside a select, too.
    page.get_by_label("Show").focus()
    page.keyboard.press("j")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    expect(page.locator(".case-row.is-selected")).to_have_count(0)

    # / from a case page opens the inbox with its search focused.
    page.goto(f"/messages/{second.pk}/")
    page.keyboard.press("/")
    expect(page).to_have_url(re.compile(r"/messages/#search$"))
    _scripts_ready(page)
    expect(page.get_by_label("Search by buyer alias, order ID or text")).to_be_focused()
    # Modifier keys are the browser's.
    page.keyboard.press("Control+j")
    expect(page.locator(".case-row.is-selected")).to_have_count(0)
