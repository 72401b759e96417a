"""R12: content rules for seller messages (pure functions, no database)."""

import dataclasses
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.refusals import Refusal
from core.sanitize import html_sanitize
from templates_app.content_rules import (
    DEFAULT_MARKETING_PHRASES,
    KIND_EMOJI,
    KIND_IMAGE,
    KIND_LINE_BREAKS,
    KIND_LINK,
    KIND_MARKETING,
    ContentViolation,
    content_violations,
    refuse_content,
)

BUYER_ALIAS = "abc123def456@m.alphadiscounters.com"
SELLER_ALIAS = "zyx987wvu654@m.alphadiscounters.com"
ALIASES = (BUYER_ALIAS, SELLER_ALIAS)


def kinds(violations: list[ContentViolation]) -> list[str]:
    return [v.kind for v in violations]


# --- allowed look-alikes --------------------------------------------------------------------


# The R12 corpus: the funnel tests (test_send_funnel.py) check the live check agrees with Send
# on every entry.
ALLOWED_TEXTS = [
    "Your total is $19.99.",
    "Der Preis beträgt 19,99 €.",
    "We deliver between 10:30 and 12:00.",
    "Item #2 is back in stock.",
    "Thanks :) Sorry :-( ;) :D <3",
    "Your order 123-1234567-1234567 has shipped.",
    f"Write to {BUYER_ALIAS} any time.",
    f"Write to {BUYER_ALIAS}.Thanks",
    f"Reply to {SELLER_ALIAS.upper()} please.",
    "A 3.5mm jack, firmware v2.0 and v1.2.3.",
    "Some items, e.g. cables, i.e. accessories, ship from the U.S. today.",
    "Fragrance No. 5 and No.5 are the same.",
    "Dear Mr.Smith, Ph.D. at 9 a.m.",
    "Wait... what?",
    "Thanks.See you soon.",
    "Your order is packed.It ships tomorrow.",
    "Hi.My name is Anna.",
    "Acme© Widgets® Pro™ (# * 0 1 2 3 4 5 6 7 8 9)",
    "日本語のテキスト、「こんにちは」。ありがとうございます。",
    "Café, naïve, Straße, Ærø, Łódź",
    "Prices: € 5, £ 4, ¥ 600, ₹ 400",
    "x ≤ y ≥ z ± 1 × 2 ÷ 3 ≠ ∞ √ ∑",
    "Turn left → then right ← or both ↔ ↩",
    "• first bullet\n• second bullet",
    "Rated ★★★★☆ ✓ done ♡",
    "Diameter ⌀ 30 cm, ① ② ③, 🄰 🅐",
    "Please see the attached invoice.pdf and photo.jpg.",
    "One line\nanother line\n\nnew paragraph\r\n\r\nand another",
    "नमस्ते क्\u200dष",  # a ZWJ inside Indic text is not an emoji sequence
    "Thanks for your order! Let us know if the size fits.",
    "Use the code printed on the box to register your warranty.",
]


@pytest.mark.parametrize("text", ALLOWED_TEXTS)
def test_r12_allowed_look_alikes_are_not_flagged(text):
    assert content_violations(text=text, allowed_addresses=ALIASES) == []
    assert refuse_content(text=text, allowed_addresses=ALIASES) is None


@pytest.mark.parametrize(
    "html",
    [
        '<p>Here is the box:</p><img src="https://cdn.example.com/a.png" alt="Box">',
        '<img src="HTTPS://cdn.example.com/a.png" alt="Box" width="10"/>',
        f'<a href="mailto:{BUYER_ALIAS}">{BUYER_ALIAS}</a>',
        f'<a href="MAILTO:{BUYER_ALIAS.upper()}">write to us</a>',
        "<a name='top'>anchor without href</a>",
        "<p>One</p><p>Two</p><p>Three</p><p>Four</p>",
        "<p>a<br><br>b</p>",
        "<p>a<br>b<br>c<br>d</p>",
        "<p>Caf&eacute; &amp; more &lt;3 &#169; &trade;</p>",
        '<script>var site = "shop.example.com"; // 😀</script><p>Hello</p>',
        "<p>Your order is packed.<br>It ships tomorrow.</p>",
    ],
)
def test_r12_allowed_html_is_not_flagged(html):
    assert content_violations(text="", html=html, allowed_addresses=ALIASES) == []


