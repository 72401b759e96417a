"""The one send funnel: every message, whatever its channel, goes through `message_send`.

Web forms (buyer contact, Ask a question, seller reply, Contact Buyer, Request a Review), inbound
email and periodic tasks all call it. It works out who may send (a party of the case or order),
gathers the facts the rules need, asks `messaging.policy.judge` for a verdict, and only then
stores the message, its attachments, the case and its inbox summary in one transaction.
`message_check` asks the same judge without storing (the live check while typing).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import BuyerProfile, Relationship, SellerAccount, User
from accounts.selectors import membership_for_user
from accounts.services import relationship_get_or_create
from cases.models import Case
from cases.services import case_open, case_record_message
from core.refusals import MessageRefused, NotAParty, Refusal
from core.sanitize import html_sanitize, html_to_text
from messaging import policy, selectors
from messaging.attachments import CheckedAttachment, IncomingAttachment, attachments_check
from messaging.email.services import outbound
from messaging.models import (
    Attachment,
    Channel,
    Direction,
    Message,
    Outcome,
    ResponseState,
)
from messaging.services.files import attachment_files_delete
from messaging.services.notices import blocked_notice_create
from orders.models import Order, Product
from orders.selectors import order_category_flags
from templates_app import selectors as template_selectors
from templates_app.models import FALLBACK_LANGUAGE
from templates_app.placeholders import fill_placeholders
from templates_app.platform_defaults import REVIEW_REQUEST_KEY
from templates_app.services import seller_template_use_record


@dataclass(frozen=True)
class Draft:
    """What a sender wrote, however it arrived (web form, email or a task)."""

    body_text: str
    subject: str = ""
    body_html: str = ""
    contact_reason: str = ""
    attachments: Sequence[IncomingAttachment] = field(default_factory=list)
    # The seller template the sender started from (R23): the stored message links it and its
    # use is counted. Another seller's template id is ignored.
    template_id: int | None = None
    # The platform template (its key) the text is, in the buyer's language (R23, R17).
    platform_template: str = ""

    @property
    def from_template(self) -> bool:
        return self.template_id is not None or bool(self.platform_template)

    @classmethod
    def from_cleaned_data(cls, data: Mapping[str, Any], **fixed: Any) -> "Draft":
        """A draft from a message form's cleaned data (`body`, and where the form has them
        `subject`, `reason` and `attachments` as IncomingAttachment); `fixed` overrides."""
        values: dict[str, Any] = {
            "body_text": data.get("body", ""),
            "subject": data.get("subject", "") or "",
            "contact_reason": data.get("reason", "") or "",
            "attachments": list(data.get("attachments") or []),
            "template_id": data.get("template") or None,
        }
        values.update(fixed)
        return cls(**values)


@dataclass
class _Route:
    """Where a message goes and from which side; the case is None until a new one is opened."""

    from_seller: bool
    seller: SellerAccount
    buyer_id: int
    case: Case | None = None
    order: Order | None = None
    product: Product | None = None
    relationship: Relationship | None = None


def _route(
    *,
    sender: User | None,
    case: Case | None,
    order: Order | None,
    seller: SellerAccount | None,
    product: Product | None,
    lock: bool,
) -> _Route:
    """Who may send this (SPEC section 1): a member of the case's or order's seller, its buyer,
    or, for "Ask a question", any buyer. Anyone else gets NotAParty. With `lock`, the case or
    order row is locked so two sends cannot both pass a once-only rule (R17) or the R8 limit."""
    membership = membership_for_user(user=sender) if sender is not None else None

    def from_seller(seller_id: int, buyer_id: int) -> bool:
        """Which side the sender writes from; no sender is the system on behalf of the seller
        (a periodic task)."""
        if sender is None or (membership is not None and membership.seller_id == seller_id):
            return True
        if sender.pk == buyer_id:
            return False
        raise NotAParty()

    if case is not None:
        cases = Case.objects.select_related("relationship", "seller", "order")
        case = (cases.select_for_update(of=("self",)) if lock else cases).get(pk=case.pk)
        return _Route(
            from_seller=from_seller(case.seller_id, case.buyer_id),
            seller=case.seller,
            buyer_id=case.buyer_id,
            case=case,
            order=case.order,
            product=case.product,
            relationship=case.relationship,
        )
    if order is not None:
        orders = Order.objects.select_related("relationship", "seller")
        order = (orders.select_for_update(of=("self",)) if lock else orders).get(pk=order.pk)
        if (seller is not None and seller.pk != order.seller_id) or (
            product is not None and product.seller_id != order.seller_id
        ):
            raise NotAParty()
        return _Route(
            from_seller=from_seller(order.seller_id, order.buyer_id),
            seller=order.seller,
            buyer_id=order.buyer_id,
            order=order,
            product=product,
            relationship=order.relationship,
        )
    if seller is None or sender is None:
        raise ValueError("A message goes on a case, about an order, or to a seller (Ask).")
    if product is not None and product.seller_id != seller.pk:
        raise NotAParty()
    return _Route(
        from_seller=False,
        seller=seller,
        buyer_id=sender.pk,
        product=product,
        relationship=Relationship.objects.filter(buyer=sender, seller=seller).first(),
    )


def _final_subject(route: _Route, draft: Draft, *, critical: bool, channel: str) -> str:
    """R7 and R3: a proactive web or system message names its order and marks critical ones.
    By email the sender's subject stands (R7 then requires the order ID in it)."""
    if route.case is None and route.from_seller and channel != Channel.EMAIL:
        assert route.order is not None
        reason = policy.CONTACT_REASONS.get(draft.contact_reason)
        return policy.subject_with_order_id(
            subject=draft.subject or (reason.label if reason else ""),
            order_number=route.order.number,
            critical=critical,
        )
    return draft.subject


