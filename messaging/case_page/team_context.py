"""What the case page shows of the team inbox (issue 14): the live poll's state, the case's owner
among the members, who else is on the case. Shared by the page views
(messaging.case_page.views) and the live endpoints (messaging.case_page.team)."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from accounts.http import SellerRequest
from accounts.models import User
from cases import presence
from cases import selectors as case_selectors
from cases.models import Case, CaseTransition
from cases.services import AUTO_ASSIGNED_CAUSE
from messaging.case_page.selectors import SellerCaseMessage
from messaging.models import Message
from messaging.presentation import live_poll_ms


def case_live_url(case: Case, *, since: int, after: int, signature: str) -> str:
    """The case page's poller: the page's state (its change token, the last message shown, who
    else it shows, the case's state) travels in its own address."""
    query = urlencode({"since": since, "after": after, "p": signature, "status": case.status})
    return f"{reverse('messaging:case_live', args=[case.pk])}?{query}"


def assignment_text(request: SellerRequest, case: Case, members: list[User]) -> str:
    """Who owns the case, in words; for the member who owns it, how it came to them."""
    if case.assigned_to_id is None:
        return "Nobody is assigned to this case."
    owner = next((m for m in members if m.pk == case.assigned_to_id), None)
    if case.assigned_to_id != request.user.pk:
        name = owner.get_full_name() if owner is not None else "a former member"
        return f"Assigned to {name}."
    entry = case_selectors.case_assignment_latest(case=case)
    if entry is None or entry.kind != CaseTransition.Kind.ASSIGNED:
        return "Assigned to you."
    if entry.cause == AUTO_ASSIGNED_CAUSE:
        return "Assigned to you because you replied."
    if entry.actor_id and entry.actor_id != request.user.pk and entry.actor is not None:
        return f"Assigned to you by {entry.actor.get_full_name()}."
    return "Assigned to you."


def case_team_context(
    request: SellerRequest, case: Case, messages: Sequence[SellerCaseMessage | Message]
) -> dict[str, Any]:
    """The case page's assignment panel, presence line and live poller. Opening the page counts
    as "viewing" for the other members (the cache, no database write)."""
    members = list(case_selectors.seller_members(seller_id=case.seller_id))
    user = request.user
    others = presence.presence_touch(
        case_id=case.pk, user_id=user.pk, name=user.get_full_name(), mode=presence.VIEWING
    )
    last_id = messages[-1].pk if messages else 0
    since = case_selectors.change_token(case.summary_changed_at)
    return {
        "members": members,
        "assignment_text": assignment_text(request, case, members),
        "presence": others,
        "last_message_id": last_id,
        "live_url": case_live_url(
            case, since=since, after=last_id, signature=presence.presence_signature(others)
        ),
        "live_poll_ms": live_poll_ms(),
    }
