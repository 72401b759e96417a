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

By subject: `violations` (what a problem is and its words), `plain_text` (the finders in
plain text, and the default marketing phrases), `html_scan` (an HTML body), `checks`
(`content_violations` and `refuse_content`, which callers use). Their public names are
importable from here.
"""

from templates_app.content_rules.checks import (
    IN_SUBJECT_MSG,
    MORE_PROBLEMS_MSG,
    content_violations,
    refuse_content,
)
from templates_app.content_rules.plain_text import (
    DEFAULT_MARKETING_PHRASES,
    KNOWN_TLDS,
)
from templates_app.content_rules.violations import (
    EMAIL_MSG,
    EMOJI_MSG,
    IMAGE_NO_ALT_MSG,
    IMAGE_NO_SRC_MSG,
    IMAGE_NOT_HTTPS_MSG,
    KIND_EMOJI,
    KIND_IMAGE,
    KIND_LINE_BREAKS,
    KIND_LINK,
    KIND_MARKETING,
    LINE_BREAKS_AT_START_MSG,
    LINE_BREAKS_MSG,
    LINK_MSG,
    MARKETING_MSG,
    RULE,
    SOURCE_HTML,
    SOURCE_TEXT,
    ContentViolation,
)

__all__ = [
    "ContentViolation",
    "DEFAULT_MARKETING_PHRASES",
    "EMAIL_MSG",
    "EMOJI_MSG",
    "IMAGE_NOT_HTTPS_MSG",
    "IMAGE_NO_ALT_MSG",
    "IMAGE_NO_SRC_MSG",
    "IN_SUBJECT_MSG",
    "KIND_EMOJI",
    "KIND_IMAGE",
    "KIND_LINE_BREAKS",
    "KIND_LINK",
    "KIND_MARKETING",
    "KNOWN_TLDS",
    "LINE_BREAKS_AT_START_MSG",
    "LINE_BREAKS_MSG",
    "LINK_MSG",
    "MARKETING_MSG",
    "MORE_PROBLEMS_MSG",
    "RULE",
    "SOURCE_HTML",
    "SOURCE_TEXT",
    "content_violations",
    "refuse_content",
]
