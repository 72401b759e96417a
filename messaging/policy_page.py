"""Our messaging policy in words: the page `/help/messaging-policy/` and the links refusals
give to it, from this one list, so a link always lands on the section that explains its rule.

People read words, not rule ids (SPEC section 4): each section has a title, the rule in plain
sentences and an anchor made of words (`#links-and-content`). The rule id stays in code, tests,
logs, the admin and the `data-rule` attribute of the element that shows a refusal.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

POLICY_URL_NAME = "messaging:policy"


@dataclass(frozen=True)
class PolicySection:
    rule: str  # "R12": for code, tests and the data-rule attribute, never shown as text
    anchor: str  # "links-and-content": the section's id on the page
    title: str  # what a refusal's link says: "Messaging policy: <title>"
    text: tuple[str, ...]  # the rule in plain sentences, one paragraph each


def _section(rule: str, anchor: str, title: str, *text: str) -> PolicySection:
    return PolicySection(rule, anchor, title, text)


SECTIONS: tuple[PolicySection, ...] = (
    _section(
        "R1", "private-addresses", "Private message addresses",
        "The first order or message between a buyer and a seller gives each of them a private "
        "message address (an alias) for the other. Sellers see and write to the buyer's alias; "
        "buyers see and write to the seller's alias. Each is 35 characters long, cannot be "
        "guessed, and stays the same for every later message between the two.",
        "Real email addresses are never shown to the other party: not on pages, not in emails, "
        "not in exports.",
    ),
    _section(
        "R2", "buyer-opt-out", "Buyers who opted out",
        "A buyer can opt out of unsolicited messages from all sellers. A seller message to that "
        "buyer is then not delivered, unless it answers a conversation the buyer started or "
        "wrote on, or it is a critical message about their order.",
        "Buyers cannot opt out of replies to their own messages.",
    ),
    _section(
        "R3", "critical-messages", "Critical messages",
        "Four contact reasons are critical: a product customization question, delivery "
        "scheduling, a shipping address issue and a problem with order (after you canceled "
        "it). Critical messages reach buyers who opted out "
        "of unsolicited messages. On Contact Buyer you choose one of these reasons, and the "
        "subject is marked “[Important]” for you; from your email client, put “[Important]” in "
        "the subject.",
        "Not critical: review or feedback requests, order, shipment, delivery or refund "
        "confirmations, manuals, tips and FAQs, out-of-stock or delay notices, and offers of "
        "other products. Marking those “[Important]” is refused, and misusing it can cost "
        "selling privileges.",
    ),
    _section(
        "R4", "bounce-backs", "When a message is not delivered",
        "When a message is not delivered because the buyer opted out, you get a bounce-back "
        "email and a notice in your inbox that explains why and how to send a critical message "
        "instead. You can turn these off under Notification Preferences › Messaging (“Buyer "
        "Opt-out”); then nothing tells you when a message was not delivered.",
    ),
    _section(
        "R5", "contact-reasons", "Contact reasons",
        "Contact Buyer offers the reasons that fit the order's status and products: product "
        "customization (unshipped orders with a customizable item), delivery scheduling "
        "(unshipped or shipped orders with an item delivered by appointment), shipping address "
        "issue (unshipped), unexpected problem (unshipped or shipped), additional information "
        "required (unshipped, shipped or delivered), return-related question (delivered), "
        "warranty information (delivered, with an item under warranty) and invoice (shipped or "
        "delivered).",
        "Reasons that do not fit are shown greyed, with why. Pending orders (payment not yet "
        "cleared) offer none. A canceled order offers only “Problem with Order”, and only "
        "when you canceled it in Manage Orders with the reason No inventory or Could not "
        "ship.",
    ),
    _section(
        "R6", "thirty-day-window", "30 days after an order is complete",
        "Sellers may start a new conversation about an order until 30 days after it was "
        "delivered or canceled. Replies in conversations the buyer started are not limited.",
    ),
    _section(
        "R7", "order-id", "Naming the order",
        "A message that starts a conversation names its order ID (for example "
        "123-1234567-1234567). Contact Buyer adds it to the subject for you; from your email "
        "client, put it in the subject or the text, or the message is returned.",
    ),
    _section(
        "R8", "daily-limit", "Daily message limit",
        "A seller may send up to 600 messages a day, plus 5 for each order they receive on an "
        "average day (counted over the 30 days before today). Days run from midnight to midnight "
        "UTC. The next message after the limit is refused; you can send again the next day.",
    ),
    _section(
        "R9", "case-states", "Case states and closed cases",
        "A conversation (a case) can be open, resolved (you think it is solved and wait for the "
        "buyer) or closed. A closed case takes no more messages from anyone, by web or email, "
        "and cannot be opened again. To write again, start a new case: Contact Buyer for "
        "sellers, the order page or the storefront for buyers.",
        "A buyer's message on a resolved case opens it again.",
    ),
    _section(
        "R10", "inactive-cases", "Inactive cases close by themselves",
        "A case with no message from either party for 14 days closes automatically; a resolved "
        "case closes after 3 days without a reply from the buyer.",
    ),
    _section(
        "R11", "email-senders", "Writing from your email client",
        "Sellers may answer from their own email client, but only from addresses listed and "
        "approved under Messaging Permissions: adding an address sends a confirmation link to "
        "it, and an address can be blocked. Mail from any other address is returned with a "
        "note on how to add it. Buyers may write only from their own address.",
    ),
    _section(
        "R12", "links-and-content", "What seller messages may contain",
        "Messages to buyers may not contain links or website addresses (in the text or as "
        "links, including addresses such as shop.example.com), email addresses other than the "
        "buyer's and your own message alias, or emojis. #, digits, ©, ®, ™ and text smileys "
        "such as :) are ordinary text.",
        "Images must come from an https address and each needs alt text (a short "
        "description). A message may have at most two line breaks in a row, and no marketing "
        "or coupon phrases (such as “coupon code” or “limited time offer”).",
        "When a message breaks one of these rules it is not sent, and every problem is shown "
        "with the text it is about, so you can fix them all at once. Buyer messages are not "
        "checked this way.",
    ),
    _section(
        "R13", "attachments", "Attachments",
        "Each attachment may be up to 7 MB and must be a .txt, .pdf, .doc, .docx, .jpg, "
        ".jpeg, .gif, .tif, .tiff, .bmp or .png file whose content matches its name. Only the "
        "two parties and AlphaDiscounters staff can download it.",
    ),
    _section(
        "R14", "html-email", "Formatted email",
        "Messages may be sent and received as formatted (HTML) email. Formatting is cleaned of "
        "anything unsafe before anyone sees it, and every message also has a plain-text "
        "version.",
    ),
    _section(
        "R15", "no-response-needed", "No Response Needed",
        "A seller can mark a buyer message “No Response Needed”, in the inbox or with the link "
        "in the notification email. It then leaves Response Needed and does not count in "
        "response-time metrics. It can be undone.",
    ),
    _section(
        "R16", "reporting", "Reporting a message",
        "Sellers and buyers can report a message they received as spam, abusive, phishing, "
        "inappropriate or other. AlphaDiscounters staff review every report. A reported buyer "
        "message needs no response and stays in the inbox.",
    ),
    _section(
        "R17", "review-requests", "Requesting a review",
        "A seller may request a review once per order, from 5 to 30 days after delivery. The "
        "buyer gets AlphaDiscounters' own request in their language.",
    ),
    _section(
        "R18", "accepting-messages", "Pausing buyer messages",
        "A seller may stop accepting buyer messages, for example during a vacation. Buyers "
        "whose first order with them comes after that, and new questions from the storefront, "
        "are then turned away; buyers who ordered before can still write.",
    ),
    _section(
        "R19", "sender-identity", "Your business name on every email",
        "Emails to buyers show the seller's business name as the sender and in the text. They "
        "never look as if they came from AlphaDiscounters itself.",
    ),
    _section(
        "R20", "seller-to-seller", "No contact between sellers",
        "Members of a seller account cannot use “Ask a question” on another seller's "
        "storefront.",
    ),
    _section(
        "R21", "response-time", "Response time",
        "Sellers should answer every buyer message within "
        f"{settings.MESSAGING_RESPONSE_TARGET_HOURS} hours. Response-time metrics count, "
        "for each buyer message that needs a response, the time to the seller's first reply; "
        "messages marked “No Response Needed” and reported messages are not counted.",
    ),
    _section(
        "R22", "message-copies", "Copies of buyer messages by email",
        "Under Notification Preferences › Messaging a seller can have a copy of every buyer "
        "message emailed to an address they choose. Copies come from the buyer's alias, so "
        "replying from the email client works, and carry one-click links to mark the message "
        "“No Response Needed” or report it.",
    ),
    _section(
        "R23", "templates", "Templates",
        "Sellers can save message templates (a unique name, a text and tags) and start any "
        "reply from one with “Insert Template”; the text can be edited before sending. "
        "AlphaDiscounters provides texts for each contact reason, sent in the buyer's "
        "language.",
    ),
    _section(
        "R24", "questions", "Questions without an order",
        "Buyers can ask a seller about a product from the seller's storefront without ordering. "
        "The question starts a conversation without an order.",
    ),
    _section(
        "R25", "kept-messages", "Messages are kept",
        "Messages and attachments are kept so that disputes can be resolved: neither buyers "
        "nor sellers can delete them, and AlphaDiscounters staff can read every conversation.",
    ),
    _section(
        "R31", "problem-with-order", "Problem with Order",
        "When you cannot ship an order, first cancel it in Manage Orders with the reason No "
        "inventory or Could not ship: that refunds the full amount, and AlphaDiscounters "
        "sends the buyer the cancellation and refund notice. Then Contact Buyer offers "
        "“Problem with Order”, started from our text in the buyer's language.",
        "The message must confirm the adjustment and name its reason. We check that the "
        "subject or body says the order was canceled or refunded (a word such as canceled, "
        "refund, storniert, erstattet, annulé, remboursé, cancelado, reembolso, キャンセル or "
        "返金) and names the reason: its words (No inventory, Could not ship) or a common "
        "phrase for it, such as out of stock, sold out, ausverkauft, rupture de stock, "
        "agotado or 在庫切れ for No inventory, and could not ship, unable to ship, nicht "
        "versenden, impossible d'expédier, no pudimos enviar or 発送できません for Could not "
        "ship. Case and accents do not matter. A message without both is refused, with what "
        "is missing.",
    ),
    _section(
        "R35", "suspended-messaging", "Suspended messaging",
        "AlphaDiscounters staff can suspend a seller's messaging, with a reason and an optional "
        "end date. While it lasts, no message to buyers leaves, from Seller Central or by "
        "email; buyers' messages still arrive and are kept. The account's owners get an email "
        "when it starts and ends, and Seller Central shows it until it is lifted.",
    ),
    _section(
        "R36", "limited-messaging", "Limited proactive messaging",
        "Staff can limit a seller's proactive messaging: Contact Buyer and review requests are "
        "off, and so is writing again on a conversation the buyer has not written on. Replies "
        "to a buyer's own messages still go through. It ends at its end date or when staff "
        "lift it; the owners are told both times.",
    ),
    _section(
        "R37", "held-for-review", "Messages held for review",
        "Staff can hold a seller's next message for review: it is kept but not delivered, and "
        "the seller sees it as held on the case page. Staff then release it (it is delivered "
        "then) or reject it (it is never delivered, and the seller sees why).",
    ),
)  # fmt: skip

SECTIONS_BY_RULE: dict[str, PolicySection] = {section.rule: section for section in SECTIONS}
# Refusals whose id is not an R rule, and the section that explains them: "CASE" is the case
# state machine of SPEC section 3 (cases.policy.refuse_transition).
SECTION_ALIASES = {"CASE": "R9"}


def policy_section(rule: str) -> PolicySection | None:
    """The section of the page that explains `rule` ("R12"), or None for an unknown id."""
    return SECTIONS_BY_RULE.get(SECTION_ALIASES.get(rule, rule))


def policy_path(rule: str = "") -> str:
    """The page's path at the section that explains `rule`, for links on pages and in emails
    ("/help/messaging-policy/#links-and-content"); the page itself for an unknown rule."""
    url = reverse(POLICY_URL_NAME)
    section = policy_section(rule)
    return f"{url}#{section.anchor}" if section else url


@require_safe
def messaging_policy(request: HttpRequest) -> HttpResponse:
    """The page itself (public): every rule in words, one section each, with the anchor
    refusals link to."""
    return render(request, "help/messaging_policy.html", {"sections": SECTIONS})
