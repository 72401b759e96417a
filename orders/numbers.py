"""Order IDs as people type them: pure functions, no ORM.

An order ID is 17 digits shown as 123-1234567-1234567. Sellers paste or type it without the
dashes (`97014464489377198`), with spaces, or only a part of it; search turns what was typed into
the fragments to look for in the stored, dashed IDs.
"""

import re

ORDER_NUMBER_DIGITS = 17
# The positions (in the 17 digits) that a dash precedes: 123-1234567-1234567.
DASH_BEFORE = frozenset({3, 10})
_DIGITS_SPACES_DASHES = re.compile(r"[\d\s-]+")


def _dashed(digits: str, *, start: int) -> str:
    """`digits` as they appear in a dashed ID when they begin at position `start`."""
    return "".join(
        f"-{digit}" if index and start + index in DASH_BEFORE else digit
        for index, digit in enumerate(digits)
    )


def order_number_fragments(query: str) -> tuple[str, ...]:
    """What to look for (case-insensitively, anywhere) in dashed order IDs for `query`.

    Digits typed with or without dashes and spaces may be the whole ID or any run of it: each
    place the run could begin in the 17 digits gives the run with the dashes where the ID has
    them (at most 17 fragments, fewer for longer runs; exactly one for all 17 digits). Anything
    else (letters, more than 17 digits) is looked for as typed; an empty query gives nothing.
    """
    text = query.strip()
    if not text:
        return ()
    digits = re.sub(r"\D", "", text)
    if not _DIGITS_SPACES_DASHES.fullmatch(text) or not digits or len(digits) > ORDER_NUMBER_DIGITS:
        return (text,)
    starts = range(ORDER_NUMBER_DIGITS - len(digits) + 1)
    return tuple(sorted({_dashed(digits, start=start) for start in starts}))


def order_number_digits(query: str) -> str | None:
    """The run of digits to look for in the 17 digits of order IDs (dashes left out), or None
    when `query` cannot be a part of an order ID.

    The same orders as `order_number_fragments`: digits typed with or without dashes and spaces,
    1 to 17 of them, are a run of the 17 digits wherever the dashes fall. Anything else (letters,
    more than 17 digits, nothing) can never be in an ID of the form 123-1234567-1234567.
    """
    text = query.strip()
    if text == "-":  # a lone dash is in every ID: nothing to narrow by
        return ""
    digits = re.sub(r"\D", "", text)
    if not digits or len(digits) > ORDER_NUMBER_DIGITS or not _DIGITS_SPACES_DASHES.fullmatch(text):
        return None
    return digits