# --- refused forms --------------------------------------------------------------------------


REFUSED_TEXTS = [
    ("Visit shop.example.com for more.", KIND_LINK, "shop.example.com"),
    ("See https://x.io.", KIND_LINK, "https://x.io"),
    ("See HTTP://Example.com/a?b=1, thanks", KIND_LINK, "HTTP://Example.com/a?b=1"),
    ("Files at ftp://files.example.net", KIND_LINK, "ftp://files.example.net"),
    ("Go to www.example.com!", KIND_LINK, "www.example.com"),
    ("Our site example.co.uk is new", KIND_LINK, "example.co.uk"),
    ("Also on amazon.de/path/to/item.", KIND_LINK, "amazon.de/path/to/item"),
    ("Try bücher.de", KIND_LINK, "bücher.de"),
    ("Wait...example.com", KIND_LINK, "example.com"),
    ("Visit Shop.Com today", KIND_LINK, "Shop.Com"),
    ("Write to someone@example.com please", KIND_LINK, "someone@example.com"),
    ("Mail bob@gmail.com.Thanks", KIND_LINK, "bob@gmail.com"),
    (f"Write to {BUYER_ALIAS}.evil.com", KIND_LINK, "evil.com"),
    ("Other buyer: qwe123rty456@m.alphadiscounters.com", KIND_LINK, None),
    ("Family 👨\u200d👩\u200d👧 time", KIND_EMOJI, "👨\u200d👩\u200d👧"),
    ("Made in 🇩🇪", KIND_EMOJI, "🇩🇪"),
    ("Step 1\ufe0f\u20e3 first", KIND_EMOJI, "1\ufe0f\u20e3"),
    ("Press #\ufe0f\u20e3", KIND_EMOJI, "#\ufe0f\u20e3"),
    ("Hello 😀", KIND_EMOJI, "😀"),
    ("We ❤\ufe0f you", KIND_EMOJI, "❤\ufe0f"),
    ("We ❤ you", KIND_EMOJI, "❤"),
    ("Acme™\ufe0f", KIND_EMOJI, "™\ufe0f"),
    ("Acme©\ufe0f", KIND_EMOJI, "©\ufe0f"),
    ("Thumbs 👍🏽 up", KIND_EMOJI, "👍🏽"),
    ("Pride 🏳\ufe0f\u200d🌈", KIND_EMOJI, "🏳\ufe0f\u200d🌈"),
    ("Star ⭐ and watch ⌚ and alarm ⏰", KIND_EMOJI, "⭐"),
    ("Checked ✅", KIND_EMOJI, "✅"),
    ("Smile ☺", KIND_EMOJI, "☺"),
    ("Congrats ㊗", KIND_EMOJI, "㊗"),
    ("Hello\r\n\r\n\r\nWorld", KIND_LINE_BREAKS, "\r\n\r\n\r\n"),
    ("Hello\n\n\nWorld", KIND_LINE_BREAKS, "\n\n\n"),
    ("Hello\n\r\n\nWorld", KIND_LINE_BREAKS, "\n\r\n\n"),
    ("Hello\r\r\rWorld", KIND_LINE_BREAKS, "\r\r\r"),
    ("Hello\n  \n\t\nWorld", KIND_LINE_BREAKS, "\n  \n\t\n"),
    ("Hello\n\n\n\n\nWorld", KIND_LINE_BREAKS, "\n\n\n\n\n"),
    ("Use code SAVE10 for 10% off", KIND_MARKETING, "Use code"),
    ("Get a FREE GIFT today", KIND_MARKETING, "FREE GIFT"),
    ("This limited-time  offer", KIND_MARKETING, "limited-time  offer"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), REFUSED_TEXTS)
