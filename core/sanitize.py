"""R14: the one HTML sanitizer, used wherever HTML written by a user is shown, and its text form.

Pure functions: a string in, a string out. No ORM, no I/O.

`html_sanitize` keeps a strict allow-list of tags and attributes (bleach), drops `<script>`,
`<style>` and similar elements *with their content*, keeps only absolute http(s)/mailto links,
and makes every link open in a new tab without leaking the referrer. `html_to_text` renders
HTML as the plain-text body every message also carries (R14).

A generic building block (layer 1): it knows HTML, not messages. It owns every list of HTML
tags the project uses: what the sanitizer allows and drops, and how HTML reads as text (block,
cell, link, hidden and void elements), which `templates_app.content_rules` (R12) imports rather
than keeping lists of its own.
"""

import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import bleach

if TYPE_CHECKING:
    # bleach's documented base for filters is its vendored html5lib's; the type stubs
    # (types-bleach) describe it under html5lib's own name and do not re-export it.
    from html5lib.filters.base import Filter as _Html5libFilter

    Filter = _Html5libFilter[dict[str, Any]]
else:
    from bleach.html5lib_shim import Filter

# --- the tag vocabulary ---------------------------------------------------------------------

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote",
        "a", "img", "table", "thead", "tbody", "tr", "td", "th",
        "h1", "h2", "h3", "h4", "span", "div", "pre", "code", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
}
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
# Images only over https: a plain-http image is a tracking pixel anyone on the path can read,
# and mixed content on our pages (R12 asks the same of seller images).
IMAGE_PROTOCOLS: frozenset[str] = frozenset({"https"})
LINK_REL = "nofollow noopener noreferrer"
LINK_TARGET = "_blank"

# Elements removed together with everything inside them. With strip=True bleach removes a
# disallowed tag but keeps its text, so `<script>alert(1)</script>` would show "alert(1)".
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "title", "head", "template", "noscript", "noembed", "noframes",
        "iframe", "frame", "frameset", "object", "embed", "applet", "textarea", "select",
        "xmp", "svg", "math",
    }
)  # fmt: skip

