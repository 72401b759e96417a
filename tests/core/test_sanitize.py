"""R14: the HTML sanitizer and the plain-text rendering (pure, no database)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    BLOCK_TAGS,
    CELL_TAGS,
    DROPPED_WITH_CONTENT,
    HIDDEN_CONTENT_TAGS,
    LINK_REL,
    LINK_TAGS,
    VOID_TAGS,
    html_sanitize,
    html_to_text,
)

LINK_EXTRAS = f'rel="{LINK_REL}" target="_blank"'


# --- html_sanitize ------------------------------------------------------------------------


def test_r14_script_is_removed_with_its_content():
    assert html_sanitize("<p>Hi</p><script>alert(1)</script>") == "<p>Hi</p>"
    assert html_sanitize("<SCRIPT type=text/javascript>alert(1)</SCRIPT>ok") == "ok"


def test_r14_an_unclosed_script_swallows_the_rest_as_a_browser_would():
    assert html_sanitize("<p>Hi</p><script>alert(1)<p>more</p>") == "<p>Hi</p>"


def test_r14_style_contents_are_removed():
    assert html_sanitize("<style>body { color: red }</style><p>Hi</p>") == "<p>Hi</p>"


def test_r14_a_whole_email_document_keeps_only_its_body():
    html = (
        "<html><head><title>Order 123</title><style>p{}</style></head>"
        "<body><p>Your order shipped.</p></body></html>"
    )
    assert html_sanitize(html) == "<p>Your order shipped.</p>"


def test_r14_img_loses_event_handlers():
    html = '<img src="https://cdn.example.com/a.png" onerror="alert(1)" alt="A">'
    assert html_sanitize(html) == '<img src="https://cdn.example.com/a.png" alt="A">'


def test_r14_img_without_an_absolute_http_source_is_dropped():
    assert html_sanitize("<img src=x onerror=alert(1)>") == ""
    assert html_sanitize('<img src="data:image/png;base64,iVBORw0KGgo=">') == ""


def test_r14_javascript_links_lose_their_href():
    assert html_sanitize('<a href="javascript:alert(1)">x</a>') == "<a>x</a>"
    assert html_sanitize('<a href="JaVaScRiPt:alert(1)">x</a>') == "<a>x</a>"
    assert html_sanitize('<a href="jav&#x09;ascript:alert(1)">x</a>') == "<a>x</a>"
    assert html_sanitize('<a href=" javascript:alert(1)">x</a>') == "<a>x</a>"


@pytest.mark.parametrize(
    "href",
    [
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "/account/delete",  # relative: would point into Seller Central itself
        "//evil.example/x",
    ],
)
def test_r14_links_keep_only_absolute_http_https_or_mailto_urls(href):
    assert html_sanitize(f'<a href="{href}">x</a>') == "<a>x</a>"


def test_r14_links_open_in_a_new_tab_without_referrer():
    assert html_sanitize('<a href="https://example.com/a?b=1&c=2" title="T">x</a>') == (
        f'<a href="https://example.com/a?b=1&amp;c=2" title="T" {LINK_EXTRAS}>x</a>'
    )
    assert html_sanitize('<a href="mailto:help@example.com">mail</a>') == (
        f'<a href="mailto:help@example.com" {LINK_EXTRAS}>mail</a>'
    )


def test_r14_a_sender_cannot_choose_rel_or_target():
    html = '<a href="http://example.com" rel="opener" target="_self">x</a>'
    assert html_sanitize(html) == f'<a href="http://example.com" {LINK_EXTRAS}>x</a>'


def test_r14_iframe_object_and_svg_are_removed_with_their_content():
    assert html_sanitize('<iframe src="https://evil.example">fallback</iframe>ok') == "ok"
    assert html_sanitize('<object data="x.swf"><embed src="x.swf"></object>ok') == "ok"
    assert html_sanitize("<svg onload=alert(1)><text>t</text></svg>ok") == "ok"
    assert html_sanitize("<math><mi xlink:href=javascript:alert(1)>m</mi></math>ok") == "ok"


def test_r14_style_and_event_attributes_are_removed():
    html = '<p style="color:red" onclick="alert(1)" class="x" id="y">Hi</p>'
    assert html_sanitize(html) == "<p>Hi</p>"


def test_r14_comments_are_removed():
    assert html_sanitize("<p>a<!-- secret --></p><!--[if IE]><b>x</b><![endif]-->") == "<p>a</p>"


def test_r14_disallowed_tags_are_stripped_but_their_text_kept():
    out = html_sanitize("<marquee>Sale</marquee> <form><button>Go</button></form>")
    assert out.split() == ["Sale", "Go"]  # bleach puts a line break where a block was


def test_r14_allowed_markup_is_preserved():
    html = (
        "<h1>T</h1><h4>t</h4><p>A <b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u>"
        "<br><span>sp</span></p><div><ul><li>1</li></ul><ol><li>2</li></ol></div>"
        "<blockquote>q</blockquote><pre><code>x = 1</code></pre><hr>"
        "<table><thead><tr><th>H</th></tr></thead><tbody><tr><td>D</td></tr></tbody></table>"
        '<img src="https://example.com/i.png" alt="i" width="10" height="20">'
    )
    assert html_sanitize(html) == html


def test_r14_text_is_escaped():
    assert html_sanitize("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"
    assert html_sanitize("") == ""


def test_r14_mutation_xss_through_noscript_does_not_survive():
    html = '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
    out = html_sanitize(html)
    assert "onerror" not in out
    assert "<img" not in out


# --- property -----------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr",
    "ipt>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">',
    '<a href="data:text/html,<script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=javascript:alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<object data=javascript:alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div onclick="alert(1)" style="background:url(javascript:alert(1))">',
    "<body onload=alert(1)>",
    "<table><td onmouseover=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--",
    "-->",
    "<![CDATA[",
    " onmouseover=alert(1) ",
    "<p",
    "<a",
    "href=javascript:alert(1)",
    "<",
    ">",
    '"',
    "'",
    "=",
    "&",
    "&#106;avascript:",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(HOSTILE)), max_size=12))
def test_r14_sanitized_output_never_carries_scripts_or_handlers(parts):
    out = html_sanitize("".join(parts))
    assert "<script" not in out.lower()
    for tag, attrs in parsed_tags(out):
        assert tag in ALLOWED_TAGS
        allowed = {*ALLOWED_ATTRIBUTES.get(tag, ()), *(("rel", "target") if tag == "a" else ())}
        for name, value in attrs:
            assert not name.startswith("on"), (name, out)
            assert name in allowed, (name, out)
            assert "javascript:" not in (value or "").lower(), out
            if name in ("href", "src"):
                assert urlsplit(value or "").scheme in ALLOWED_PROTOCOLS, out


# --- html_to_text -------------------------------------------------------------------------


def test_r14_text_body_puts_blocks_and_breaks_on_their_own_lines():
    html = "<p>Hello&nbsp;there,\n   world &amp; co</p><p>line 1<br>line 2</p><div>end</div>"
    assert html_to_text(html) == "Hello there, world & co\n\nline 1\nline 2\n\nend"


def test_r14_text_body_collapses_blank_lines():
    assert html_to_text("<p>a</p><p></p><p></p><br><br><br><br><p>b</p>") == "a\n\nb"


def test_r14_text_body_lists_quotes_and_code():
    html = (
        "<ul><li>one</li><li>two <b>bold</b></li></ul>"
        "<blockquote><p>quoted</p><p>more</p></blockquote>"
        "<pre>  indented\n    code</pre>"
    )
    assert html_to_text(html) == (
        "- one\n- two bold\n\n> quoted\n>\n> more\n\n  indented\n    code"
    )


def test_r14_text_body_keeps_link_targets():
    html = (
        '<a href="https://example.com/track">Track it</a> '
        '<a href="https://example.com">https://example.com</a> '
        '<a href="mailto:help@example.com">help@example.com</a>'
    )
    assert html_to_text(html) == (
        "Track it (https://example.com/track) https://example.com help@example.com"
    )


def test_r14_text_body_unescapes_entities_and_never_shows_code():
    html = "<style>p{color:red}</style><script>alert(1)</script><p>1 &lt; 2 &copy;</p>"
    assert html_to_text(html) == "1 < 2 ©"


def test_r14_text_body_of_sanitized_html():
    html = '<h1>Refund</h1><p onclick="x">Sent <img src="https://e.com/i.png" alt="[logo]"></p>'
    assert html_to_text(html_sanitize(html)) == "Refund\n\nSent [logo]"
    assert html_to_text("") == ""


def test_r14_text_body_void_elements_hide_nothing():
    # <embed> and <frame> are dropped, but have no content and no end tag to wait for.
    assert html_to_text('<p>Hello <embed src="x.swf">there <frame>friend</p>') == (
        "Hello there friend"
    )


def test_r14_text_body_of_a_whole_document_and_an_unclosed_head():
    html = (
        "<html><head><meta charset='utf-8'><title>Order 123</title><style>p{}</style></head>"
        "<body><p>Your order shipped.</p></body></html>"
    )
    assert html_to_text(html) == "Your order shipped."
    # As in a browser (and the sanitizer), text ends an unclosed <head>: it is shown.
    html = "<head><title>Order 123</title>Your order shipped."
    assert html_to_text(html) == "Your order shipped."
    assert html_sanitize(html) == "Your order shipped."


def test_r14_text_body_skips_what_the_sanitizer_drops_with_its_content():
    html = "<p>a</p><select><option>b</option></select><svg><text>c</text></svg><p>d</p>"
    assert html_to_text(html) == "a\n\nd"
    assert html_to_text(html_sanitize(html)) == "a\n\nd"


def test_r14_text_body_breaks_lines_at_every_block_element():
    html = "<nav>a</nav><main>b</main><section>c</section><aside>d</aside><form>e</form>"
    assert html_to_text(html) == "a\nb\nc\nd\ne"
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr></table>") == "a\tb"


# --- the tag vocabulary -------------------------------------------------------------------


def test_r14_hidden_content_tags_are_dropped_tags_that_have_content():
    assert HIDDEN_CONTENT_TAGS <= DROPPED_WITH_CONTENT
    assert not HIDDEN_CONTENT_TAGS & VOID_TAGS
    assert "head" not in HIDDEN_CONTENT_TAGS
    assert {"script", "style", "title", "template", "textarea", "svg"} <= HIDDEN_CONTENT_TAGS


def test_r14_every_allowed_block_tag_is_known_as_a_block():
    inline = {"b", "strong", "i", "em", "u", "span", "code", "a", "img", "br"}
    assert ALLOWED_TAGS - inline <= BLOCK_TAGS | CELL_TAGS
    assert ALLOWED_TAGS.intersection(LINK_TAGS) == {"a"}