def test_r12_refused_forms_in_text(text, kind, excerpt):
    violations = content_violations(text=text, allowed_addresses=ALIASES)
    assert violations, text
    first = violations[0]
    assert first.kind == kind
    assert first.source == "text"
    assert text[first.start : first.end] == first.excerpt
    if excerpt is not None:
        assert first.excerpt == excerpt
    refusal = refuse_content(text=text, allowed_addresses=ALIASES)
    assert isinstance(refusal, Refusal)
    assert refusal.rule == "R12"
    assert "R12" not in refusal.message  # people read words; the id is refusal.rule
    if kind != KIND_LINE_BREAKS:
        assert " ".join(first.excerpt.split()) in refusal.message


@pytest.mark.parametrize(
    ("html", "kind", "excerpt"),
    [
        ('<p>See <a href="https://x.io/a">here</a></p>', KIND_LINK, "https://x.io/a"),
        ('<a href="mailto:bob@example.com">mail me</a>', KIND_LINK, "mailto:bob@example.com"),
        ("<a href='tel:+4930123456'>call</a>", KIND_LINK, "tel:+4930123456"),
        ('<a href="#top">top</a>', KIND_LINK, "#top"),
        ("<a href=/relative>x</a>", KIND_LINK, "/relative"),
        ('<img src="http://cdn.example.com/a.png" alt="Box">', KIND_IMAGE, None),
        ('<img src="https://cdn.example.com/a.png">', KIND_IMAGE, None),
        ('<img src="https://cdn.example.com/a.png" alt="  ">', KIND_IMAGE, None),
        ('<img src="https://cdn.example.com/a.png" alt>', KIND_IMAGE, None),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="Logo">', KIND_IMAGE, None),
        ('<img alt="Logo">', KIND_IMAGE, None),
        (
            '<img src="https://c.example/a.png" srcset="http://c.example/b.png 2x" alt="L">',
            KIND_IMAGE,
            None,
        ),
        ("<p>Hi<br><br><br>there</p>", KIND_LINE_BREAKS, "<br><br><br>"),
        ("<p>Hi<br/>\n <br />&nbsp;<br>there</p>", KIND_LINE_BREAKS, "<br/>\n <br />&nbsp;<br>"),
        ("<p>Hi</p><p><br></p><p><br></p><p><br></p><p>there</p>", KIND_LINE_BREAKS, None),
        ("<p>Visit shop.<b>example</b>.com</p>", KIND_LINK, "shop.example.com"),
        ("<p>Hello &#128512;</p>", KIND_EMOJI, "😀"),
        ("<p>Hello 😀</p>", KIND_EMOJI, "😀"),
        ("<p>Use a <b>promo code</b></p>", KIND_MARKETING, "promo code"),
    ],
)
def test_r12_refused_forms_in_html(html, kind, excerpt):
    violations = content_violations(text="", html=html, allowed_addresses=ALIASES)
    assert violations, html
    first = violations[0]
    assert first.kind == kind
    assert first.source == "html"
    assert 0 <= first.start < first.end <= len(html)
    if excerpt is not None:
        assert first.excerpt == excerpt
    refusal = refuse_content(text="", html=html, allowed_addresses=ALIASES)
    assert refusal is not None
    assert refusal.rule == "R12"
    assert "R12" not in refusal.message  # people read words; the id is refusal.rule


def test_r12_image_source_is_judged_as_an_image_not_a_link():
    html = '<img src="https://cdn.example.com/a.png" alt="Box">'
    assert content_violations(text="", html=html) == []
    insecure = content_violations(text="", html='<img src="http://cdn.example.com/a.png" alt="B">')
    assert kinds(insecure) == [KIND_IMAGE]
    assert "http://cdn.example.com/a.png" in insecure[0].message