def _facts(
    route: _Route, sender: User | None, draft: Draft, *, channel: str, now: datetime
) -> policy.SendFacts:
    """Gather from the database everything the judge needs for this message."""
    case, order, seller = route.case, route.order, route.seller
    reason = case.contact_reason if case is not None else draft.contact_reason
    critical = policy.is_critical(
        reason=reason, subject=draft.subject, by_email=channel == Channel.EMAIL
    )
    subject = _final_subject(route, draft, critical=critical, channel=channel)
    common: dict[str, Any] = {
        "channel": channel,
        "now": now,
        "subject": subject,
        "body_text": draft.body_text,
        "body_html": draft.body_html,
        "contact_reason": reason,
        "critical": critical,
        "case_status": case.status if case is not None else None,
        "from_template": draft.from_template,
    }
    if not route.from_seller:
        assert sender is not None  # a message without a sender is the seller's (_route)
        relationship = route.relationship
        return policy.SendFacts(
            from_seller=False,
            sender_is_seller_member=membership_for_user(user=sender) is not None,
            is_new_question=case is None and order is None,
            seller_business_name=seller.business_name,
            seller_accepting=seller.accepting_buyer_messages,
            seller_stopped_accepting_at=seller.accepting_changed_at,
            first_order_at=relationship.first_order_at if relationship else None,
            **common,
        )
    assert route.relationship is not None
    sent_today, limit = selectors.seller_daily_allowance(seller=seller, now=now)
    opted_out = BuyerProfile.objects.filter(
        user_id=route.buyer_id, opted_out_of_unsolicited=True
    ).exists()
    replies_to_buyer = case is not None and (
        case.started_by == Case.StartedBy.BUYER
        or case.messages.filter(direction=Direction.BUYER_TO_SELLER).exists()
    )
    order_facts: dict[str, Any] = {}
    if case is None and order is not None:
        order_facts = {
            "order_number": order.number,
            "order_status": order.status,
            "order_completed_at": order.completed_at,
            "order_delivered_at": order.delivered_at,
            "category_flags": order_category_flags(order),
            "review_already_requested": selectors.review_already_requested(order),
            "names_order_id": order.number in subject or order.number in draft.body_text,
        }
    return policy.SendFacts(
        from_seller=True,
        sent_today=sent_today,
        daily_limit=limit,
        buyer_opted_out=opted_out,
        replies_to_buyer=replies_to_buyer,
        allowed_addresses=(route.relationship.buyer_alias, route.relationship.seller_alias),
        marketing_phrases=template_selectors.marketing_phrases_active(),
        **order_facts,
        **common,
    )


def message_check(
    *,
    sender: User,
    draft: Draft,
    case: Case | None = None,
    order: Order | None = None,
    seller: SellerAccount | None = None,
    channel: str = Channel.WEB,
) -> policy.Verdict:
    """The verdict `message_send` would give this draft now, storing nothing (the live check
    on Contact Buyer and the reply box). Attachments are not part of a live check."""
    route = _route(sender=sender, case=case, order=order, seller=seller, product=None, lock=False)
    facts = _facts(route, sender, draft, channel=channel, now=timezone.now())
    return policy.judge(replace(facts, live=True))


