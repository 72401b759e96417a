"""Whole numbers from a query string or a form post, parsed by hand (a poll's change token, an
id, a count): within the bounds the caller can use, or None.

`int("9" * 30)` is a fine Python int, but it is out of range for a PostgreSQL bigint and for a
datetime; a page must get None here and answer in words, never a 500.
"""

# PostgreSQL's bigint, the widest integer column (ids are bigint).
BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1
# More digits than any bigint has: longer input is not parsed at all (int() of a huge string
# costs time quadratic in its length).
_MAX_DIGITS = 20


def int_param(
    value: str | None, *, minimum: int = BIGINT_MIN, maximum: int = BIGINT_MAX
) -> int | None:
    """`value` as an int when it is a whole number from `minimum` to `maximum` (signs and
    surrounding spaces allowed, as `int` reads them), else None (missing, empty, not a number,
    out of range)."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value.lstrip("+-")) > _MAX_DIGITS:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None