def test_r12_image_without_alt_names_the_image_and_is_the_whole_tag():
    html = '<p>Logo: <img src="https://cdn.example.com/logo.png"></p>'
    [violation] = content_violations(text="", html=html)
    assert violation.kind == KIND_IMAGE
    assert violation.excerpt == '<img src="https://cdn.example.com/logo.png">'
    assert html[violation.start : violation.end] == violation.excerpt
    assert "alt text" in violation.message
    assert "https://cdn.example.com/logo.png" in violation.message


def test_r12_href_offsets_point_at_the_raw_value_in_the_html():
    html = '<p>Go <a class="x"\n   href = "https://x.io/?a=1&amp;b=2">there</a></p>'
    [violation] = content_violations(text="", html=html)
    assert violation.excerpt == "https://x.io/?a=1&amp;b=2"
    assert html[violation.start : violation.end] == violation.excerpt
    assert "https://x.io/?a=1&b=2" in violation.message


def test_r12_visible_html_text_offsets_cover_the_source():
    html = "<p>Hi &#128512; and shop.<i>example</i>.com</p>"
    emoji, link = content_violations(text="", html=html)
    assert (emoji.kind, html[emoji.start : emoji.end]) == (KIND_EMOJI, "&#128512;")
    assert (link.kind, html[link.start : link.end]) == (KIND_LINK, "shop.<i>example</i>.com")


def test_r12_mailto_is_allowed_only_for_the_parties_aliases():
    html = f'<a href="mailto:{BUYER_ALIAS}">write</a>'
    assert content_violations(text="", html=html, allowed_addresses=[BUYER_ALIAS]) == []
    assert kinds(content_violations(text="", html=html)) == [KIND_LINK]
    query = f'<a href="mailto:{BUYER_ALIAS}?subject=Hi">write</a>'
    assert kinds(content_violations(text="", html=query, allowed_addresses=[BUYER_ALIAS])) == [
        KIND_LINK
    ]


def test_r12_aliases_are_links_unless_passed_as_allowed():
    text = f"Contact {BUYER_ALIAS}"
    assert content_violations(text=text, allowed_addresses=[f"  {BUYER_ALIAS.upper()} "]) == []
    [violation] = content_violations(text=text)
    assert violation.excerpt == BUYER_ALIAS
    assert "email address" in violation.message


def test_r12_line_break_message_points_at_the_text_before_the_run():
    refusal = refuse_content(text="Thanks for your order.\n\n\nBest regards")
    assert refusal is not None
    assert "“Thanks for your order.”" in refusal.message
    assert "R12" not in refusal.message  # people read words; the id is refusal.rule
    at_start = refuse_content(text="\n\n\nHello")
    assert at_start is not None
    assert "start of the message" in at_start.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", []),
        ("a\n\nb", []),
        ("a\r\n\r\nb", []),
        ("a\r\rb", []),
        ("a\n\rb", []),
        ("a\n \nb", []),
        ("a\n\n\nb", [KIND_LINE_BREAKS]),
        ("a\r\n\r\n\r\nb", [KIND_LINE_BREAKS]),
        ("a\n\r\n\nb", [KIND_LINE_BREAKS]),
        ("a\n \n \nb", [KIND_LINE_BREAKS]),
        ("a\u2028\u2029\nb", [KIND_LINE_BREAKS]),
        ("a\n\n\nb\n\n\n\nc", [KIND_LINE_BREAKS, KIND_LINE_BREAKS]),
    ],
)
def test_r12_line_breaks_exact_counts(text, expected):
    assert kinds(content_violations(text=text)) == expected


def test_r12_marketing_phrases_default_custom_and_off():
    text = "Use code SAVE10 for 10% off"
    assert kinds(content_violations(text=text)) == [KIND_MARKETING, KIND_MARKETING]
    assert kinds(content_violations(text=text, marketing_phrases=None)) == [
        KIND_MARKETING,
        KIND_MARKETING,
    ]
    assert content_violations(text=text, marketing_phrases=()) == []
    assert content_violations(text=text, marketing_phrases=["", "  "]) == []
    custom = content_violations(text="Big SALE today", marketing_phrases=["big sale"])
    assert [v.excerpt for v in custom] == ["Big SALE"]


