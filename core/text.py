"""Text that must fit a column or a header line: one line, at most so many characters.

Pure functions: a string in, a string out. A database column counts characters (code points),
as `len` does, so a cut here never splits a character; it also never splits a letter from the
accents that follow it, and it prefers the last word boundary that fits.
"""

import unicodedata

ELLIPSIS = "…"
# A cut at a word boundary may give up at most this share of the room; past it (one very long
# word, a URL) the text is cut inside the word instead.
_WORD_CUT_MAX_LOSS = 0.3
# Cc: control characters (CR, LF, NUL, tab...); Cs: lone surrogates, which PostgreSQL cannot store.
_LINE_BREAKING_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def text_one_line(text: str) -> str:
    """`text` as one line: control characters and line separators become spaces, runs of
    whitespace one space, no space at either end."""
    spaced = "".join(
        " " if unicodedata.category(ch) in _LINE_BREAKING_CATEGORIES else ch for ch in text
    )
    return " ".join(spaced.split())


def text_fit(text: str, max_length: int) -> str:
    """`text` on one line (`text_one_line`) and at most `max_length` characters. A longer text
    is cut, at the last word boundary when one is near enough, and ends with "…"."""
    text = text_one_line(text)
    if len(text) <= max_length:
        return text
    if max_length <= len(ELLIPSIS):
        return text[:max_length]
    room = max_length - len(ELLIPSIS)
    cut = text.rfind(" ", 0, room + 1)
    if cut < room * (1 - _WORD_CUT_MAX_LOSS):
        cut = room
        # Never leave a letter without the accents (combining marks) that follow it.
        while cut > 0 and unicodedata.combining(text[cut]):
            cut -= 1
    kept = text[:cut].rstrip(" ,;:-–—([{")
    return f"{kept}{ELLIPSIS}" if kept else text[:room] + ELLIPSIS
