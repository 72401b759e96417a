"""R12 in plain text (a text body, a subject, or the visible text of an HTML body): the links
and website addresses, emojis, runs of line breaks and marketing phrases it contains."""

import re
from functools import lru_cache

import emoji

from templates_app.content_rules.violations import (
    EMAIL_MSG,
    EMOJI_MSG,
    KIND_EMOJI,
    KIND_LINE_BREAKS,
    KIND_LINK,
    KIND_MARKETING,
    LINE_BREAKS_MSG,
    LINK_MSG,
    MARKETING_MSG,
    MAX_LINE_BREAKS,
    ContentViolation,
    display_excerpt,
    line_breaks_message,
)

DEFAULT_MARKETING_PHRASES: tuple[str, ...] = (
    "coupon",
    "coupons",
    "coupon code",
    "promo code",
    "promo codes",
    "promotional code",
    "discount code",
    "discount codes",
    "voucher code",
    "% off",
    "buy now",
    "shop now",
    "order now",
    "limited time offer",
    "limited time only",
    "free gift",
    "special offer",
    "special offers",
    "exclusive offer",
    "exclusive deal",
    "flash sale",
    "use code",
    "visit our store",
    "visit our shop",
    "check out our other products",
    "sale ends",
)


# --- links ----------------------------------------------------------------------------------

_GENERIC_TLDS: tuple[str, ...] = (
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "name", "pro", "mobi",
    "asia", "aero", "coop", "travel", "jobs", "museum", "app", "dev", "page", "shop", "store",
    "online", "site", "website", "xyz", "top", "club", "tech", "blog", "live", "link", "click",
    "email", "cloud", "space", "fun", "icu", "vip", "art", "news", "media", "agency", "digital",
    "solutions", "services", "company", "world", "global", "group", "life", "today", "network",
    "studio", "design", "market", "deals", "sale", "discount", "coupons", "bargains", "amazon",
    "google", "ltd", "llc", "inc", "gmbh", "berlin", "london", "nyc", "tokyo", "paris",
)  # fmt: skip
_COUNTRY_TLDS: tuple[str, ...] = (
    "ac", "ad", "ae", "af", "ag", "ai", "al", "am", "ao", "aq", "ar", "as", "at", "au", "aw",
    "ax", "az", "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bm", "bn", "bo", "br",
    "bs", "bt", "bw", "by", "bz", "ca", "cc", "cd", "cf", "cg", "ch", "ci", "ck", "cl", "cm",
    "cn", "co", "cr", "cu", "cv", "cw", "cx", "cy", "cz", "de", "dj", "dk", "dm", "do", "dz",
    "ec", "ee", "eg", "er", "es", "et", "eu", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gb",
    "gd", "ge", "gf", "gg", "gh", "gi", "gl", "gm", "gn", "gp", "gq", "gr", "gs", "gt", "gu",
    "gw", "gy", "hk", "hm", "hn", "hr", "ht", "hu", "id", "ie", "il", "im", "in", "io", "iq",
    "ir", "is", "it", "je", "jm", "jo", "jp", "ke", "kg", "kh", "ki", "km", "kn", "kp", "kr",
    "kw", "ky", "kz", "la", "lb", "lc", "li", "lk", "lr", "ls", "lt", "lu", "lv", "ly", "ma",
    "mc", "md", "me", "mg", "mh", "mk", "ml", "mm", "mn", "mo", "mp", "mq", "mr", "ms", "mt",
    "mu", "mv", "mw", "mx", "my", "mz", "na", "nc", "ne", "nf", "ng", "ni", "nl", "no", "np",
    "nr", "nu", "nz", "om", "pa", "pe", "pf", "pg", "ph", "pk", "pl", "pm", "pn", "pr", "ps",
    "pt", "pw", "py", "qa", "re", "ro", "rs", "ru", "rw", "sa", "sb", "sc", "sd", "se", "sg",
    "sh", "si", "sk", "sl", "sm", "sn", "so", "sr", "ss", "st", "su", "sv", "sx", "sy", "sz",
    "tc", "td", "tf", "tg", "th", "tj", "tk", "tl", "tm", "tn", "to", "tr", "tt", "tv", "tw",
    "tz", "ua", "ug", "uk", "us", "uy", "uz", "va", "vc", "ve", "vg", "vi", "vn", "vu", "wf",
    "ws", "ye", "yt", "za", "zm", "zw",
)  # fmt: skip
KNOWN_TLDS: frozenset[str] = frozenset(_GENERIC_TLDS + _COUNTRY_TLDS)
# TLDs too unlike a word to be a missed space after a full stop ("Shop.Com" is a domain).
_ALWAYS_DOMAIN_TLDS = frozenset({"com", "net", "org", "info", "biz", "edu", "gov"})