def test_r12_marketing_phrases_match_whole_words_only():
    phrases = ["promo", "% off"]
    assert content_violations(text="A promotion for the promotor", marketing_phrases=phrases) == []
    assert content_violations(text="10% offer", marketing_phrases=phrases) == []
    assert kinds(content_violations(text="Promo!", marketing_phrases=phrases)) == [KIND_MARKETING]
    assert kinds(content_violations(text="Now 20% OFF", marketing_phrases=phrases)) == [
        KIND_MARKETING
    ]


def test_r12_default_marketing_phrases_are_lowercase_and_include_the_basics():
    assert all(phrase == phrase.lower() for phrase in DEFAULT_MARKETING_PHRASES)
    for phrase in ("coupon", "promo code", "discount code", "% off", "buy now", "use code"):
        assert phrase in DEFAULT_MARKETING_PHRASES


def test_r12_marketing_word_inside_a_link_is_one_problem():
    violations = content_violations(text="See https://x.io/coupon now")
    assert kinds(violations) == [KIND_LINK]


def test_r12_violations_are_in_order_text_first_then_html():
    text = "Hi 😀 visit shop.example.com\n\n\nUse code X"
    html = '<p>Hi <a href="https://x.io">x</a></p><img src="http://a.example/b.png" alt="b">'
    violations = content_violations(text=text, html=html)
    assert [(v.source, v.kind) for v in violations] == [
        ("text", KIND_EMOJI),
        ("text", KIND_LINK),
        ("text", KIND_LINE_BREAKS),
        ("text", KIND_MARKETING),
        ("html", KIND_LINK),
        ("html", KIND_IMAGE),
    ]
    starts = [v.start for v in violations if v.source == "text"]
    assert starts == sorted(starts)


def test_r12_refusal_names_every_distinct_problem():
    refusal = refuse_content(
        text="Visit shop.example.com 😀 and shop.example.com",
        html='<p>Visit <a href="https://shop.example.com">shop.example.com</a></p>',
    )
    problems = (
        "Remove the link “shop.example.com”: messages to buyers may not contain links or "
        "website addresses.",
        "Remove the emoji “😀”: messages to buyers may not contain emojis.",
        "Remove the link “https://shop.example.com”: messages to buyers may not contain links "
        "or website addresses.",
    )
    assert refusal == Refusal(rule="R12", message=" ".join(problems), problems=problems)
    in_subject = refuse_content(subject="shop.example.com", text="😀")
    assert in_subject is not None
    assert in_subject.problems[0].startswith("In the subject: Remove the link")
    assert len(in_subject.problems) == 2


def test_r12_long_excerpts_are_shortened_in_the_message():
    url = "https://example.com/" + "a" * 200
    refusal = refuse_content(text=url)
    assert refusal is not None
    assert len(refusal.message) < 200
    assert "https://example.com/aaa" in refusal.message
    [violation] = content_violations(text=url)
    assert violation.excerpt == url


def test_r12_content_violation_is_frozen():
    violation = content_violations(text="😀")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.kind = "link"  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------------

SAFE_PUNCTUATION = ".,:;!?#$%()-'"
_safe_char = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + "  " + SAFE_PUNCTUATION + "\n"),
    st.characters(categories=("L", "Nd")),
)


def _defuse(raw: str) -> str:
    """Never a letter straight after '.', never more than one line break in a row."""
    text = re.sub(r"\.(?=[^\W\d_])", ". ", raw)
    return re.sub(r"\n+", "\n", text)


safe_text = st.text(_safe_char, max_size=80).map(_defuse)

SAMPLE_EMOJIS = (
    "😀",
    "❤\ufe0f",
    "❤",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "🧑\u200d⚕\ufe0f",
    "🏳\ufe0f\u200d🌈",
    "🇩🇪",
    "🇯🇵",
    "1\ufe0f\u20e3",
    "#\ufe0f\u20e3",
    "*\ufe0f\u20e3",
    "™\ufe0f",
    "©\ufe0f",
    "®\ufe0f",
    "⭐",
    "⌚",
    "⏰",
    "✅",
    "☺",
    "♥",
    "✔",
    "〽",
    "㊙",
    "🅰\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "🫠",
)
SAMPLE_TLDS = ("com", "net", "org", "info", "de", "fr", "jp", "io", "co.uk", "com.au", "shop")
_label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
domains = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(SAMPLE_TLDS),
)


