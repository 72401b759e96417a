"""R1: anonymized addresses. Pure functions; the relationship service stores what they make."""

import secrets
import string

ALIAS_ALPHABET = string.ascii_lowercase + string.digits


def alias_random_length(*, domain: str, total_length: int) -> int:
    """How many random characters fit before '@domain' in an alias of `total_length`."""
    return total_length - len(domain) - 1


def alias_generate(*, domain: str, total_length: int) -> str:
    """A fresh alias: random lowercase letters and digits, '@', the alias domain."""
    length = alias_random_length(domain=domain, total_length=total_length)
    if length < 1:
        raise ValueError(f"Alias domain {domain!r} leaves no room for a local part.")
    local = "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(length))
    return f"{local}@{domain}"


def alias_may_contain(text: str, *, domain: str) -> bool:
    """Whether an alias in `domain` can contain `text` (case-insensitively): an alias is made
    of ALIAS_ALPHABET, '@' and the domain, so text with any other character (an order ID typed
    with its dashes, words with a space) is in no alias."""
    return set(text.lower()) <= set(ALIAS_ALPHABET) | set("@" + domain.lower())
