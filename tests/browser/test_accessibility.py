"""Issue 8 item 16: axe-core (WCAG 2.0 and 2.1, levels A and AA) over every main page of each role
(seller, buyer, anonymous) at desktop and phone widths; any violation fails.

axe-core comes from npm (package.json devDependencies, installed by `make setup`); Playwright
injects node_modules/axe-core/axe.min.js into each page. The pages run under a strict Content
Security Policy that refuses injected inline scripts, so these contexts bypass it (the other
browser tests keep checking that no page breaks the policy).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import BuyerProfile
from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from messaging.moderation.services.flags import message_report
from messaging.sending import services
from orders.models import OrderStatus
from orders.returns.services import return_request
from tests.browser.conftest import sign_in, wait_until
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _world() -> dict:
    """One seller's account with what its pages show: Response Needed and resolved cases, a
    Pending order ("do not ship"), a message blocked by a buyer's opt-out (the inbox notice),
    a reported message, a storefront with products; a buyer with orders and conversations."""
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme-outfitters")
    owner = seller_user(seller)
    ProductFactory.create_batch(2, seller=seller)
    buyer = BuyerFactory()
    pending = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.PENDING)
    shipped = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.SHIPPED)
    waiting = buyer_opens_case(order=shipped, subject="Where is my parcel?")
    answered = buyer_opens_case(order=shipped, subject="Gift wrap", body="Can you wrap it?")
    reply = seller_replies(answered.case, owner, body="Yes, we wrap it for free.")
    resolved = buyer_opens_case(order=pending, subject="Colour", body="Is it blue?")
    seller_replies(resolved.case, owner, body="It is navy blue.")
    case_change_state_by_seller(case=resolved.case, actor=owner, to_status=CaseStatus.RESOLVED)
    reported = buyer_opens_case(order=pending, subject="Cheap watches", body="Buy watches!")
    message_report(message=reported, reporter=owner, reason="spam", details="")
    opted_out = BuyerFactory()
    BuyerProfile.objects.filter(user=opted_out).update(opted_out_of_unsolicited=True)
    services.message_send(
        sender=owner,
        order=OrderFactory(seller=seller, buyer=opted_out, status=OrderStatus.UNSHIPPED),
        draft=services.Draft(
            body_text="Your order ships on Monday.",
            subject="Shipping update",
            contact_reason="additional_information",
        ),
    )
    return {
        "seller": seller,
        "owner": owner,
        "buyer": buyer,
        "pending": pending,
        "shipped": shipped,
        # R29: a return on the shipped order (Manage Returns, its page), and a delivered order
        # the buyer may still return (the Request a return form).
        "return": return_request(order=shipped, buyer=buyer, reason="damaged", comment="Dented."),
        "delivered": OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.DELIVERED),
        "waiting": waiting,
        "reply": reply,
    }


def _pages(world: dict, role: str) -> list[str]:
    seller, case = world["seller"], world["waiting"].case
    pending, shipped = world["pending"].number, world["shipped"].number
    if role == "seller":
        return [
            reverse("messaging:inbox"),
            reverse("messaging:inbox") + "?filter=all",
            reverse("messaging:inbox") + "?filter=opened&q=nothing-matches",
            reverse("messaging:case_detail", args=[case.pk]),
            reverse("messaging:message_report", args=[world["waiting"].pk]),
            reverse("messaging:blocked_notices"),
            reverse("orders:order_list"),
            reverse("orders:order_detail", args=[pending]),
            reverse("messaging:contact_buyer", args=[shipped]),
            reverse("messaging:templates"),
            reverse("messaging:template_create"),
            reverse("accounts:notification_preferences"),
            reverse("accounts:messaging_settings"),
            reverse("messaging:messaging_permissions"),
            reverse("messaging:response_time"),
            reverse("messaging:policy"),
            reverse("returns:return_list"),
            reverse("returns:return_detail", args=[world["return"].pk]),
        ]
    if role == "buyer":
        return [
            reverse("orders:buyer_order_list"),
            reverse("orders:buyer_order_detail", args=[shipped]),
            reverse("messaging:contact_seller", args=[shipped]),
            reverse("messaging:buyer_message_center"),
            reverse("messaging:buyer_case_detail", args=[case.pk]),
            reverse("messaging:buyer_message_report", args=[world["reply"].pk]),
            reverse("messaging:store", args=[seller.slug]),
            reverse("messaging:store_ask", args=[seller.slug]),
            reverse("accounts:buyer_communication_settings"),
            reverse("returns:buyer_return_request", args=[world["delivered"].number]),
        ]
    return [
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("messaging:store", args=[seller.slug]),
        reverse("messaging:policy"),
    ]


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    found = []
    for violation in results["violations"]:
        targets = "; ".join(
            f"{' '.join(node['target'])} ({node.get('failureSummary', '').strip()})"
            for node in violation["nodes"][:4]
        )
        found.append(
            f"{violation['id']} [{violation['impact']}] ×{len(violation['nodes'])}: "
            f"{violation['help']} — {targets}"
        )
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", ["seller", "buyer", "anonymous"])
def test_every_main_page_passes_axe_wcag_a_and_aa(browser, live_server, role, width):
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci installs axe-core)"
    world = _world()
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[width], bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        if role != "anonymous":
            sign_in(page, (world["owner"] if role == "seller" else world["buyer"]).email)
        report = {}
        for url in _pages(world, role):
            response = page.goto(url)
            assert response is not None
            assert response.ok, f"{url} answered {response.status}"
            page.wait_for_load_state("networkidle")
            found = _violations(page)
            if found:
                report[url] = found
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not report, f"axe-core WCAG 2.0/2.1 A/AA violations ({role}, {width}):\n" + "\n".join(
        f"{url}\n  " + "\n  ".join(found) for url, found in report.items()
    )


def test_skip_link_is_the_first_stop_and_moves_to_the_main_content(page, live_server):
    world = _world()
    sign_in(page, world["owner"].email)
    page.goto(reverse("orders:order_list"))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    assert skip.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    wait_until(page, "location.hash === '#main'")
    page.keyboard.press("Tab")
    # the next stop is inside <main>, past the navigation
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    page.wait_for_load_state("networkidle")


# The contrast (WCAG 2.x formula) between the focused element's outline and the background
# around it; 0 when there is no solid outline of at least 2px.
FOCUS_RING_CONTRAST = """(element) => {
    const style = getComputedStyle(element);
    const solid = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const rgb = (color) => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const channel = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]) =>
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    let node = element.parentElement;
    let background = null;
    while (node && !background) {
        const color = getComputedStyle(node).backgroundColor;
        if (color && color !== "transparent" && !/, 0\\)$/.test(color)) background = color;
        node = node.parentElement;
    }
    if (!solid || !background) return 0;
    const [light, dark] = [luminance(rgb(style.outlineColor)), luminance(rgb(background))]
        .sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
}"""


@pytest.mark.parametrize(
    ("where", "selector"),
    [
        ("case", "#reply-box textarea"),
        ("case", "#reply-box button.btn-warning[type=submit]"),
        ("orders", ".app-navbar .nav-link"),
    ],
)
def test_focus_ring_is_clearly_visible(page, where, selector):
    """The reply box, Send and the top-bar links show a solid focus ring of at least 3:1 against
    what surrounds them when reached with the keyboard (WCAG 1.4.11, 2.4.7)."""
    world = _world()
    sign_in(page, world["owner"].email)
    page.goto(
        reverse("messaging:case_detail", args=[world["waiting"].case.pk])
        if where == "case"
        else reverse("orders:order_list")
    )
    element = page.locator(selector).first
    for _ in range(80):  # reach it with the keyboard, as a keyboard user does
        page.keyboard.press("Tab")
        if element.evaluate("element => element === document.activeElement"):
            break
    assert element.evaluate("element => element.matches(':focus-visible')")
    assert element.evaluate(FOCUS_RING_CONTRAST) >= 3
    page.wait_for_load_state("networkidle")
