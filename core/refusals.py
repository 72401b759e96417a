"""How every rule and service says "no", the same way on every channel.

A pure rule function returns `None` or a `Refusal` (the SPEC rule id and what to do instead).
A service turns a refusal into `MessageRefused`; a sender who is not a party of what they act on
gets `NotAParty`. Views show the first as a form error (and the second becomes a 403, being a
`PermissionDenied`); email handlers answer both with a bounce.

People read the message, in words; the rule id is for code, tests, logs and the admin, and pages
put it in the `data-rule` attribute of the element showing the refusal, next to a link to the
section of the messaging policy that explains it (components/refusal.html).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

NOT_A_PARTY_MSG = "You are not a party of this case."


@dataclass(frozen=True)
class Refusal:
    """Why something cannot be done: the SPEC rule id (e.g. "R8") and what to do instead.

    `message` is what people read (never the rule id). When a rule finds several problems at
    once (R12), `problems` holds each one, pointing at its text, and `message` all of them.
    """

    rule: str
    message: str
    problems: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message

    @property
    def for_log(self) -> str:
        """The message with its rule id, for logs and the admin: "… [R8]"."""
        return f"{self.message} [{self.rule}]"


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


class NotAnOwner(PermissionDenied, PermissionError):
    """A member of a seller account tried to change an account-wide setting: owners alone may
    (SPEC section 1). A 403 in views, like `NotAParty`; the message names the owners."""


def raise_if_refused(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise MessageRefused(refusal)
