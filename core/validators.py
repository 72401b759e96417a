"""Validators model fields share, so the admin's forms and every ModelForm refuse the same
values the services would.

`validate_one_line`: a value that reaches an email header (a business name in From:, a
subject, a name) is one line without control characters. A CR or LF there made every email
to that seller's buyers fail (issue 22, finding 9); a tab or NUL has no business there either.
"""

import unicodedata

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS_MSG = (
    "Use one line of text: line breaks, tabs and other invisible control characters cannot "
    "be used here (it appears in the headers of emails)."
)
# Cc: control characters (CR, LF, tab, NUL...); Zl, Zp: the Unicode line and paragraph
# separators, which mail clients may also break lines at.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in value)


def validate_one_line(value: str) -> None:
    """Refuses a value with a line break or another control character."""
    if has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MSG, code="control_characters")
