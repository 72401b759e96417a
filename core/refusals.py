"""How every rule and service says "no", the same way on every channel.

A pure rule function returns `None` or a `Refusal` (the SPEC rule id and what to do instead).
A service turns a refusal into `MessageRefused`; a sender who is not a party of what they act on
gets `NotAParty`. Views show the first as a form error (and the second becomes a 403, being a
`PermissionDenied`); email handlers answer both with a bounce.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

NOT_A_PARTY_MSG = "You are not a party of this case."


@dataclass(frozen=True)
class Refusal:
    """Why something cannot be done: the SPEC rule id (e.g. "R8") and what to do instead."""

    rule: str
    message: str

    def __str__(self) -> str:
        return self.message

    @property
    def with_rule(self) -> str:
        """The message naming its rule, as seller pages show refusals: "… (R8)"."""
        if not self.rule.startswith("R") or f"({self.rule})" in self.message:
            return self.message
        return f"{self.message} ({self.rule})"


class MessageRefused(Exception):
    """Raised by services when a rule refuses an action; nothing has been stored."""

    def __init__(self, refusal: Refusal):
        super().__init__(str(refusal))
        self.refusal = refusal


class NotAParty(PermissionDenied, PermissionError):
    """The user is not a party of the case, order or message they act on.

    A `PermissionDenied`, so a view that lets it through answers 403; a `PermissionError`, so
    callers outside Django (tasks, the mail pipeline) can catch it without Django's types.
    """

    def __init__(self, message: str = NOT_A_PARTY_MSG):
        super().__init__(message)


def raise_if_refused(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise MessageRefused(refusal)
