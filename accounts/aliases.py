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
