"""The one send funnel: every message, whatever its channel, goes through `message_send`.

Web forms (buyer contact, Ask a question, seller reply, Contact Buyer, Request a Review), inbound
email and periodic tasks all call it. It works out who may send (a party of the case or order),
gathers the facts the rules need, asks `messaging.policy.judge` for a verdict, and only then
stores the message, its attachments, the case and its inbox summary in one transaction.
`message_check` asks the same judge without storing (the live check while typing).
"""

from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.services import relationship_get_or_create
from cases.models import Case
from cases.services import case_open, case_record_message
from core.refusals import MessageRefused, Refusal
from core.sanitize import html_sanitize, html_to_text
from messaging import policy
from messaging.attachments import CheckedAttachment, attachments_check
from messaging.email.services import outbound
from messaging.inbox.services import blocked_notice_create
from messaging.models import Attachment, Channel, Direction, Message, Outcome, ResponseState
from messaging.sanctions.services import held_message_attach
from messaging.sending import selectors
from messaging.sending.services.facts import Draft, Route, facts_for, route_for
from messaging.sending.services.files import attachment_files_delete
from messaging.sending.services.subjects import subject_reply
from orders.models import Order, Product
from templates_app.services import seller_template_use_record


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
    route = route_for(
        sender=sender, case=case, order=order, seller=seller, product=None, lock=False
    )
    facts = facts_for(route, sender, draft, channel=channel, now=timezone.now())
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
    route = route_for(
        sender=sender, case=case, order=order, seller=seller, product=product, lock=True
    )
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
        facts_for(route, sender, draft, channel=channel, now=now),
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
    route: Route,
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
    held = verdict if isinstance(verdict, policy.Held) else None
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
        held=held.refusal if held else None,
        email_message_id=email_message_id,
        template_id=template_id,
    )
    for attachment in checked:
        _attachment_create(message, attachment, at=now, written=written)
    if held is not None:
        # R37: stored, not delivered; staff release or reject it from the sanction.
        held_message_attach(sanction_id=held.sanction_id, message=message)
    elif blocked is not None:
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
    held: Refusal | None = None,
) -> Message:
    # R14: HTML is sanitized here, the one way into the database, so pages may show it as is;
    # every message also keeps a plain-text body.
    body_html = html_sanitize(draft.body_html) if draft.body_html.strip() else ""
    stopped = held or blocked
    return Message.objects.create(
        case=case,
        seller_id=case.seller_id,
        order_id=case.order_id,
        direction=direction,
        sender=sender,
        channel=channel,
        contact_reason=facts.contact_reason,
        subject=facts.subject or subject_reply(case.subject),
        body_text=draft.body_text or html_to_text(body_html),
        body_html=body_html,
        is_critical=facts.critical,
        template_id=template_id,
        created_at=at,
        outcome=Outcome.HELD if held else Outcome.BLOCKED if blocked else Outcome.DELIVERED,
        outcome_rule=stopped.rule if stopped else "",
        outcome_reason=stopped.message if stopped else "",
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