# Void elements (WHATWG HTML, plus the obsolete <frame>): no content, no end tag.
VOID_TAGS: frozenset[str] = frozenset(
    {
        "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    }
)  # fmt: skip

# What a reader built on html.parser skips as invisible text: the elements dropped with their
# content, less the void ones (html.parser reports no end for `<embed>`, so waiting for one
# would hide the rest of the message) and less <head>, which html.parser never closes by itself
# where a browser (and html5lib, so the sanitizer) does: text after an unclosed <head> is
# shown. The <title>, <style> and <script> inside a <head> are skipped on their own.
HIDDEN_CONTENT_TAGS: frozenset[str] = DROPPED_WITH_CONTENT - VOID_TAGS - {"head"}

# Elements whose `href` is a link. Only <a> gets through the sanitizer, but a rule reading the
# HTML as sent (R12) must see an <area> link too.
LINK_TAGS: frozenset[str] = frozenset({"a", "area"})

# Block elements, which text never flows across: separated from their neighbours by a blank
# line in the text form, or by a single line break.
PARAGRAPH_TAGS: frozenset[str] = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
LINE_TAGS: frozenset[str] = frozenset(
    {
        "html", "body", "main", "div", "section", "article", "aside", "nav", "header", "footer",
        "address", "form", "fieldset", "li", "dl", "dt", "dd", "figure", "figcaption",
        "caption", "thead", "tbody", "tfoot", "tr",
    }
)  # fmt: skip
BLOCK_TAGS: frozenset[str] = PARAGRAPH_TAGS | LINE_TAGS
# Table cells: on one line, but their texts are separate words.
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
# Elements that show something other than text (a <br> run ends at one of them, R12).
EMBEDDED_CONTENT_TAGS: frozenset[str] = frozenset(
    {"img", "hr", "input", "video", "audio", "picture", "svg", "canvas"}
)

_START_TAGS = ("StartTag", "EmptyTag")


def _url_allowed(value: str, *, protocols: frozenset[str]) -> bool:
    """Only absolute URLs with an allowed scheme: bleach alone would keep relative ones."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in protocols:
        return False
    return scheme == "mailto" or bool(parts.netloc)


class _DropElementsFilter(Filter):
    """Removes DROPPED_WITH_CONTENT elements and all tokens between their start and end."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            name = token.get("name")
            if name in DROPPED_WITH_CONTENT:
                # The tree walker always emits balanced start/end tokens.
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth = max(depth - 1, 0)
                continue
            if depth == 0:
                yield token


class _LinkAndImageFilter(Filter):
    """Links: absolute http(s)/mailto only, plus rel/target. Images: absolute http(s) only."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in _START_TAGS and token["name"] == "a":
                attrs = dict(token["data"])
                href = attrs.get((None, "href"))
                if href is not None and _url_allowed(href, protocols=ALLOWED_PROTOCOLS):
                    attrs[(None, "rel")] = LINK_REL
                    attrs[(None, "target")] = LINK_TARGET
                else:
                    attrs.pop((None, "href"), None)
                token = {**token, "data": attrs}
            elif token["type"] in _START_TAGS and token["name"] == "img":
                src = token["data"].get((None, "src"))
                if src is None or not _url_allowed(src, protocols=IMAGE_PROTOCOLS):
                    continue  # an image without a usable source shows nothing
            yield token


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    # bleach's Cleaner keeps parser state, so one per thread.
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            # Dropped elements must get through the sanitizer as tags so the drop filter
            # can see where they end; none of them survives the filter.
            tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_DropElementsFilter, _LinkAndImageFilter],
        )
        _local.cleaner = cleaner
    return cleaner


def html_sanitize(html: str) -> str:
    """R14: the safe subset of `html`, fit to be marked safe in a template.

    Disallowed tags are stripped (their text kept); script/style-like elements are removed
    with their content; comments, `style` and `on*` attributes are dropped; links keep only
    absolute http, https or mailto URLs and get `rel="nofollow noopener noreferrer"` and
    `target="_blank"`; images keep only absolute http(s) sources.
    """
    if not html:
        return ""
    return _cleaner().clean(html)


# --- plain text ---------------------------------------------------------------------------

# Hand-written on html.parser, as no well-kept library renders the text body we need (each was
# tried on tests/core/test_sanitize.py):
# * inscriptis 2.7 (Apache-2.0): a <blockquote> is only indented, never quoted with "> "; list
#   items start "  * "; link targets come only as Markdown "[text](url)", also when the text is
#   the address itself; image alt text comes as "[alt]"; runs of empty paragraphs and <br> are
#   kept as blank lines. It also brings lxml and requests with it.
# * html-text 0.7 (MIT): no list markers, no quoting, no link targets, no image alt text, and
#   <pre> loses its line breaks and indentation.
# * BeautifulSoup's get_text(): no block elements at all (one separator between every string),
#   so the block handling below would be needed on top of it anyway.
# * html2text: GPL-3.0.

_HTML_WHITESPACE_RE = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


class _TextRenderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # One buffer per open <blockquote>, so its lines can be quoted with "> " at the end.
        self._buffers: list[list[str]] = [[]]
        self._links: list[tuple[str | None, int]] = []
        self._skip_depth = 0
        self._pre_depth = 0

    @property
    def _out(self) -> list[str]:
        return self._buffers[-1]

    def _ends_with_space_or_line(self) -> bool:
        for part in reversed(self._out):
            if part:
                return part[-1] in " \n"
        return True

    def _newline(self, count: int) -> None:
        """Ends the current line so that `count` line breaks separate it from what follows."""
        trailing = 0
        for part in reversed(self._out):
            stripped = part.rstrip("\n")
            trailing += len(part) - len(stripped)
            if stripped:
                break
        else:
            return  # nothing written yet: no leading blank lines
        if trailing < count:
            self._out.append("\n" * (count - trailing))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_CONTENT_TAGS:
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag == "br":
            self._out.append("\n")  # unlike block edges, consecutive <br>s add up
        elif tag in PARAGRAPH_TAGS:
            self._newline(2)
        elif tag in LINE_TAGS:
            self._newline(1)
        elif tag in CELL_TAGS and not self._ends_with_space_or_line():
            self._out.append("\t")
        if tag == "pre":
            self._pre_depth += 1
        elif tag == "li":
            self._out.append("- ")
        elif tag == "blockquote":
            self._buffers.append([])
        elif tag == "a":
            self._links.append((dict(attrs).get("href"), len(self._out)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.handle_data(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_CONTENT_TAGS:
            self._skip_depth = max(self._skip_depth - 1, 0)
            return
        if self._skip_depth:
            return
        if tag == "pre":
            self._pre_depth = max(self._pre_depth - 1, 0)
        elif tag == "blockquote" and len(self._buffers) > 1:
            quoted = _tidy("".join(self._buffers.pop()))
            lines = [f"> {line}" if line else ">" for line in quoted.split("\n")]
            self._newline(2)
            self._out.append("\n".join(lines))
            self._newline(2)
            return
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            self._append_link_target(href, start)
        if tag in PARAGRAPH_TAGS:
            self._newline(2)
        elif tag in LINE_TAGS:
            self._newline(1)

    def _append_link_target(self, href: str | None, start: int) -> None:
        if not href:
            return
        target = href.strip()
        if target.lower().startswith("mailto:"):
            target = target[len("mailto:") :].split("?", 1)[0]
        label = "".join(self._out[start:])
        if target and target not in label:
            self._out.append(f" ({target})")

    def handle_data(self, data: str) -> None:
        if self._skip_depth or not data:
            return
        if self._pre_depth:
            self._out.append(data)
            return
        data = _HTML_WHITESPACE_RE.sub(" ", data)
        if self._ends_with_space_or_line():
            data = data.lstrip(" ")
        self._out.append(data)

    def text(self) -> str:
        while len(self._buffers) > 1:  # unclosed <blockquote>
            self.handle_endtag("blockquote")
        return _tidy("".join(self._out))


def html_to_text(html: str) -> str:
    """R14: a plain-text rendering of (sanitized) HTML, for the text body of a message.

    Block elements and `<br>` become line breaks, list items start with "- ", quoted blocks
    are prefixed with "> ", link targets follow the link text in parentheses, tags are removed
    and entities unescaped; runs of blank lines are collapsed to one and the result stripped.
    Script/style-like elements are skipped, so unsanitized HTML does not leak code either.
    """
    if not html:
        return ""
    renderer = _TextRenderer()
    renderer.feed(html)
    renderer.close()
    return renderer.text()
