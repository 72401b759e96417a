"""Rules of the accounts domain as pure functions: plain values in, words out. No ORM, no I/O."""

from collections.abc import Sequence

OWNERS_ONLY_ONE_MSG = "Only the account owner can change these settings: {owners}."
OWNERS_ONLY_MANY_MSG = "Only the account owners can change these settings: {owners}."
OWNERS_ONLY_NONE_MSG = (
    "Only an owner of the account can change these settings, and this account has none: "
    "ask AlphaDiscounters support to name one."
)


def owners_only_message(*, owner_names: Sequence[str]) -> str:
    """SPEC section 1: owners alone change account-wide settings (Notification Preferences,
    Messaging Permissions, accepting messages). What a member is told, naming who can."""
    if not owner_names:
        return OWNERS_ONLY_NONE_MSG
    if len(owner_names) == 1:
        return OWNERS_ONLY_ONE_MSG.format(owners=owner_names[0])
    owners = ", ".join(owner_names[:-1]) + " or " + owner_names[-1]
    return OWNERS_ONLY_MANY_MSG.format(owners=owners)
