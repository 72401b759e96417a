"""R12 content rules for seller messages, as pure functions: strings in, violations out.

No ORM, no I/O. `messaging.policy.judge` applies `refuse_content` to every seller message (web
and email) with the parties' own aliases and the staff-edited marketing phrases, and
`templates_app.services` to every seller template when it is saved, so a template is refused
with the same words as a message; buyer messages are not filtered (only sanitized, R14).

R12 forbids, in seller messages:

* links and website addresses: `scheme://…`, `www.…`, bare domains (`shop.example.com`,
  `example.co.uk`, `amazon.de/path`), email addresses other than the parties' own aliases, and
  any `<a href>` (except `mailto:` one of those aliases);
* emojis (`#`, digits, `*`, ©, ®, ™, arrows and text smileys such as `:)` are ordinary text);
* images that are not served over https or have no alt text;
* more than two line breaks in a row;
* marketing and coupon phrases from a list staff can edit.

Decisions on the ambiguous cases:

* A bare domain is labels separated by dots ending in a known TLD: a list of common generic
  TLDs plus every two-letter country code. `e.g.`, `U.S.`, `No.5`, `v1.2`, `3.5mm`, `$19.99`,
  `Mr.Smith` and `Thanks.See` never qualify.
* A missing space after a full stop followed by a capitalised word (`Thanks.It works`,
  `order.Today we…`) is not a domain when the name has exactly two labels, no path or port, and
  a TLD other than .com/.net/.org/.info/.biz/.edu/.gov. Lowercase (`amazon.it`) is a domain.
* Internationalised labels count (`bücher.de`); the TLD itself must be ASCII.
* Emojis are what the `emoji` package (Unicode's emoji data) finds: emoji characters and
  sequences, flags, keycaps (`1️⃣`, `#️⃣`), ZWJ sequences and skin tones. A text-default emoji
  (one that has an emoji form only with VS16, U+FE0F) counts without VS16 too when it is a
  pictograph (☺ ♥ ❤ ✔ ⚠ ✈ ㊗ 🅰 …). Text-default symbols from the blocks of ordinary symbols
  stay text unless followed by VS16: © ® ™ ‼ ⁉ ℹ, arrows (↔ ↩ ⤴), Ⓜ, ▪ ▫ ▶ ◀ ◻ ◼. `#`, `*`
  and digits are emoji only as keycaps. Characters that are not emoji are text: ★ ☆ ✓ ♡ ← →,
  🄰, 🀀, and a VS16 after them changes nothing. A lone ZWJ (used by Indic and Arabic
  scripts) is text.
* Line breaks are `\\r\\n`, `\\r`, `\\n`, U+2028 and U+2029, each counting once; a line holding
  only spaces or tabs does not interrupt a run (`\\n  \\n \\n` is three in a row, and so is
  `\\n\\r\\n\\n`). In HTML, three or more `<br>` (or `</br>`) with no visible text or image
  between them are a run (`<p><br></p><p><br></p><p><br></p>` too); `&nbsp;` is blank.
* Marketing phrases match case-insensitively on word boundaries; a space in a phrase matches
  any run of spaces or hyphens (`limited time offer` also finds `limited-time offer`).
* HTML is checked for `<a>`/`<area>` hrefs, `<img>` (src and srcset), `<br>` runs and its
  visible text, where inline tags do not split words: `shop.<b>example</b>.com` is found.
  Text inside the elements the sanitizer removes with their content (script, style, template,
  svg, select…, R14) is never shown, so it is not judged; tags inside them still are. The tag
  lists come from `core.sanitize`, which owns them.
"""

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import emoji

from core.refusals import Refusal
from core.sanitize import (
    BLOCK_TAGS,
    CELL_TAGS,
    EMBEDDED_CONTENT_TAGS,
    HIDDEN_CONTENT_TAGS,
    LINK_TAGS,
)

RULE = "R12"

KIND_LINK = "link"
KIND_EMOJI = "emoji"
KIND_IMAGE = "image"
KIND_LINE_BREAKS = "line_breaks"
KIND_MARKETING = "marketing"

SOURCE_TEXT = "text"
SOURCE_HTML = "html"

