"""Issue 22: what the generated fuzz test (test_fuzz_inputs.py) finds to send, and the values.

Pages and roles come from the authorization matrix (every named URL of our apps, and which role
sees each one); the fields from the HTML those pages render (every form: inputs, selects,
textareas, buttons with a name, and the htmx requests inside a form); the query parameters from
the links and htmx attributes of the pages and from the source of the view's module (what it
reads with request.GET.get/getlist, and the fields of every form it fills from request.GET)."""

import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django import forms
from django.urls import resolve

from tests.cross_cutting.test_authorization_matrix import EXPECTED, ROLES

# The role that signs in to use a page: the first of these that the matrix lets see it.
ROLE_PREFERENCE = ("owner_a", "buyer_a", "anonymous", "staff", "member_a")
POST_USED = {"200", "302", "400"}


def role_for(name: str, method: str) -> str | None:
    """The role that may use the page (GET answers 200; POST is handled, not refused)."""
    row = EXPECTED[name][1] if method == "get" else EXPECTED[name][2]
    if row is None:
        return None
    answers = dict(zip(ROLES, row.split(), strict=True))
    wanted = {"200"} if method == "get" else POST_USED
    return next((role for role in ROLE_PREFERENCE if answers[role] in wanted), None)


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    default: str = ""
    maxlength: int | None = None
    options: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "range") or self.name in NUMERIC_NAMES


@dataclass
class Form:
    method: str
    action: str  # a path, resolved against the page
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.method, self.action, tuple(sorted(f.name for f in self.fields)))

    def defaults(self) -> list[tuple[str, str]]:
        return [(f.name, f.default) for f in self.fields if f.kind != "file"]


# Names the views read as numbers although the form renders them as text or hidden.
NUMERIC_NAMES = {"page", "since", "after", "n", "case", "order", "product", "tag", "template"}


class _PageParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._extra: list[Form] = []  # htmx requests inside the open form
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _path(self, url: str | None) -> str:
        return urljoin(self.page_path, url or self.page_path)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "hx-get"):
            if a.get(attr) and "?" in a[attr]:
                self.links.append(self._path(a[attr]))
        if tag == "form":
            hx_method = "post" if "hx-post" in a else "get" if "hx-get" in a else None
            action = a.get("hx-post") or a.get("hx-get") or a.get("action")
            method = hx_method or (a.get("method") or "get").lower()
            multipart = a.get("enctype", "") == "multipart/form-data"
            self._form = Form(method, self._path(action), multipart)
            self._extra = []
            return
        if self._form is None:
            return
        if tag != "form" and ("hx-post" in a or "hx-get" in a):
            method = "post" if "hx-post" in a else "get"
            url = a.get("hx-post") or a.get("hx-get")
            self._extra.append(Form(method, self._path(url), self._form.multipart))
        name = a.get("name")
        if not name:
            return
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if not any(f.name == name for f in self._form.fields):
                    self._form.fields.append(Field(name, kind, "", options=[a.get("value", "on")]))
                return
            existing = next((f for f in self._form.fields if f.name == name), None)
            if existing is not None and kind in ("checkbox", "radio"):
                existing.default = a.get("value", "on")
                return
            if kind in ("submit", "button", "image", "reset"):
                if existing is None:
                    self._form.fields.append(Field(name, "submit", a.get("value", "")))
                return
            self._form.fields.append(Field(name, kind, a.get("value", ""), maxlength))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            if not any(f.name == name for f in self._form.fields):
                self._form.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "select":
            self._select = Field(name, "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or len(self._select.options) == 1:
                self._select.default = value
        elif tag == "textarea":
            self._textarea = Field(name, "textarea", "", maxlength)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.default += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.default.startswith("\n"):
                self._textarea.default = self._textarea.default[1:]
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            for extra in self._extra:
                extra.fields = self._form.fields
                self.forms.append(extra)
            self._form = None


@dataclass
class Page:
    forms: list[Form]
    links: list[str]  # the page's own links and htmx GETs that carry a query
    params: dict[str, set[str]]  # per path, the query parameter names those links use


def page_parse(page_path: str, html: str) -> Page:
    parser = _PageParser(page_path)
    parser.feed(html)
    params: dict[str, set[str]] = {}
    links = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.netloc:
            continue
        links.append(link)
        names = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
        params.setdefault(parts.path, set()).update(names)
    return Page(parser.forms, links, params)


_GET_READ = re.compile(r"request\.GET(?:\.get|\.getlist|\.pop)?[\[(]\s*[\"']([^\"']+)[\"']")
_FORM_OF_GET = re.compile(r"\b([A-Z]\w*Form)\(\s*request\.GET")


def view_query_params(path: str) -> set[str]:
    """What the module of the view at `path` reads from the query string."""
    match = resolve(path)
    view = getattr(match.func, "view_class", None) or inspect.unwrap(match.func)
    module = inspect.getmodule(view)
    if module is None:
        return set()
    source = inspect.getsource(module)
    names = set(_GET_READ.findall(source))
    # Django's class-based views read their redirect target (`next`) themselves.
    if getattr(view, "redirect_field_name", None):
        names.add(view.redirect_field_name)
    for form_name in _FORM_OF_GET.findall(source):
        form_class = getattr(module, form_name, None)
        if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
            names.update(form_class.base_fields)
    return names


# ---- values


CONTROL = "".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)) + "\x7f"

# Every text field gets these; lengths around its maxlength come on top (boundary_texts).
ODD_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    CONTROL,
    "\r\n",
    "\r",
    "line\r\nBcc: victim@example.com",
    "\u2028\u2029\u0085",
    "\ufeff\u200b\u202e",
    "e\u0301" * 3,
    "😀",
    "%00%ff",
    "<script>x</script>",
    "'\"; --",
]

ODD_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "abc",
    "0x10",
    "+1",
    " 7 ",
    "٣",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 30,
    "-" + "9" * 30,
    "9" * 5000,
]

# Bytes that are not UTF-8: sent raw in a form body and percent-encoded in a query string.
INVALID_UTF8 = [b"\xff", b"\xc3(", b"caf\xe9", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]


def boundary_texts(maxlength: int | None) -> list[str]:
    """Lengths around maxlength (−1, =, +1, 10×), in one-byte and four-byte characters."""
    if maxlength is None:
        lengths = [255, 256, 10_000]
    else:
        lengths = sorted({max(maxlength - 1, 0), maxlength, maxlength + 1, 10 * maxlength})
    values = ["x" * n for n in lengths]
    values += ["😀" * n for n in lengths[-3:]]
    values.append(("é漢" * lengths[-1])[: lengths[-1]])
    return values


def explicit_values(f: Field, *, short: bool = False) -> list[str | bytes]:
    """Every value for the field; `short` (the admin's many fields), one value of each kind
    together: CR/LF with NUL and control characters, one character over maxlength in four-byte
    characters, bytes that are not UTF-8, and for a number, select or hidden field a negative
    and a huge number."""
    numeric = f.numeric or f.kind in ("select", "checkbox", "radio", "hidden", "submit")
    if short:
        longest = f.maxlength + 1 if f.maxlength else 10_000
        values: list[str | bytes] = ["\r\n\x00\x01\x1b", "😀" * longest, b"\xff"]
        return values + (["-1", "9" * 30] if numeric else [])
    values = list(ODD_TEXTS) + boundary_texts(f.maxlength) + list(INVALID_UTF8)
    return values + (ODD_NUMBERS if numeric else [])