@settings(deadline=None)
@given(text=safe_text)
def test_r12_property_safe_text_has_no_link_emoji_or_line_break_violation(text):
    violations = content_violations(text=text, marketing_phrases=())
    assert [v for v in violations if v.kind in (KIND_LINK, KIND_EMOJI, KIND_LINE_BREAKS)] == []


@settings(deadline=None)
@given(text=safe_text, emoji=st.sampled_from(SAMPLE_EMOJIS), data=st.data())
def test_r12_property_any_inserted_emoji_is_found(text, emoji, data):
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    violations = content_violations(text=text[:at] + emoji + text[at:], marketing_phrases=())
    assert any(v.kind == KIND_EMOJI and emoji in v.excerpt for v in violations), violations


@settings(deadline=None)
@given(text=safe_text, domain=domains, data=st.data())
def test_r12_property_any_inserted_domain_is_found(text, domain, data):
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    message = f"{text[:at]} {domain} {text[at:]}"
    violations = content_violations(text=message, marketing_phrases=())
    assert any(v.kind == KIND_LINK and v.excerpt == domain for v in violations), violations


_word = st.text(st.sampled_from(string.ascii_letters + string.digits + " ,!?"), min_size=1).filter(
    str.strip
)


@settings(deadline=None)
@given(
    words=st.lists(_word, min_size=2, max_size=8),
    breaks=st.lists(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=1, max_size=2)),
)
def test_r12_property_runs_of_at_most_two_line_breaks_pass(words, breaks):
    runs = ["".join(run) for run in breaks] + ["\n"] * len(words)
    text = "".join(word + run for word, run in zip(words, runs, strict=False))
    assert KIND_LINE_BREAKS not in kinds(content_violations(text=text))


@settings(deadline=None)
@given(
    before=_word,
    after=_word,
    run=st.lists(st.sampled_from(["\n", "\r\n"]), min_size=3, max_size=10),
)
def test_r12_property_runs_of_three_or_more_line_breaks_fail(before, after, run):
    text = before + "".join(run) + after
    violations = [v for v in content_violations(text=text) if v.kind == KIND_LINE_BREAKS]
    assert len(violations) == 1
    assert violations[0].excerpt == "".join(run)


_html_fragment = st.sampled_from(
    [
        "<a href='x.io'>", "</a>", "<br>", "</br>", "<br/>", "<img src=http://a alt=", "<p>",
        "</p>", "&amp;", "&#128512;", "&#x1F600", "&nbsp", "&", "<", ">", "<!--", "-->",
        "<script>", "</script>", "shop.example.com", "😀", "\n", "\r\n", " ", "coupon", "<b",
        "=", '"', "'", "a", ".", "de", "&#xD800;", "&#99999999;",
    ]
)  # fmt: skip


@settings(deadline=None)
@given(html=st.lists(_html_fragment | st.text(max_size=3), max_size=30).map("".join))
def test_r12_property_any_html_is_scanned_and_offsets_stay_inside_it(html):
    for violation in content_violations(text=html, html=html):
        assert 0 <= violation.start <= violation.end <= len(html)
        assert violation.message.endswith(".")
        assert "R12" not in violation.message


