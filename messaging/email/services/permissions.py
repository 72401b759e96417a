"""Messaging Permissions (R11): the addresses a seller may write to buyers from by email. The
owner adds an address, its mailbox confirms it through a signed link, the owner can block and
unblock it. Owners only (SPEC section 1)."""

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import require_seller_owner
from core.refusals import MessageRefused, Refusal
from core.validators import has_control_characters
from messaging.email import selectors
from messaging.email.services import outbound
from messaging.models import MessagingPermission

logger = logging.getLogger(__name__)

OWNERS_ONLY_MSG = "Only the account owner can change Messaging Permissions."
ALREADY_APPROVED_MSG = "{email} is already approved."
BLOCKED_MSG = "{email} is blocked. Unblock it to use it again."
CONFIRM_BLOCKED_MSG = "This address was blocked by the account owner, so it cannot be confirmed."
ALIAS_DOMAIN_MSG = (
    "{email} is an address at {domain}, where AlphaDiscounters gives buyers and sellers their "
    "anonymous addresses: it cannot be one of yours. Add the address your business writes "
    "from, such as support@yourbusiness.com."
)
OWN_ADDRESS_MSG = (
    "{email} is an address AlphaDiscounters sends its own emails from, not one of yours. Add "
    "the address your business writes from."
)
ONE_LINE_MSG = "Enter one email address, without line breaks or other control characters."
LINK_RECENTLY_SENT_MSG = (
    "We emailed a confirmation link to {email} at {sent} UTC, and it still works (until "
    "{valid_until} UTC): open it in that mailbox, and look in its spam folder if it is not in "
    "the inbox. Nothing was sent again; you can ask for a new link from {resend} UTC."
)
# A pending address added again within this time gets no new link (the last one still works);
# adding it ten times sent ten confirmation emails (issue 22, finding 7).
LINK_RESEND_AFTER = timedelta(minutes=15)


def _utc(moment: datetime) -> str:
    """The moment in UTC, as "Dec 8, 2026 14:05"."""
    moment = moment.astimezone(UTC)
    return f"{moment:%b} {moment.day}, {moment:%Y %H:%M}"


def _own_addresses() -> set[str]:
    """The addresses our own emails come from (settings), lowercase."""
    values = [settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL]
    values += [getattr(settings, "EMAIL_HOST_USER", "") or ""]
    return {parseaddr(value)[1].lower() for value in values if "@" in value}


def _address_refusal(email: str) -> str | None:
    """Why `email` can never be a seller's sender address (R11), in words, or None."""
    if has_control_characters(email):
        return ONE_LINE_MSG
    domain = email.rpartition("@")[2]
    alias_domain = settings.MESSAGING_ALIAS_DOMAIN.lower()
    if domain == alias_domain or domain.endswith(f".{alias_domain}"):
        return ALIAS_DOMAIN_MSG.format(email=email, domain=alias_domain)
    if email in _own_addresses():
        return OWN_ADDRESS_MSG.format(email=email)
    return None


def _link_still_fresh(permission: MessagingPermission, *, now: datetime) -> str | None:
    """For a pending address whose last link went out less than LINK_RESEND_AFTER ago: what
    to tell the owner instead of sending another."""
    sent = selectors.permission_link_last_sent(permission_id=permission.pk)
    if sent is None or now - sent >= LINK_RESEND_AFTER:
        return None
    return LINK_RECENTLY_SENT_MSG.format(
        email=permission.email,
        sent=_utc(sent),
        valid_until=_utc(sent + outbound.PERMISSION_MAX_AGE),
        resend=_utc(sent + LINK_RESEND_AFTER),
    )


@transaction.atomic
def permission_add(*, seller: SellerAccount, actor: User, email: str) -> MessagingPermission:
    """Add an address and email it the confirmation link. Adding a pending address again sends
    a new link once the last one is LINK_RESEND_AFTER old (until then it says when that one
    went out). Our alias domain and our own sending addresses are refused; a buyer's address is
    kept pending and never sent a link."""
    require_seller_owner(actor, seller)
    email = email.strip().lower()
    refusal = _address_refusal(email)
    if refusal is not None:
        raise MessageRefused(Refusal(rule="R11", message=refusal))
    permission, created = MessagingPermission.objects.select_for_update().get_or_create(
        seller=seller, email=email, defaults={"added_by": actor}
    )
    if not created and permission.status == MessagingPermission.Status.APPROVED:
        raise MessageRefused(Refusal(rule="R11", message=ALREADY_APPROVED_MSG.format(email=email)))
    if not created and permission.status == MessagingPermission.Status.BLOCKED:
        raise MessageRefused(Refusal(rule="R11", message=BLOCKED_MSG.format(email=email)))
    fresh = None if created else _link_still_fresh(permission, now=timezone.now())
    if fresh is not None:
        raise MessageRefused(Refusal(rule="R11", message=fresh))
    if selectors.address_of_a_buyer(email=email):
        # A buyer's real address can never write as a seller, but saying so would let a seller
        # find out which addresses belong to buyers: it stays pending, with no link to confirm it.
        logger.warning("R11: seller %s added a buyer's address; no confirmation sent", seller.pk)
        return permission
    outbound.permission_confirmation_queue(
        permission_id=permission.pk, email=email, business_name=seller.business_name
    )
    return permission


@transaction.atomic
def permission_confirm(*, permission_id: int, email: str) -> MessagingPermission:
    """The confirmation link was followed: the address is approved. Twice changes nothing."""
    permission = MessagingPermission.objects.select_for_update().get(pk=permission_id, email=email)
    if permission.status == MessagingPermission.Status.BLOCKED:
        raise MessageRefused(Refusal(rule="R11", message=CONFIRM_BLOCKED_MSG))
    if permission.status == MessagingPermission.Status.PENDING:
        now = timezone.now()
        permission.status = MessagingPermission.Status.APPROVED
        permission.confirmed_at = permission.status_changed_at = now
        permission.save(update_fields=["status", "confirmed_at", "status_changed_at"])
    return permission


@transaction.atomic
def permission_set_blocked(
    *, permission: MessagingPermission, actor: User, blocked: bool
) -> MessagingPermission:
    """Block an address (its mail is refused with a bounce) or unblock it (approved again if its
    mailbox had confirmed it, otherwise waiting for confirmation)."""
    require_seller_owner(actor, permission.seller)
    permission = MessagingPermission.objects.select_for_update().get(pk=permission.pk)
    if blocked:
        status = MessagingPermission.Status.BLOCKED
    elif permission.confirmed_at is not None:
        status = MessagingPermission.Status.APPROVED
    else:
        status = MessagingPermission.Status.PENDING
    if status != permission.status:
        permission.status = status
        permission.status_changed_at = timezone.now()
        permission.save(update_fields=["status", "status_changed_at"])
    return permission
