"""Inbound email (SPEC section 5): the SMTP relay and the webhook check who sent the mail (SPF,
DKIM, DMARC: `messaging.email.authentication`), store the raw mail with that result
(`inbound_mail_receive`, then they say 250 / 202), and a task turns it into a message through
the same send funnel as the web (`inbound_mail_process`), or refuses it with a bounce that says
why. Mail whose sender did not authenticate is stored as refused and never processed, and nobody
is mailed about it: a bounce goes only to a From address that authenticated (no backscatter).
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Relationship, SellerMembership, User
from cases.models import Case
from core.refusals import MessageRefused, NotAParty, Refusal
from messaging import jobs, policy
from messaging.attachments import IncomingAttachment
from messaging.email.authentication import SenderCheck
from messaging.email.parse import ParsedMail, header_message_id, parse_mail, storable
from messaging.email.services import outbound
from messaging.models import InboundMail, Message, MessagingPermission, OutboundEmail
from messaging.sending.services import Draft, message_send
from orders.models import Order

logger = logging.getLogger(__name__)

SELLER_ADDRESS_NOT_APPROVED_MSG = (
    "{address} is not an approved sender for {business_name}. To write to buyers from this "
    "address, the account owner adds it under Settings › Messaging Permissions in Seller "
    "Central; we then email it a confirmation link, and once it is clicked the address is "
    "approved. Until then, reply from an approved address or from Buyer-Seller Messages."
)
SELLER_ADDRESS_BLOCKED_MSG = (
    "{address} is blocked under Messaging Permissions for {business_name}, so its mail to "
    "buyers is not accepted. The account owner can unblock it in Seller Central."
)
BUYER_ADDRESS_MSG = (
    "This address only accepts mail from the buyer it belongs to. Write from the email address "
    "of your AlphaDiscounters account, or from your messages on the website."
)
NO_SUCH_ALIAS_MSG = "There is no mailbox {address} at AlphaDiscounters."
UNEXPECTED_MSG = "Your email could not be processed. Please try again later."
PERMANENT_ERROR_MSG = (
    "Your email could not be processed because of an error on our side, and sending it again "
    "will not help: please write from your messages on the website. Our staff can see what "
    "went wrong."
)
NOT_STORABLE_MSG = (
    "Your email holds something we cannot store (a subject, text or file name that is too long "
    "or not valid text), so it was not delivered. Sending it again as it is will not help: "
    "shorten or correct it, or write from your messages on the website."
)
NOT_AUTHENTICATED_MSG = "The sender of this email could not be authenticated."
FROM_CHANGED_MSG = "The From address is not the one that was authenticated."
BUYER_EMAIL_REASON = "other"


def _alias_domain_q(address: str) -> Q:
    return Q(buyer_alias__iexact=address) | Q(seller_alias__iexact=address)


def alias_is_live(address: str) -> bool:
    """Whether mail to `address` is ours to take: a buyer or seller alias (R1)."""
    address = address.strip().lower()
    if len(address) > 254 or storable(address) != address or not address.isprintable():
        return False  # not an address at all (a NUL, a line break): nothing to look up
    if not address.endswith("@" + settings.MESSAGING_ALIAS_DOMAIN.lower()):
        return False
    return Relationship.objects.filter(_alias_domain_q(address)).exists()


def inbound_mail_receive(
    *,
    raw: bytes,
    recipients: Iterable[str],
    envelope_from: str,
    source: str,
    check: SenderCheck,
) -> list[InboundMail]:
    """Store the raw mail once per live alias it is addressed to, committed before the caller
    acknowledges it, with the result of its sender check. Mail whose sender authenticated is
    processed by a task after commit; any other is stored as refused, for staff to see, and
    nobody hears of it (the relay has refused it at SMTP time). The same mail (Message-ID) to
    the same alias again is not stored again."""
    message_id = header_message_id(raw)
    refused = not check.authenticated
    fields = {
        "envelope_from": storable(envelope_from)[:254],
        "header_message_id": message_id,
        "raw": raw,
        "size": len(raw),
        "source": source,
        "authenticated": check.authenticated,
        "authenticated_from": check.from_address.lower()[:254] if check.authenticated else "",
        "authentication": storable(check.summary),
    }
    if refused:
        fields.update(
            status=InboundMail.Status.REFUSED,
            rule="R11",
            reason=storable(check.reason) or NOT_AUTHENTICATED_MSG,
            processed_at=timezone.now(),
        )
    stored = []
    with transaction.atomic():
        for recipient in dict.fromkeys(r.strip().lower() for r in recipients):
            if not alias_is_live(recipient):
                continue
            if (
                message_id
                and InboundMail.objects.filter(
                    header_message_id=message_id, recipient=recipient
                ).exists()
            ):
                continue
            try:
                with transaction.atomic():
                    mail: InboundMail = InboundMail.objects.create(recipient=recipient, **fields)
            except IntegrityError:  # the same mail, delivered twice at the same moment
                continue
            stored.append(mail)
            if refused:
                logger.info("Inbound mail %s to %s refused: %s", mail.pk, recipient, check.summary)
            else:
                jobs.enqueue_on_commit(jobs.INBOUND_MAIL_PROCESS, mail.pk)
    return stored


def inbound_mail_process(inbound_id: int) -> InboundMail:
    """Turn a stored mail into a message, or refuse it with a bounce. Safe to run twice: a mail
    already processed is left as it is. Bad data is refused at once with the reason; only a
    database that cannot be reached (OperationalError, InterfaceError) escapes, for the task to
    retry."""
    with transaction.atomic():
        mail: InboundMail = InboundMail.objects.select_for_update().get(pk=inbound_id)
        if mail.status != InboundMail.Status.RECEIVED:
            return mail
        mail.attempts += 1
        parsed = parse_mail(bytes(mail.raw))
        outcome: Message | Refusal
        if not (mail.authenticated and mail.authenticated_from):
            # Stored before sender checks, or by a caller that did not check: never accepted.
            outcome = Refusal(rule="R11", message=NOT_AUTHENTICATED_MSG)
        elif isinstance(parsed, Refusal):
            outcome = parsed
        elif parsed.sender != mail.authenticated_from:
            outcome = Refusal(rule="R11", message=FROM_CHANGED_MSG)
        else:
            outcome = _accept_or_refusal(mail, parsed)
        mail.processed_at = timezone.now()
        if isinstance(outcome, Message):
            mail.status, mail.message = InboundMail.Status.ACCEPTED, outcome
            if outcome.sender is None:
                # Sent on behalf of the seller from an approved address: R4 goes back there.
                outbound.blocked_bounce(outcome, recipient=mail.authenticated_from)
        else:
            mail.status, mail.rule, mail.reason = (
                InboundMail.Status.REFUSED,
                outcome.rule,
                outcome.message,
            )
            _bounce(mail, parsed, outcome)
        mail.save(update_fields=["status", "message", "rule", "reason", "processed_at", "attempts"])
        logger.info("Inbound mail %s to %s: %s %s", mail.pk, mail.recipient, mail.status, mail.rule)
    return mail


def _accept_or_refusal(mail: InboundMail, parsed: ParsedMail) -> Message | Refusal:
    """The message the mail becomes, or why not. A value the database refuses to store is a
    refusal with the reason (sending it again would fail the same way); a database that cannot
    be reached is raised, for the task to retry."""
    try:
        with transaction.atomic():
            return _accept(mail, parsed)
    except MessageRefused as refused:
        return refused.refusal
    except NotAParty as exc:
        return Refusal(rule="R11", message=str(exc))
    except (OperationalError, InterfaceError):
        raise
    except DatabaseError:
        logger.exception("Inbound mail %s holds a value the database refuses", mail.pk)
        return Refusal(rule="MAIL", message=NOT_STORABLE_MSG)


def inbound_mail_give_up(inbound_id: int, error: str, *, temporary: bool = True) -> None:
    """After the last retry (`temporary`: the database was unreachable all along, the sender
    may try again later) or on an unexpected error that retrying would not fix: failed, kept
    for staff, the sender told which."""
    with transaction.atomic():
        mail: InboundMail = InboundMail.objects.select_for_update().get(pk=inbound_id)
        if mail.status != InboundMail.Status.RECEIVED:
            return
        mail.status, mail.reason = InboundMail.Status.FAILED, storable(error)[:2000]
        mail.save(update_fields=["status", "reason"])
        message = UNEXPECTED_MSG if temporary else PERMANENT_ERROR_MSG
        _bounce(mail, None, Refusal(rule="MAIL", message=message))


def _bounce(mail: InboundMail, parsed: ParsedMail | Refusal | None, refusal: Refusal) -> None:
    """Tell the sender why: only a From address that authenticated (never the envelope sender,
    which anyone can forge), and not when the mail was itself automatic (no bounce loops). The
    refusal stays on the inbound mail for staff either way."""
    if isinstance(parsed, ParsedMail) and parsed.auto_submitted:
        return
    if not (mail.authenticated and mail.authenticated_from):
        return
    subject = parsed.subject if isinstance(parsed, ParsedMail) else ""
    outbound.bounce(
        recipient=mail.authenticated_from,
        key=f"inbound:{mail.pk}",
        refusal=refusal,
        subject=subject,
        inbound_mail=mail,
    )


def _accept(mail: InboundMail, parsed: ParsedMail) -> Message:
    relationship = (
        Relationship.objects.select_related("seller", "buyer")
        .filter(_alias_domain_q(mail.recipient))
        .first()
    )
    if relationship is None:
        raise MessageRefused(
            Refusal(rule="MAIL", message=NO_SUCH_ALIAS_MSG.format(address=mail.recipient))
        )
    to_buyer = relationship.buyer_alias.lower() == mail.recipient
    sender = (
        _seller_sender(relationship, parsed) if to_buyer else _buyer_sender(relationship, parsed)
    )
    draft = Draft(
        body_text=parsed.text,
        body_html=parsed.html,
        subject=parsed.subject,
        contact_reason="" if to_buyer else BUYER_EMAIL_REASON,
        attachments=[
            IncomingAttachment(name=a.name, content=a.content) for a in parsed.attachments
        ],
    )
    send = partial(
        message_send,
        sender=sender,
        draft=draft,
        channel="email",
        email_message_id=parsed.header_message_id or None,
    )
    case = _thread(relationship, parsed)
    if case is not None:
        return send(case=case)
    order = (
        Order.objects.filter(relationship=relationship, number__in=parsed.order_numbers())
        .order_by("-placed_at")
        .first()
    )
    if order is not None:
        return send(order=order)
    if to_buyer:  # R7: a proactive seller message by email names its order
        raise MessageRefused(Refusal(rule="R7", message=policy.ORDER_ID_MISSING_MSG))
    return send(seller=relationship.seller)


def _seller_sender(relationship: Relationship, parsed: ParsedMail) -> User | None:
    """R11: seller mail only from an approved Messaging Permissions address of that seller.
    The message's sender is the member with that address, if there is one; otherwise it is
    sent on behalf of the seller (no user), and the inbound mail records the address."""
    permission = MessagingPermission.objects.filter(
        seller=relationship.seller, email__iexact=parsed.sender
    ).first()
    if permission is None or permission.status != MessagingPermission.Status.APPROVED:
        template = (
            SELLER_ADDRESS_BLOCKED_MSG
            if permission is not None and permission.status == MessagingPermission.Status.BLOCKED
            else SELLER_ADDRESS_NOT_APPROVED_MSG
        )
        raise MessageRefused(
            Refusal(
                rule="R11",
                message=template.format(
                    address=parsed.sender, business_name=relationship.seller.business_name
                ),
            )
        )
    member = (
        SellerMembership.objects.filter(
            seller=relationship.seller, user__email__iexact=parsed.sender
        )
        .select_related("user")
        .first()
    )
    return member.user if member is not None else None


def _buyer_sender(relationship: Relationship, parsed: ParsedMail) -> User:
    """R11: buyer mail only from that buyer's own address."""
    if relationship.buyer.email.lower() != parsed.sender:
        raise MessageRefused(Refusal(rule="R11", message=BUYER_ADDRESS_MSG))
    return relationship.buyer


def _thread(relationship: Relationship, parsed: ParsedMail) -> Case | None:
    """The case a reply belongs to, by In-Reply-To/References: a message that came in or went
    out with one of those Message-IDs, between these two parties."""
    if not parsed.references:
        return None
    references = list(parsed.references)
    message = (
        Message.objects.filter(case__relationship=relationship, email_message_id__in=references)
        .order_by("-created_at")
        .first()
    )
    if message is None:
        sent = (
            OutboundEmail.objects.filter(
                header_message_id__in=references, message__case__relationship=relationship
            )
            .select_related("message")
            .order_by("-created_at")
            .first()
        )
        message = sent.message if sent is not None else None
    return Case.objects.get(pk=message.case_id) if message is not None else None