LINK_MSG = (
    "Remove the link “{excerpt}”: messages to buyers may not contain links or website addresses."
)
EMAIL_MSG = (
    "Remove the email address “{excerpt}”: messages to buyers may not contain email "
    "addresses other than the buyer's and your own message alias."
)
EMOJI_MSG = "Remove the emoji “{excerpt}”: messages to buyers may not contain emojis."
IMAGE_NOT_HTTPS_MSG = (
    "Use an https address for the image “{excerpt}”: images in messages to buyers must be "
    "served over https."
)
IMAGE_NO_SRC_MSG = (
    "Remove the image “{excerpt}” or give it an https address: images in messages to buyers "
    "must be served over https."
)
IMAGE_NO_ALT_MSG = (
    "Add alt text to the image “{excerpt}”: every image in a message to buyers needs a text "
    "description."
)
LINE_BREAKS_MSG = (
    "Remove the extra blank lines after “{excerpt}”: messages to buyers may not contain more "
    "than two line breaks in a row."
)
LINE_BREAKS_AT_START_MSG = (
    "Remove the blank lines at the start of the message: messages to buyers may not contain "
    "more than two line breaks in a row."
)
MARKETING_MSG = (
    "Remove “{excerpt}”: messages to buyers may not contain marketing or coupon language."
)
IN_SUBJECT_MSG = "In the subject: {problem}"
MORE_PROBLEMS_MSG = "…and {count} more like these."
# A refusal lists every problem; past this many, the rest are counted.
_MAX_PROBLEMS_LISTED = 12

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

_EXCERPT_MAX = 60
_CONTEXT_MAX = 40
_MAX_LINE_BREAKS = 2

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
_LINE_BREAK_RUN_RE = re.compile(f"{_BREAK}(?:{_BLANK}*{_BREAK}){{{_MAX_LINE_BREAKS},}}")


def _line_break_hits(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), LINE_BREAKS_MSG) for m in _LINE_BREAK_RUN_RE.finditer(text)]


# --- marketing phrases ----------------------------------------------------------------------