@transaction.atomic
def message_send(
    *,
    sender: User | None,
    draft: Draft,
    case: Case | None = None,
    order: Order | None = None,
    seller: SellerAccount | None = None,
    product: Product | None = None,
    channel: str = Channel.WEB,
    now: datetime | None = None,
    email_message_id: str | None = None,
) -> Message:
    """Send one message: on `case` (a reply), about `order` (a new case: Contact Buyer, or a
    buyer contacting the seller), or to `seller` without an order ("Ask a question", R24,
    optionally about `product`).

    Raises NotAParty when the sender may not write there and MessageRefused (nothing stored)
    when a rule refuses; a message blocked by the buyer's opt-out (R2) is stored with its
    outcome and bounced back to the seller (R4). `now` backdates (demo data, tests).
    """
    now = now or timezone.now()
    route = _route(sender=sender, case=case, order=order, seller=seller, product=product, lock=True)
    if route.from_seller:
        # One sender at a time per seller account, so two members sending at once cannot both
        # take the last message of the day (R8).
        SellerAccount.objects.select_for_update().filter(pk=route.seller.pk).first()
    checked, attachment_refusal = attachments_check(
        draft.attachments,
        max_bytes=settings.MESSAGING_ATTACHMENT_MAX_BYTES,
        max_count=settings.MESSAGING_ATTACHMENTS_PER_MESSAGE,
    )
    facts = replace(
        _facts(route, sender, draft, channel=channel, now=now),
        attachment_refusal=attachment_refusal,
    )
    verdict = policy.judge(facts)
    if isinstance(verdict, policy.Refused):
        raise MessageRefused(verdict.refusal)
    # A file written for an attachment is removed again if anything below fails, so a rolled
    # back message leaves no file behind (the daily sweep catches a later rollback).
    written: list[str] = []
    try:
        return _store(
            route,
            sender,
            draft,
            facts,
            verdict,
            checked,
            channel=channel,
            now=now,
            email_message_id=email_message_id,
            written=written,
        )
    except BaseException:
        attachment_files_delete(written)
        raise


def _store(
    route: _Route,
    sender: User | None,
    draft: Draft,
    facts: policy.SendFacts,
    verdict: policy.Verdict,
    checked: list[CheckedAttachment],
    *,
    channel: str,
    now: datetime,
    email_message_id: str | None,
    written: list[str],
) -> Message:
    case = route.case
    if case is None:
        relationship = route.relationship or relationship_get_or_create(
            buyer=User.objects.get(pk=route.buyer_id), seller=route.seller
        )
        case = case_open(
            relationship=relationship,
            order=route.order,
            product=route.product,
            contact_reason=facts.contact_reason,
            subject=facts.subject,
            started_by=Case.StartedBy.SELLER if route.from_seller else Case.StartedBy.BUYER,
            actor=sender,
            at=now,
        )
    blocked = verdict.refusal if isinstance(verdict, policy.Blocked) else None
    # R23: a message started from one of the seller's templates counts as a use of it.
    template_id = (
        seller_template_use_record(seller_id=case.seller_id, template_id=draft.template_id, at=now)
        if route.from_seller and draft.template_id is not None
        else None
    )
    message = _message_create(
        case=case,
        direction=Direction.SELLER_TO_BUYER if route.from_seller else Direction.BUYER_TO_SELLER,
        sender=sender,
        draft=draft,
        facts=facts,
        channel=channel,
        at=now,
        blocked=blocked,
        email_message_id=email_message_id,
        template_id=template_id,
    )
    for attachment in checked:
        _attachment_create(message, attachment, at=now, written=written)
    if blocked is not None:
        blocked_notice_create(message=message)
    elif route.from_seller:
        # R8: the pages' count of today's delivered messages is one short from now on.
        transaction.on_commit(
            partial(
                selectors.sent_today_forget,
                seller_id=case.seller_id,
                today=now.astimezone(UTC).date(),
            )
        )
        # One delivered reply answers every buyer message waiting on the case.
        Message.objects.filter(
            case=case, direction=Direction.BUYER_TO_SELLER, response_state=ResponseState.NEEDED
        ).update(response_state=ResponseState.RESPONDED, responded_at=now)
    # The case's side of it, in one call: a Resolved case reopened by the buyer, the case
    # assigned to the member replying, the activity, the inbox summary.
    case_record_message(
        case=case,
        sender=sender,
        from_seller=route.from_seller,
        opened_it=route.case is None,
        at=now,
    )
    # Email to the other party, a copy to the seller, a bounce: queued now, sent after commit.
    outbound.emails_for_message(message)
    return message


