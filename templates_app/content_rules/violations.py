"""R12: what a content problem is, how it reads, and the words of each kind of problem."""

from dataclasses import dataclass

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

_EXCERPT_MAX = 60
_CONTEXT_MAX = 40
# More than this many line breaks in a row is a problem.
MAX_LINE_BREAKS = 2


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


def display_excerpt(value: str) -> str:
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


def line_breaks_message(visible: str, index: int) -> str:
    context = _context_before(visible, index)
    if not context:
        return LINE_BREAKS_AT_START_MSG
    return LINE_BREAKS_MSG.format(excerpt=context)