_TLD = "(?:" + "|".join(sorted(KNOWN_TLDS, key=lambda t: (-len(t), t))) + ")"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_URL_TAIL = r"[^\s<>\"'`]*"
_LINK_RE = re.compile(
    rf"""
    (?P<url>(?<![\w+.-])[a-z][a-z0-9+.-]{{1,20}}://{_URL_TAIL})
    | (?P<www>(?<![\w.-])www\.(?=[^\W\d_]){_URL_TAIL})
    | (?P<email>(?<![\w.+%-])[\w.+%-]+@(?:{_LABEL}\.)+{_TLD}(?![\w-]))
    | (?P<domain>(?<![\w-])(?<!\w\.)(?P<labels>(?:{_LABEL}\.)+)(?P<tld>{_TLD})(?![\w-])
        (?P<rest>(?::\d{{1,5}})?(?:[/?#]{_URL_TAIL})?))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_PUNCTUATION = ".,;:!?'\")]}>"


def _trim_url(start: int, url: str) -> tuple[int, int]:
    """A URL's span without the sentence punctuation that follows it (keeps balanced ')')."""
    end = len(url)
    while end and url[end - 1] in _TRAILING_PUNCTUATION:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return start, start + end


def _is_missed_space(match: re.Match[str]) -> bool:
    """`Thanks.It works`: a capitalised word after a full stop, not a two-label domain."""
    tld = match.group("tld")
    return (
        match.group("labels").count(".") == 1
        and not match.group("rest")
        and tld[0].isupper()
        and tld[1:].islower()
        and tld.lower() not in _ALWAYS_DOMAIN_TLDS
    )


def _email_hits(
    text: str, match: re.Match[str], allowed: frozenset[str]
) -> list[tuple[int, int, str]]:
    """An email address unless it is one of `allowed`; `alias@….com.Thanks` keeps the alias."""
    local, _, domain = match.group().partition("@")
    labels = domain.split(".")
    for count in range(len(labels), 1, -1):
        candidate = f"{local}@{'.'.join(labels[:count])}"
        if candidate.casefold() in allowed:
            # Whatever follows the allowed alias (".Thanks", ".evil.com") is judged on its own.
            rest_start = match.start() + len(candidate) + 1
            rest = _link_hits(text[rest_start : match.end()], allowed)
            return [(start + rest_start, end + rest_start, msg) for start, end, msg in rest]
    if (
        len(labels) > 2
        and labels[-1][:1].isupper()
        and labels[-1][1:].islower()
        and labels[-1].lower() not in _ALWAYS_DOMAIN_TLDS
    ):
        end = match.end() - len(labels[-1]) - 1
    else:
        end = match.end()
    return [(match.start(), end, EMAIL_MSG)]