# --- emojis: what R12 keeps as ordinary text ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "#", "*", "0", "7", "Call #1 or press * then 0",
        "©", "®", "™", "Acme ©2024 Acme® Widget™",
        "©\ufe0e", "™\ufe0e",  # VS15 asks for the text form
        "#\ufe0f", "5\ufe0f",  # VS16 without the keycap mark is no keycap
        "‼", "⁉", "ℹ", "↔", "↕", "↖", "↩", "↪", "⤴", "⤵", "Ⓜ", "▪", "▫", "▶", "◀", "◻", "◼",
        ":) :-) ;) ;-) :D :-D :P :( :'( XD ^_^ <3 o_O",
        "a\ufe0f", "★\ufe0f",  # VS16 after a character with no emoji form changes nothing
    ],
)  # fmt: skip
def test_r12_symbols_digits_and_text_smileys_are_ordinary_text(text):
    assert content_violations(text=text, marketing_phrases=()) == []


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Press 1\u20e3", "1\u20e3"),  # a keycap without VS16 is still a keycap
        ("Press *\ufe0f\u20e3", "*\ufe0f\u20e3"),
        ("Acme®\ufe0f", "®\ufe0f"),
        ("Wow‼\ufe0f", "‼\ufe0f"),
        ("Swap ↔\ufe0f", "↔\ufe0f"),
        ("Play ▶\ufe0f", "▶\ufe0f"),
        ("Fly ✈ today", "✈"),
        ("Careful ⚠ hot", "⚠"),
        ("Done ✔", "✔"),
        ("Type 🅰", "🅰"),
        ("Time ⌚\ufe0f now", "⌚\ufe0f"),  # a redundant VS16 is part of the excerpt
        ("Fire ❤\ufe0f\u200d🔥", "❤\ufe0f\u200d🔥"),
        ("Melting 🫠", "🫠"),
    ],
)
def test_r12_emoji_forms_of_text_symbols_and_pictographs_are_emojis(text, excerpt):
    [violation] = content_violations(text=text, marketing_phrases=())
    assert (violation.kind, violation.excerpt) == (KIND_EMOJI, excerpt)
    assert text[violation.start : violation.end] == excerpt


def test_r12_adjacent_emojis_are_separate_problems():
    violations = content_violations(text="😀😀 🇩🇪🇯🇵")
    assert [v.excerpt for v in violations] == ["😀", "😀", "🇩🇪", "🇯🇵"]


# --- HTML: the sanitizer's tag lists --------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<embed src="https://x.example/a.swf">Visit shop.example.com',  # void: hides nothing
        "<p>Hi <frame>visit shop.example.com</p>",
        "<head><title>Order</title>Visit shop.example.com",  # an unclosed <head> ends at text
        "<html><head></head><body>Visit shop.example.com</body></html>",
    ],
)
def test_r12_text_after_void_or_head_elements_is_judged(html):
    assert kinds(content_violations(text="", html=html)) == [KIND_LINK]


@pytest.mark.parametrize(
    "html",
    [
        "<select><option>shop.example.com</option></select>",
        "<svg><text>shop.example.com 😀</text></svg>",
        "<object data='x.swf'>shop.example.com</object>",
        "<textarea>shop.example.com</textarea>",
        "<template><p>shop.example.com</p></template>",
        "<head><title>shop.example.com</title><style>p { color: red }</style></head>",
    ],
)
def test_r12_text_the_sanitizer_drops_is_not_judged(html):
    assert content_violations(text="", html=html) == []
    assert "shop.example.com" not in html_sanitize(html)


def test_r12_links_inside_dropped_elements_are_still_judged():
    html = '<template><a href="https://x.io">x</a></template>'
    assert kinds(content_violations(text="", html=html)) == [KIND_LINK]


@pytest.mark.parametrize(
    "html",
    [
        "<p>Order from amazon.</p><p>de</p>",
        "<td>Order from amazon.</td><td>de</td>",
        "<nav>Order from amazon.</nav><main>de</main>",
        "<caption>Order from amazon.</caption>de",
        "Order from amazon.<br>de",
        'Order from amazon.<img src="https://c.example/a.png" alt="A">de',
    ],
)
def test_r12_block_and_cell_elements_separate_words(html):
    assert content_violations(text="", html=html) == []
    inline = "<p>Order from amazon.<b>de</b></p>"
    assert kinds(content_violations(text="", html=inline)) == [KIND_LINK]
