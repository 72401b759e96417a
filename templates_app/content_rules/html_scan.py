"""R12 in an HTML body: links in `<a>`/`<area>` hrefs, images (https and alt text), runs of
`<br>`, and the visible text, judged as plain text with each finding pointed back at its HTML."""

import html as html_lib
import re
from html.parser import HTMLParser

from core.sanitize import (
    BLOCK_TAGS,
    CELL_TAGS,
    EMBEDDED_CONTENT_TAGS,
    HIDDEN_CONTENT_TAGS,
    LINK_TAGS,
)
from templates_app.content_rules.plain_text import visible_text_hits
from templates_app.content_rules.violations import (
    IMAGE_NO_ALT_MSG,
    IMAGE_NO_SRC_MSG,
    IMAGE_NOT_HTTPS_MSG,
    KIND_IMAGE,
    KIND_LINE_BREAKS,
    KIND_LINK,
    LINK_MSG,
    MAX_LINE_BREAKS,
    SOURCE_HTML,
    ContentViolation,
    display_excerpt,
    line_breaks_message,
)

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
        if self._br_count > MAX_LINE_BREAKS:
            visible = "".join(self.visible)
            message = line_breaks_message(visible, self._br_visible_index)
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
            LINK_MSG.format(excerpt=display_excerpt(href or raw)),
        )

    def _check_image(
        self, attrs: list[tuple[str, str | None]], start: int, end: int, tag_text: str
    ) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, (value or "").strip())
        src = values.get("src", "")
        srcset = [part.split()[0] for part in values.get("srcset", "").split(",") if part.split()]
        shown = display_excerpt(src or tag_text)
        if not src:
            self._violation(KIND_IMAGE, start, end, IMAGE_NO_SRC_MSG.format(excerpt=shown))
        else:
            insecure = [url for url in [src, *srcset] if not url.lower().startswith("https://")]
            if insecure:
                message = IMAGE_NOT_HTTPS_MSG.format(excerpt=display_excerpt(insecure[0]))
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


def html_violations(
    source: str, allowed: frozenset[str], phrases: re.Pattern[str] | None
) -> list[ContentViolation]:
    scanner = _HtmlScanner(source, allowed)
    scanner.feed(source)
    scanner.finish()
    visible = "".join(scanner.visible)
    violations = scanner.violations
    for kind, start, end, template in visible_text_hits(visible, allowed, phrases):
        html_start, html_end = scanner.spans[start][0], scanner.spans[end - 1][1]
        violations.append(
            ContentViolation(
                kind=kind,
                excerpt=visible[start:end],
                start=html_start,
                end=html_end,
                message=template.format(excerpt=display_excerpt(visible[start:end])),
                source=SOURCE_HTML,
            )
        )
    return violations