def _message_create(
    *,
    case: Case,
    direction: str,
    sender: User | None,
    draft: Draft,
    facts: policy.SendFacts,
    channel: str,
    at: datetime,
    blocked: Refusal | None,
    email_message_id: str | None,
    template_id: int | None = None,
) -> Message:
    # R14: HTML is sanitized here, the one way into the database, so pages may show it as is;
    # every message also keeps a plain-text body.
    body_html = html_sanitize(draft.body_html) if draft.body_html.strip() else ""
    return Message.objects.create(
        case=case,
        seller_id=case.seller_id,
        order_id=case.order_id,
        direction=direction,
        sender=sender,
        channel=channel,
        contact_reason=facts.contact_reason,
        subject=facts.subject or f"Re: {case.subject}",
        body_text=draft.body_text or html_to_text(body_html),
        body_html=body_html,
        is_critical=facts.critical,
        template_id=template_id,
        created_at=at,
        outcome=Outcome.BLOCKED if blocked else Outcome.DELIVERED,
        outcome_rule=blocked.rule if blocked else "",
        outcome_reason=blocked.message if blocked else "",
        response_state=(
            ResponseState.NEEDED
            if direction == Direction.BUYER_TO_SELLER
            else ResponseState.NOT_APPLICABLE
        ),
        email_message_id=email_message_id,
    )


def _attachment_create(
    message: Message, checked: CheckedAttachment, *, at: datetime, written: list[str]
) -> None:
    """Stores the attachment. Each file's name goes into `written` as soon as it is on storage
    (the party copy, and the sender's original when metadata was stripped from it), so the
    caller can remove it when the row's INSERT then fails (the database gone mid-request)."""
    attachment = Attachment(
        message=message,
        display_name=checked.display_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_at=at,
    )
    attachment.file.save(f"upload{checked.extension}", ContentFile(checked.content), save=False)
    written.append(str(attachment.file.name))
    if checked.original is not None:
        attachment.original.save(
            f"original{checked.extension}", ContentFile(checked.original), save=False
        )
        written.append(str(attachment.original.name))
    attachment.save()


PLATFORM_TEXT_MISSING_MSG = (
    "AlphaDiscounters has no text for “{key}” at the moment. Write your own message, or try "
    "again later."
)


def _normalized(text: str) -> str:
    """Text as typed in a browser compares equal to the same text stored: line endings,
    trailing spaces and surrounding blank lines aside."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


def _platform_subject_body(*, key: str, order: Order, language: str) -> tuple[str, str, str]:
    """(language, subject, body) of platform template `key` for `order`, in `language` or
    English (R23), placeholders filled from the order. MessageRefused when it cannot be."""
    text = template_selectors.platform_text(key=key, language=language)
    if text is None:
        raise MessageRefused(Refusal(rule="R23", message=PLATFORM_TEXT_MISSING_MSG.format(key=key)))
    values = template_selectors.placeholder_values(seller=order.seller, order=order)
    why = values.why_missing
    subject, subject_refusal = fill_placeholders(text.subject, values.values, why_missing=why)
    body, body_refusal = fill_placeholders(text.body, values.values, why_missing=why)
    refusal = subject_refusal or body_refusal
    if refusal is not None:
        raise MessageRefused(refusal)
    return text.language, subject, body


def platform_draft_for_buyer(*, draft: Draft, order: Order) -> Draft:
    """Contact Buyer with a platform template (R23): the seller saw it in English; sent as it
    was shown, the buyer gets it in their preferred language (English when there is no
    translation). A subject or body the seller changed is sent as written."""
    if not draft.platform_template:
        return draft
    key = draft.platform_template
    _, english_subject, english_body = _platform_subject_body(
        key=key, order=order, language=FALLBACK_LANGUAGE
    )
    if _normalized(draft.body_text) != _normalized(english_body):
        return draft
    language = template_selectors.buyer_language(buyer_id=order.buyer_id)
    _, subject, body = _platform_subject_body(key=key, order=order, language=language)
    if _normalized(draft.subject) != _normalized(english_subject):
        subject = draft.subject
    return replace(draft, subject=subject, body_text=body)


def review_request_send(
    *, sender: User | None, order: Order, now: datetime | None = None
) -> Message:
    """R17: the platform's review-request template in the buyer's preferred language (English
    when it has no translation in it, R23), through the funnel (once per order, 5 to 30 days
    after delivery; not critical, so opt-out blocks it: R2, R3)."""
    language = template_selectors.buyer_language(buyer_id=order.buyer_id)
    _, subject, body = _platform_subject_body(
        key=REVIEW_REQUEST_KEY, order=order, language=language
    )
    draft = Draft(
        body_text=body,
        subject=subject,
        contact_reason=policy.REVIEW_REQUEST_REASON,
        platform_template=REVIEW_REQUEST_KEY,
    )
    # Without a sender it is the automatic request, sent by the system for the seller.
    channel = Channel.WEB if sender is not None else Channel.SYSTEM
    return message_send(sender=sender, order=order, draft=draft, now=now, channel=channel)