@lru_cache(maxsize=32)
def _marketing_re(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
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


# --- violations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentViolation:
    """One R12 problem in a seller message.

    `start`/`end` are offsets in the checked string named by `source` ("text" or "html").
    `excerpt` is the offending text: `text[start:end]` for the text body; for HTML, the raw
    href value, the raw `<img …>` tag or `<br>` run, or the visible (entity-decoded) text.
    """

    kind: str  # "link" | "emoji" | "image" | "line_breaks" | "marketing"
    excerpt: str
    start: int
    end: int
    message: str
    source: str = SOURCE_TEXT


def _display(value: str) -> str:
    """An excerpt as quoted in a message: whitespace collapsed, long ones shortened."""
    value = " ".join(value.split())
    if len(value) > _EXCERPT_MAX:
        return value[: _EXCERPT_MAX - 1] + "…"
    return value


def _context_before(text: str, index: int) -> str:
    """The visible words before `index`, for pointing at an invisible run of line breaks."""
    words = " ".join(text[:index].split())
    if len(words) > _CONTEXT_MAX:
        return "…" + words[-(_CONTEXT_MAX - 1) :].lstrip()
    return words


def _line_breaks_message(visible: str, index: int) -> str:
    context = _context_before(visible, index)
    if not context:
        return LINE_BREAKS_AT_START_MSG
    return LINE_BREAKS_MSG.format(excerpt=context)


def _visible_text_hits(
    text: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, message template) for links, emojis and marketing phrases."""
    links = _link_hits(text, allowed)
    hits = [(KIND_LINK, *hit) for hit in links]
    hits += [(KIND_EMOJI, *hit) for hit in _emoji_hits(text)]
    hits += [(KIND_MARKETING, *hit) for hit in _marketing_hits(text, phrases, links)]
    return hits


def _text_violations(
    text: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[ContentViolation]:
    violations = [
        ContentViolation(
            kind=kind,
            excerpt=text[start:end],
            start=start,
            end=end,
            message=template.format(excerpt=_display(text[start:end])),
        )
        for kind, start, end, template in _visible_text_hits(text, allowed, phrases)
    ]
    violations += [
        ContentViolation(
            kind=KIND_LINE_BREAKS,
            excerpt=text[start:end],
            start=start,
            end=end,
            message=_line_breaks_message(text, start),
        )
        for start, end, _ in _line_break_hits(text)
    ]
    return violations


# --- HTML -----------------------------------------------------------------------------------

# Elements that separate words: text on either side is not joined into one word.
_WORD_BREAK_TAGS = BLOCK_TAGS | CELL_TAGS | {"br", "img"}
_ATTRIBUTE_RE = re.compile(
    r"""(?P<name>[^\s/>"'=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?"""
)
_TAG_NAME_RE = re.compile(r"<[^\s/>]*")
_ENTITY_RE = re.compile(r"&(?:#[xX]?[0-9a-fA-F]*|[a-zA-Z][-.a-zA-Z0-9]*);?")
_END_TAG_RE = re.compile(r"</[^>]*>?")


def _attribute_span(tag_text: str, name: str) -> tuple[int, int] | None:
    """Where the raw value of attribute `name` sits in a start tag (first occurrence wins)."""
    name_end = _TAG_NAME_RE.match(tag_text)
    for match in _ATTRIBUTE_RE.finditer(tag_text, name_end.end() if name_end else 0):
        if match.group("name").lower() != name:
            continue
        for group in ("dq", "sq", "bare"):
            if match.group(group) is not None:
                return match.span(group)
        return match.span("name")
    return None


class _HtmlScanner(HTMLParser):
    """Collects R12 problems in tags and the visible text with its offsets into the HTML."""

    def __init__(self, source: str, allowed: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.allowed = allowed
        self.violations: list[ContentViolation] = []
        self.visible: list[str] = []
        # For each visible character, the span of the HTML it came from.
        self.spans: list[tuple[int, int]] = []
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self._hidden_depth = 0
        self._br_count = 0
        self._br_start = 0
        self._br_end = 0
        self._br_visible_index = 0

    # Positions

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add_visible(self, chars: str, start: int, end: int | None = None) -> None:
        for i, char in enumerate(chars):
            self.visible.append(char)
            self.spans.append((start + i, start + i + 1) if end is None else (start, end))

    def _violation(self, kind: str, start: int, end: int, message: str) -> None:
        self.violations.append(
            ContentViolation(
                kind=kind,
                excerpt=self.source[start:end],
                start=start,
                end=end,
                message=message,
                source=SOURCE_HTML,
            )
        )

    # Runs of <br>

    def _br(self, start: int, end: int) -> None:
        if self._br_count == 0:
            self._br_start = start
            self._br_visible_index = len(self.visible)
        self._br_count += 1
        self._br_end = end

    def _end_br_run(self) -> None:
        if self._br_count > _MAX_LINE_BREAKS:
            visible = "".join(self.visible)
            message = _line_breaks_message(visible, self._br_visible_index)
            self._violation(KIND_LINE_BREAKS, self._br_start, self._br_end, message)
        self._br_count = 0

    # Tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        tag_text = self.get_starttag_text() or ""
        end = start + len(tag_text)
        if tag in HIDDEN_CONTENT_TAGS:
            self._hidden_depth += 1
        if tag in LINK_TAGS:
            self._check_link(attrs, start, tag_text)
        if tag == "img":
            self._check_image(attrs, start, end, tag_text)
        if tag == "br":
            self._br(start, end)
        elif tag in EMBEDDED_CONTENT_TAGS:
            self._end_br_run()
        if tag in _WORD_BREAK_TAGS:
            self._add_visible("\n", start, end)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<br/>` is one break: the default would also call handle_endtag("br").
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN_CONTENT_TAGS:
            self._hidden_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        match = _END_TAG_RE.match(self.source, start)
        end = match.end() if match else start
        if tag in HIDDEN_CONTENT_TAGS and self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "br":  # browsers render a stray </br> as <br>
            self._br(start, end)
        if tag in _WORD_BREAK_TAGS:
            self._add_visible("\n", start, end)

    def _check_link(self, attrs: list[tuple[str, str | None]], start: int, tag_text: str) -> None:
        hrefs = [value for name, value in attrs if name == "href"]
        if not hrefs:
            return
        href = (hrefs[0] or "").strip()
        scheme, _, address = href.partition(":")
        if scheme.lower() == "mailto" and address.casefold() in self.allowed:
            return
        span = _attribute_span(tag_text, "href") or (0, len(tag_text))
        raw = tag_text[span[0] : span[1]]
        self._violation(
            KIND_LINK,
            start + span[0],
            start + span[1],
            LINK_MSG.format(excerpt=_display(href or raw)),
        )

    def _check_image(
        self, attrs: list[tuple[str, str | None]], start: int, end: int, tag_text: str
    ) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, (value or "").strip())
        src = values.get("src", "")
        srcset = [part.split()[0] for part in values.get("srcset", "").split(",") if part.split()]
        shown = _display(src or tag_text)
        if not src:
            self._violation(KIND_IMAGE, start, end, IMAGE_NO_SRC_MSG.format(excerpt=shown))
        else:
            insecure = [url for url in [src, *srcset] if not url.lower().startswith("https://")]
            if insecure:
                message = IMAGE_NOT_HTTPS_MSG.format(excerpt=_display(insecure[0]))
                self._violation(KIND_IMAGE, start, end, message)
        if not values.get("alt"):
            self._violation(KIND_IMAGE, start, end, IMAGE_NO_ALT_MSG.format(excerpt=shown))

    # Text

    def handle_data(self, data: str) -> None:
        if self._hidden_depth or self.cdata_elem:
            return
        if data.strip():
            self._end_br_run()
        self._add_visible(data, self._offset())

    def _handle_reference(self) -> None:
        start = self._offset()
        match = _ENTITY_RE.match(self.source, start)
        end = match.end() if match else start + 1
        decoded = html_lib.unescape(self.source[start:end])
        if self._hidden_depth or self.cdata_elem:
            return
        if decoded.strip():
            self._end_br_run()
        self._add_visible(decoded, start, end)

    def handle_entityref(self, name: str) -> None:
        self._handle_reference()

    def handle_charref(self, name: str) -> None:
        self._handle_reference()

    def finish(self) -> None:
        self.close()
        self._end_br_run()


def _html_violations(
    source: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[ContentViolation]:
    scanner = _HtmlScanner(source, allowed)
    scanner.feed(source)
    scanner.finish()
    visible = "".join(scanner.visible)
    violations = scanner.violations
    for kind, start, end, template in _visible_text_hits(visible, allowed, phrases):
        html_start, html_end = scanner.spans[start][0], scanner.spans[end - 1][1]
        violations.append(
            ContentViolation(
                kind=kind,
                excerpt=visible[start:end],
                start=html_start,
                end=html_end,
                message=template.format(excerpt=_display(visible[start:end])),
                source=SOURCE_HTML,
            )
        )
    return violations


# --- public API -----------------------------------------------------------------------------


def content_violations(
    *,
    text: str,
    html: str = "",
    allowed_addresses: Iterable[str] = (),
    marketing_phrases: Iterable[str] | None = None,
) -> list[ContentViolation]:
    """Every R12 problem in a seller message: the text body's first, then the HTML body's,
    each in order of position.

    `allowed_addresses` are the parties' own aliases (compared case-insensitively).
    `marketing_phrases` defaults to `DEFAULT_MARKETING_PHRASES` when None; an empty iterable
    turns the phrase check off.
    """
    allowed = frozenset(a.strip().casefold() for a in allowed_addresses if a and a.strip())
    if marketing_phrases is None:
        marketing_phrases = DEFAULT_MARKETING_PHRASES
    phrases = _marketing_re(tuple(p.strip() for p in marketing_phrases if p and p.strip()))

    def order(violation: ContentViolation) -> tuple[int, int]:
        return violation.start, violation.end

    violations = sorted(_text_violations(text or "", allowed, phrases), key=order)
    if html:
        violations += sorted(_html_violations(html, allowed, phrases), key=order)
    return violations


def _problems(violations: list[ContentViolation]) -> list[str]:
    """Each distinct problem once: the same link in the text and the HTML body (or twice in one
    body) is one problem to fix."""
    seen: set[tuple[str, str]] = set()
    problems = []
    for violation in violations:
        key = (violation.kind, violation.excerpt.casefold())
        if key not in seen:
            seen.add(key)
            problems.append(violation.message)
    return problems


def refuse_content(
    *,
    text: str,
    html: str = "",
    subject: str = "",
    allowed_addresses: Iterable[str] = (),
    marketing_phrases: Iterable[str] | None = None,
) -> Refusal | None:
    """R12: refuse a seller message naming every content problem at once, each pointing at its
    text (the subject's first, marked as such, then the body's), so the sender can fix them all
    before trying again. `message` holds them all, for channels that show one text (email
    bounces); `problems` lists them one by one, for pages.
    """
    problems = [
        IN_SUBJECT_MSG.format(problem=problem)
        for problem in _problems(
            content_violations(
                text=subject,
                allowed_addresses=allowed_addresses,
                marketing_phrases=marketing_phrases,
            )
        )
    ]
    problems += _problems(
        content_violations(
            text=text,
            html=html,
            allowed_addresses=allowed_addresses,
            marketing_phrases=marketing_phrases,
        )
    )
    if not problems:
        return None
    if len(problems) > _MAX_PROBLEMS_LISTED:
        rest = len(problems) - _MAX_PROBLEMS_LISTED
        problems = [*problems[:_MAX_PROBLEMS_LISTED], MORE_PROBLEMS_MSG.format(count=rest)]
    return Refusal(rule=RULE, message=" ".join(problems), problems=tuple(problems))