def _link_hits(text: str, allowed: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, message template) for each link, website address or foreign email."""
    hits: list[tuple[int, int, str]] = []
    for match in _LINK_RE.finditer(text):
        kind = match.lastgroup
        if kind == "email":
            hits.extend(_email_hits(text, match, allowed))
        elif kind == "domain" and _is_missed_space(match):
            continue
        else:
            hits.append((*_trim_url(match.start(), match.group()), LINK_MSG))
    return hits


# --- emojis ---------------------------------------------------------------------------------

# The emoji package also reports a text-default emoji standing alone ("unqualified": without
# the VS16 that asks for its emoji form). Those from the pictographic blocks (☺ ❤ ✔ ✈ ⚠ ㊗ 🅰
# …) are pictures and stay emoji; those from these blocks of ordinary symbols are text.
_TEXT_SYMBOL_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0080, 0x00FF),  # Latin-1 Supplement: © ®
    (0x2000, 0x206F),  # General Punctuation: ‼ ⁉
    (0x2100, 0x214F),  # Letterlike Symbols: ™ ℹ
    (0x2190, 0x21FF),  # Arrows: ↔ ↕ ↖ ↗ ↘ ↙ ↩ ↪
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: Ⓜ
    (0x25A0, 0x25FF),  # Geometric Shapes: ▪ ▫ ▶ ◀ ◻ ◼
    (0x2900, 0x297F),  # Supplemental Arrows-B: ⤴ ⤵
)
_UNQUALIFIED: int = emoji.STATUS["unqualified"]
_VS16 = "\ufe0f"


def _is_text_symbol(found: str) -> bool:
    """A lone text-default emoji from a block of ordinary symbols, such as © ® ™ or ↔."""
    if len(found) != 1 or emoji.EMOJI_DATA.get(found, {}).get("status") != _UNQUALIFIED:
        return False
    code = ord(found)
    return any(first <= code <= last for first, last in _TEXT_SYMBOL_BLOCKS)


def _emoji_hits(text: str) -> list[tuple[int, int, str]]:
    hits: list[tuple[int, int, str]] = []
    for found in emoji.emoji_list(text):
        if _is_text_symbol(found["emoji"]):
            continue
        start, end = found["match_start"], found["match_end"]
        if text.startswith(_VS16, end):  # "⌚\ufe0f": the selector is part of what to remove
            end += 1
        hits.append((start, end, EMOJI_MSG))
    return hits


# --- line breaks ----------------------------------------------------------------------------

# Atomic, so that "\r\n" is never re-read as "\r" + "\n" to make up a third break.
_BREAK = "(?>\r\n|[\r\n\u2028\u2029])"
_BLANK = "[^\\S\r\n\u2028\u2029]"
_LINE_BREAK_RUN_RE = re.compile(f"{_BREAK}(?:{_BLANK}*{_BREAK}){{{MAX_LINE_BREAKS},}}")


def _line_break_hits(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), LINE_BREAKS_MSG) for m in _LINE_BREAK_RUN_RE.finditer(text)]


# --- marketing phrases ----------------------------------------------------------------------


@lru_cache(maxsize=32)
def marketing_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = phrase.split()
        if not words:
            continue
        pattern = r"[\s\-‐‑–—]+".join(re.escape(word) for word in words)
        if re.match(r"\w", words[0]):
            pattern = rf"(?<!\w){pattern}"
        if re.search(r"\w$", words[-1]):
            pattern = rf"{pattern}(?!\w)"
        patterns.append(pattern)
    if not patterns:
        return None
    return re.compile("|".join(patterns), re.IGNORECASE)


def _marketing_hits(
    text: str, pattern: re.Pattern[str] | None, links: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    if pattern is None:
        return []
    hits = []
    for match in pattern.finditer(text):
        # "https://x.io/coupon" is already refused as a link; one problem, one message.
        if any(start < match.end() and match.start() < end for start, end, _ in links):
            continue
        hits.append((match.start(), match.end(), MARKETING_MSG))
    return hits


# --- every problem of a plain text ---------------------------------------------------------


def visible_text_hits(
    text: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, message template) for links, emojis and marketing phrases."""
    links = _link_hits(text, allowed)
    hits = [(KIND_LINK, *hit) for hit in links]
    hits += [(KIND_EMOJI, *hit) for hit in _emoji_hits(text)]
    hits += [(KIND_MARKETING, *hit) for hit in _marketing_hits(text, phrases, links)]
    return hits


def text_violations(
    text: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[ContentViolation]:
    violations = [
        ContentViolation(
            kind=kind,
            excerpt=text[start:end],
            start=start,
            end=end,
            message=template.format(excerpt=display_excerpt(text[start:end])),
        )
        for kind, start, end, template in visible_text_hits(text, allowed, phrases)
    ]
    violations += [
        ContentViolation(
            kind=KIND_LINE_BREAKS,
            excerpt=text[start:end],
            start=start,
            end=end,
            message=line_breaks_message(text, start),
        )
        for start, end, _ in _line_break_hits(text)
    ]
    return violations
