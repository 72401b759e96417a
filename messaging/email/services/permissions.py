"""Messaging Permissions (R11): the addresses a seller may write to buyers from by email. The
owner adds an address, its mailbox confirms it through a signed link, the owner can block and
unblock it. Owners only (SPEC section 1)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import require_seller_owner
from core.refusals import MessageRefused, Refusal
from messaging.email.services import outbound
from messaging.models import MessagingPermission

OWNERS_ONLY_MSG = "Only the account owner can change Messaging Permissions."
ALREADY_APPROVED_MSG = "{email} is already approved."
BLOCKED_MSG = "{email} is blocked. Unblock it to use it again."
CONFIRM_BLOCKED_MSG = "This address was blocked by the account owner, so it cannot be confirmed."


@transaction.atomic
def permission_add(*, seller: SellerAccount, actor: User, email: str) -> MessagingPermission:
    """Add an address and email it the confirmation link; adding a pending address again sends
    a new link."""
    require_seller_owner(actor, seller)
    email = email.strip().lower()
    permission, created = MessagingPermission.objects.select_for_update().get_or_create(
        seller=seller, email=email, defaults={"added_by": actor}
    )
    if not created and permission.status == MessagingPermission.Status.APPROVED:
        raise MessageRefused(Refusal(rule="R11", message=ALREADY_APPROVED_MSG.format(email=email)))
    if not created and permission.status == MessagingPermission.Status.BLOCKED:
        raise MessageRefused(Refusal(rule="R11", message=BLOCKED_MSG.format(email=email)))
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
