"""scripts/check_templates_csp.py: `make lint` fails on template code the CSP would block."""

import runpy
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_templates_csp.py"
csp = runpy.run_path(str(SCRIPT))  # its functions by name; `main` does not run


def codes(tmp_path: Path, html: str) -> list[str]:
    template = tmp_path / "page.html"
    template.write_text(html, encoding="utf-8")
    return [code for _, code, _ in csp["check_file"](template)]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>", ["CSP001"]),
        ('<button onclick="go()">Go</button>', ["CSP002"]),
        ('<form {% if x %}onsubmit="go()"{% endif %}></form>', ["CSP002"]),
        ('<div hx-on:click="go()"></div>', ["CSP003"]),
        ('<div hx-on::after-request="this.reset()"></div>', ["CSP003"]),
        ('<div data-hx-on-click="go()"></div>', ["CSP003"]),
        ("<div hx-vals='js:{a: 1}'></div>", ["CSP004"]),
        ("<style>p { color: red }</style>", ["CSP005"]),
    ],
)
def test_inline_code_is_found(tmp_path: Path, html: str, expected: list[str]) -> None:
    assert codes(tmp_path, html) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<script src=\"{% static 'js/app.js' %}\" defer></script>",
        '<script type="application/json" id="data">{"a": 1}</script>',
        '<button data-confirm="Close?" data-confirm-button="Close">Close</button>',
        '<div hx-vals=\'{"a": 1}\' hx-post="/x/"></div>',
        "<p>Turn notifications on= or off.</p>",
    ],
)
def test_external_code_and_data_pass(tmp_path: Path, html: str) -> None:
    assert codes(tmp_path, html) == []


def test_exit_status(tmp_path: Path) -> None:
    (tmp_path / "ok.html").write_text("<p>fine</p>", encoding="utf-8")
    assert csp["main"]([str(tmp_path)]) == 0
    (tmp_path / "bad.html").write_text('<a onclick="x()">x</a>', encoding="utf-8")
    assert csp["main"]([str(tmp_path)]) == 1
