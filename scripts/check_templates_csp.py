"""Fail on template markup that the Content Security Policy blocks (config/settings/base.py).

The policy allows scripts and styles only from our static files (`script-src 'self'`,
`style-src 'self'`), so a browser ignores inline code. djLint flags `style=` (H021) and
`javascript:` URLs (H019) but none of these:

  CSP001  an inline <script> body (a <script src=...> or a JSON data block is fine)
  CSP002  an on*= event handler attribute (onclick=, onsubmit=, ...)
  CSP003  hx-on (hx-on:click=, hx-on::after-request=, data-hx-on-...): htmx evaluates it as code
  CSP004  hx-vars, or hx-vals with "js:": htmx evaluates them as code
  CSP005  an inline <style> body

Usage: python scripts/check_templates_csp.py [PATH ...]   (default: templates/)
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Script types a browser does not run: data blocks, which the policy does not govern.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
EVENT_HANDLER = re.compile(r"on[a-z]+")
HX_ON = re.compile(r"(?:data-)?hx-on(?:[:-].*)?")
# A template tag right before an attribute sticks to its name (`{% if x %}onclick=` is read as
# the attribute `%}onclick`): the name is what follows the last template-tag character.
TEMPLATE_TAG_PREFIX = re.compile(r"^.*[{}%#]")


class _CspChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str, str]] = []
        self._inline: tuple[str, int] | None = None  # ("script" | "style", line) being read
        self._body: list[str] = []

    def _add(self, code: str, message: str, line: int | None = None) -> None:
        self.findings.append((line or self.getpos()[0], code, message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            name = TEMPLATE_TAG_PREFIX.sub("", name)
            if EVENT_HANDLER.fullmatch(name):
                self._add("CSP002", f"event handler attribute {name}=")
            elif HX_ON.fullmatch(name):
                self._add("CSP003", f"htmx {name}= runs inline code")
            elif name in ("hx-vars", "data-hx-vars") or (
                name in ("hx-vals", "data-hx-vals")
                and (value or "").lstrip().startswith(("js:", "javascript:"))
            ):
                self._add("CSP004", f"htmx {name}= evaluates code")
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            script_type = (attributes.get("type") or "").strip().lower()
            if script_type not in DATA_SCRIPT_TYPES:
                self._inline, self._body = ("script", self.getpos()[0]), []
        elif tag == "style":
            self._inline, self._body = ("style", self.getpos()[0]), []

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._inline is None or tag != self._inline[0]:
            return
        kind, line = self._inline
        if "".join(self._body).strip():
            if kind == "script":
                self._add("CSP001", "inline <script> code", line)
            else:
                self._add("CSP005", "inline <style> block", line)
        self._inline, self._body = None, []


def check_file(path: Path) -> list[tuple[int, str, str]]:
    checker = _CspChecker()
    checker.feed(path.read_text(encoding="utf-8"))
    checker.close()
    return sorted(checker.findings)


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or [Path("templates")]
    files = sorted(
        path for root in roots for path in ([root] if root.is_file() else root.rglob("*.html"))
    )
    count = 0
    for path in files:
        for line, code, message in check_file(path):
            print(f"{path}:{line}: {code} {message}")
            count += 1
    print(f"Checked {len(files)} templates, found {count} inline-code finding(s).")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
