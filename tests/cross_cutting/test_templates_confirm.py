"""Every `data-confirm` in the templates asks before acting (issue 8, item 1).

static/js/app.js asks for confirmation on the `submit` event: a question on the form, or on the
submit button that submits it. Anywhere else (a link, a plain button, a div) the attribute would
do nothing and the action would happen at once, as Close once did. So every element carrying it
must be a <form>, or a submit button inside a form (or naming one with form="…"). The browser
test tests/browser/test_confirm_and_history.py clicks the real Close button.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
APP_JS = ROOT / "static" / "js" / "app.js"

_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.S)
_VARIABLE = re.compile(r"{{.*?}}", re.S)


def _markup(path: Path) -> str:
    """The template as HTML: comments dropped, tags removed, variables as plain text."""
    text = _COMMENT_BLOCK.sub("", path.read_text(encoding="utf-8"))
    return _VARIABLE.sub("x", _TAG.sub("", text))


class _ConfirmFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form_depth = 0
        self.found: list[tuple[int, str, str]] = []  # (line, problem or "", question)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.form_depth += 1
        if "data-confirm" not in values:
            return
        line = self.getpos()[0]
        question = values["data-confirm"].strip()
        problem = ""
        if not question:
            problem = "an empty question"
        elif tag == "form":
            pass
        elif tag in ("button", "input"):
            kind = values.get("type", "submit" if tag == "button" else "text").lower()
            if kind != "submit":
                problem = f'a <{tag} type="{kind}">: only submit buttons submit a form'
            elif not self.form_depth and "form" not in values:
                problem = f"a <{tag}> outside any form"
        else:
            problem = f"a <{tag}>: app.js asks only on forms and their submit buttons"
        self.found.append((line, problem, question))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form_depth:
            self.form_depth -= 1


def _confirms() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        finder = _ConfirmFinder()
        finder.feed(_markup(path))
        finder.close()
        name = str(path.relative_to(TEMPLATES))
        found += [(name, line, problem, question) for line, problem, question in finder.found]
    return found


def test_the_close_button_is_among_the_confirms_found():
    found = {(name, question) for name, _, _, question in _confirms()}
    assert any(name == "messaging/case_detail.html" for name, _ in found)


@pytest.mark.parametrize(
    ("name", "line", "problem", "question"),
    _confirms(),
    ids=lambda value: value if isinstance(value, str) and value.endswith(".html") else "",
)
def test_r9_every_data_confirm_is_on_a_form_or_its_submit_button(name, line, problem, question):
    assert not problem, f"{name}:{line}: data-confirm={question!r} is on {problem}"


def test_app_js_asks_on_submit_for_forms_and_submit_buttons():
    script = APP_JS.read_text(encoding="utf-8")
    assert re.search(r'addEventListener\(\s*"submit"', script)
    assert "event.submitter" in script
    assert 'submitter.getAttribute("data-confirm")' in script
    assert 'form.getAttribute("data-confirm")' in script


def test_the_finder_refuses_a_confirm_a_click_would_bypass():
    finder = _ConfirmFinder()
    finder.feed(
        '<a href="/x" data-confirm="Go?">Go</a>'
        '<button type="button" data-confirm="Sure?">B</button>'
        '<button data-confirm="Outside?">C</button>'
        '<form><button data-confirm="Inside?">D</button></form>'
        '<form data-confirm="Form?"></form>'
    )
    problems = [problem for _, problem, _ in finder.found]
    assert problems[0].startswith("a <a>")
    assert "only submit buttons" in problems[1]
    assert "outside any form" in problems[2]
    assert problems[3:] == ["", ""]
