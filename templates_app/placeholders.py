"""R23 placeholders in template texts, as pure functions: strings in, text or a refusal out.

A placeholder is a name in braces, `{order_number}`. Five exist; they are filled from the case
and order a template is inserted for:

* `{buyer_name}`: the order's ship-to name;
* `{order_number}`: the order ID (123-1234567-1234567);
* `{business_name}`: the seller's business name;
* `{product_name}`: the product the case is about, else the order's products;
* `{adjustment_reason}`: the reason the seller canceled the order for, in the words of the
  language the text is filled in (only once it is canceled in Manage Orders).

Any other name in braces (`{buyer}`, `{tracking}`) is an unknown placeholder: refused when a
template is saved, never filled and never sent literally. Braces around anything that is not a
name (`{size M}`, `{}`) are ordinary text. An "Ask a question" case without an order has no
order values, so a template using them cannot be filled there: that is refused before sending.
"""

import re
from collections.abc import Mapping

from core.refusals import Refusal

RULE = "R23"

PLACEHOLDERS: dict[str, str] = {
    "buyer_name": "the buyer's name (the order's ship-to name)",
    "order_number": "the order ID",
    "business_name": "your business name",
    "product_name": "the product's name",
    # R28: only on an order the seller canceled with a reason (Problem with Order).
    "adjustment_reason": "the reason you canceled the order for",
}
PLACEHOLDER_RE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")

UNKNOWN_PLACEHOLDER_MSG = "“{excerpt}” is not a placeholder. Use {known}, or remove the braces."
UNFILLABLE_MSG = (
    "{why}, so {names} cannot be filled in. Remove {them} from the text, or choose another "
    "template."
)
UNFILLED_MSG = (
    "Replace {names} with {what} before you send: placeholders are filled in only when you "
    "insert a template."
)


def _names(names: list[str]) -> str:
    """`{a}`, `{a} and {b}`, `{a}, {b} and {c}`."""
    shown = [f"{{{name}}}" for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


KNOWN_LIST = _names(list(PLACEHOLDERS))


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, each once, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in PLACEHOLDER_RE.finditer(text)))


def refuse_unknown_placeholders(text: str) -> Refusal | None:
    """R23: every name in braces must be one of PLACEHOLDERS (checked when a template is
    saved, and again when it is filled)."""
    for match in PLACEHOLDER_RE.finditer(text):
        if match.group(1) not in PLACEHOLDERS:
            return Refusal(
                rule=RULE,
                message=UNKNOWN_PLACEHOLDER_MSG.format(excerpt=match.group(0), known=KNOWN_LIST),
            )
    return None


def fill_placeholders(
    text: str, values: Mapping[str, str | None], *, why_missing: str = ""
) -> tuple[str, Refusal | None]:
    """The text with its placeholders filled in, or a refusal: an unknown placeholder, or one
    whose value is None here (`why_missing` says why, e.g. "This question has no order")."""
    refusal = refuse_unknown_placeholders(text)
    if refusal is not None:
        return text, refusal
    missing = [name for name in placeholders_in(text) if values.get(name) is None]
    if missing:
        message = UNFILLABLE_MSG.format(
            why=why_missing or "This case has no value for them",
            names=_names(missing),
            them="it" if len(missing) == 1 else "them",
        )
        return text, Refusal(rule=RULE, message=message)

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)] or ""

    return PLACEHOLDER_RE.sub(value, text), None


def refuse_unfilled_placeholders(text: str) -> Refusal | None:
    """R23: a message started from a template goes out with no placeholder left in it (the
    seller may have typed one after inserting the template); it is never sent literally."""
    names = placeholders_in(text)
    if not names:
        return None
    known = [name for name in names if name in PLACEHOLDERS]
    what = " and ".join(PLACEHOLDERS[name] for name in known) if known else "the words you mean"
    return Refusal(
        rule=RULE,
        message=UNFILLED_MSG.format(names=_names(names), what=what),
    )
