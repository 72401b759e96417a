"""R13: attachment checks (pure, no database)."""

import hashlib
import io
import warnings
import zipfile

import pytest
from django.conf import settings
from PIL import Image

from core.refusals import Refusal
from messaging.attachments import (
    ATTACHMENT_CONTENT_MISMATCH_MSG,
    ATTACHMENT_EMPTY_MSG,
    ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG,
    ATTACHMENT_IMAGE_UNREADABLE_MSG,
    ATTACHMENT_TOO_LARGE_MSG,
    ATTACHMENT_TYPE_NOT_ALLOWED_MSG,
    DISPLAY_NAME_MAX_CHARS,
    LEGACY_TEXT_CONTENT_TYPE,
    TOO_MANY_ATTACHMENTS_MSG,
    CheckedAttachment,
    IncomingAttachment,
    attachment_check,
    attachments_check,
    display_name_clean,
)

MAX = 1024
SEVEN_MIB = 7 * 1024 * 1024


# --- sample files -------------------------------------------------------------------------


def image_bytes(pil_format: str, *, mode: str = "RGB", size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=0).save(buffer, format=pil_format)
    return buffer.getvalue()


PNG = image_bytes("PNG")
GIF = image_bytes("GIF", mode="P")
JPEG = image_bytes("JPEG")
BMP = image_bytes("BMP")
TIFF = image_bytes("TIFF")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def docx_bytes(*, extra: dict[str, bytes] | None = None, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        if word:
            archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        else:
            archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ole2_bytes(*stream_names: str) -> bytes:
    """An OLE2 compound file header plus one directory sector naming the given streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ("Root Entry", *stream_names):
        encoded = (name + "\x00").encode("utf-16-le")
        entries += encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little")
        entries = entries.ljust(len(entries) + 62, b"\x00")
    return header + entries.ljust(512, b"\x00")


DOC = ole2_bytes("WordDocument", "1Table")
DOCX = docx_bytes()


def result(name: str, content: bytes, *, max_bytes: int) -> CheckedAttachment | Refusal:
    return attachment_check(IncomingAttachment(name=name, content=content), max_bytes=max_bytes)


def check(name: str, content: bytes, *, max_bytes: int = SEVEN_MIB) -> CheckedAttachment:
    checked = result(name, content, max_bytes=max_bytes)
    assert isinstance(checked, CheckedAttachment), checked
    return checked


def refusal_message(name: str, content: bytes, *, max_bytes: int = SEVEN_MIB) -> str:
    refusal = result(name, content, max_bytes=max_bytes)
    assert isinstance(refusal, Refusal), refusal
    assert refusal.rule == "R13"
    return refusal.message


# --- allowed types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("notes.txt", b"Hello, parcel arrived.\n", ".txt", "text/plain; charset=utf-8"),
        ("invoice.pdf", PDF, ".pdf", "application/pdf"),
        ("letter.doc", DOC, ".doc", "application/msword"),
        (
            "letter.docx",
            DOCX,
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.jpg", JPEG, ".jpg", "image/jpeg"),
        ("photo.jpeg", JPEG, ".jpeg", "image/jpeg"),
        ("anim.gif", GIF, ".gif", "image/gif"),
        ("scan.tif", TIFF, ".tif", "image/tiff"),
        ("scan.tiff", TIFF, ".tiff", "image/tiff"),
        ("shot.bmp", BMP, ".bmp", "image/bmp"),
        ("shot.png", PNG, ".png", "image/png"),
    ],
)
def test_r13_every_allowed_type_is_accepted_with_real_content(
    name, content, extension, content_type
):
    checked = check(name, content)
    assert checked == CheckedAttachment(
        display_name=name,
        extension=extension,
        content_type=content_type,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def test_r13_extension_is_matched_case_insensitively_and_the_name_keeps_its_case():
    checked = check("SCAN.PDF", PDF)
    assert checked.extension == ".pdf"
    assert checked.display_name == "SCAN.PDF"


def test_r13_lists_are_checked_file_by_file():
    checked, refusal = attachments_check(
        [IncomingAttachment("a.png", PNG), IncomingAttachment("b.pdf", PDF)],
        max_bytes=SEVEN_MIB,
        max_count=2,
    )
    assert refusal is None
    assert [c.display_name for c in checked] == ["a.png", "b.pdf"]


def test_r13_no_attachments_is_no_refusal():
    assert attachments_check([], max_bytes=MAX, max_count=0) == ([], None)


def test_r13_checks_return_their_refusal_and_raise_nothing():
    refusal = attachment_check(IncomingAttachment("setup.exe", EXE), max_bytes=MAX)
    assert isinstance(refusal, Refusal)
    assert refusal.rule == "R13"


# --- size ---------------------------------------------------------------------------------


def test_r13_a_file_of_exactly_the_limit_is_accepted():
    assert check("notes.txt", b"a" * MAX, max_bytes=MAX).size == MAX


def test_r13_one_byte_over_the_limit_is_refused():
    message = refusal_message("notes.txt", b"a" * (MAX + 1), max_bytes=MAX)
    assert message == ATTACHMENT_TOO_LARGE_MSG.format(name="notes.txt", size="1.1 KB", limit="1 KB")


def test_r13_the_real_limit_is_7_mib_inclusive():
    assert settings.MESSAGING_ATTACHMENT_MAX_BYTES == SEVEN_MIB
    limit = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    assert check("big.txt", b"a" * limit, max_bytes=limit).size == SEVEN_MIB
    message = refusal_message("big.txt", b"a" * (limit + 1), max_bytes=limit)
    assert message == ATTACHMENT_TOO_LARGE_MSG.format(name="big.txt", size="7.1 MB", limit="7 MB")


def test_r13_empty_files_are_refused():
    assert refusal_message("empty.pdf", b"") == ATTACHMENT_EMPTY_MSG.format(name="empty.pdf")


# --- names and types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("setup.exe", "setup.exe"),
        ("page.html", "page.html"),
        ("logo.svg", "logo.svg"),
        ("README", "README"),
        ("archive.zip", "archive.zip"),
        ("macros.docm", "macros.docm"),
        ("report.pdf.exe", "report.pdf.exe"),
    ],
)
def test_r13_extensions_outside_the_list_are_refused(name, shown):
    message = refusal_message(name, b"anything")
    assert message.startswith(f"“{shown}” can’t be attached: only .txt, .pdf, .doc, .docx,")
    assert message == ATTACHMENT_TYPE_NOT_ALLOWED_MSG.format(
        name=shown, allowed=".txt, .pdf, .doc, .docx, .jpg, .jpeg, .gif, .tif, .tiff, .bmp, .png"
    )


@pytest.mark.parametrize("name", ["invoice.pdf", "letter.doc", "letter.docx", "photo.png"])
def test_r13_an_executable_renamed_to_an_allowed_extension_is_refused(name):
    message = refusal_message(name, EXE)
    assert message.startswith(f"“{name}” can’t be attached: its content is not a ")


def test_r13_an_executable_renamed_txt_is_refused():
    assert refusal_message("readme.txt", EXE) == ATTACHMENT_CONTENT_MISMATCH_MSG.format(
        name="readme.txt", kind="plain text"
    )


def test_r13_an_image_under_another_images_extension_is_refused():
    # Decision: the extension must match the content; a PNG is not accepted as a .jpg.
    assert refusal_message("photo.jpg", PNG) == ATTACHMENT_CONTENT_MISMATCH_MSG.format(
        name="photo.jpg", kind="JPEG image"
    )
    assert "PNG image" in refusal_message("photo.png", JPEG)


def test_r13_a_png_renamed_txt_is_refused():
    assert "plain text" in refusal_message("notes.txt", PNG)


def test_r13_a_pdf_must_start_with_the_pdf_header():
    assert "PDF" in refusal_message("invoice.pdf", b"<html>%PDF-1.4</html>")


def test_r13_a_doc_must_be_a_word_ole2_file():
    workbook = ole2_bytes("Workbook")  # an .xls (or .msi, .ppt) is OLE2 but not Word
    assert "Word (.doc)" in refusal_message("letter.doc", workbook)
    assert "Word (.doc)" in refusal_message("letter.doc", DOCX)


def test_r13_a_docx_must_be_a_word_zip_package():
    assert "Word (.docx)" in refusal_message("letter.docx", docx_bytes(word=False))  # .xlsx
    assert "Word (.docx)" in refusal_message("letter.docx", b"PK\x03\x04 not really a zip")
    macro = docx_bytes(extra={"word/vbaProject.bin": b"\x00" * 16})
    assert "Word (.docx)" in refusal_message("letter.docx", macro)  # a .docm renamed


def test_r13_an_executable_with_a_docx_appended_is_refused():
    # zipfile reads the directory at the end, so a self-extracting .exe would look like a zip.
    assert "Word (.docx)" in refusal_message("letter.docx", EXE + DOCX)


# --- text ---------------------------------------------------------------------------------


def test_r13_html_renamed_txt_is_text_and_accepted():
    # Decision: a .txt holding markup is still text; it is stored and served as text/plain.
    checked = check("page.txt", b"<script>alert(1)</script>\n")
    assert checked.content_type == "text/plain; charset=utf-8"


def test_r13_utf8_text_with_a_bom_is_accepted():
    content = "\ufeffCafé crème ✓\n".encode()
    assert check("menu.txt", content).content_type == "text/plain; charset=utf-8"


def test_r13_legacy_encoded_text_is_accepted_without_a_charset():
    content = "Café crème – 5 €\r\n".encode("cp1252")
    assert check("menu.txt", content).content_type == LEGACY_TEXT_CONTENT_TYPE


@pytest.mark.parametrize("content", [b"BMW spare parts list\n", b"MZ-2000 manual notes\n"])
def test_r13_text_that_starts_like_a_binary_signature_is_still_text(content):
    # filetype would call these a BMP and an EXE; valid UTF-8 without NULs is trusted as text.
    assert check("notes.txt", content).extension == ".txt"


def test_r13_text_with_nul_bytes_is_refused():
    assert "plain text" in refusal_message("notes.txt", b"hello\x00world")


def test_r13_non_utf8_content_recognised_as_binary_is_refused():
    fake_jpeg = b"\xff\xd8\xff\xe0" + b"\xe9" * 64  # no NUL, not UTF-8, a JPEG to filetype
    assert "plain text" in refusal_message("notes.txt", fake_jpeg)


# --- images -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    # 400 megapixels: over twice Pillow's MAX_IMAGE_PIXELS, so Pillow raises
    # DecompressionBombError; a 1-bit blank image compresses to a few kilobytes.
    return image_bytes("PNG", mode="1", size=(20_000, 20_000))


@pytest.fixture(scope="module")
def warning_png() -> bytes:
    # 100 megapixels: between MAX_IMAGE_PIXELS and twice it, so Pillow only warns.
    return image_bytes("PNG", mode="1", size=(10_000, 10_000))


def test_r13_the_sample_bombs_hit_pillows_error_and_warning(bomb_png, warning_png):
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None
    assert limit < 10_000 * 10_000
    assert 10_000 * 10_000 < 2 * limit < 20_000 * 20_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb_png))
    with pytest.warns(Image.DecompressionBombWarning):
        Image.open(io.BytesIO(warning_png)).close()


def test_r13_a_decompression_bomb_image_is_refused(bomb_png):
    assert len(bomb_png) < MAX * 100
    message = refusal_message("huge.png", bomb_png)
    assert message == ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name="huge.png")


def test_r13_pillows_decompression_bomb_warning_counts_as_a_refusal(warning_png):
    max_pixels = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # even when the caller ignores warnings
        message = refusal_message("large.png", warning_png)
    assert message == ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name="large.png")
    max_pixels_after = Image.MAX_IMAGE_PIXELS
    assert max_pixels_after == max_pixels  # the global is left alone


def test_r13_a_truncated_png_is_refused():
    content = image_bytes("PNG", size=(64, 64))
    truncated = content[: len(content) // 2]
    assert refusal_message("cut.png", truncated) == ATTACHMENT_IMAGE_UNREADABLE_MSG.format(
        name="cut.png"
    )


def test_r13_a_corrupt_png_is_refused():
    content = bytearray(image_bytes("PNG", size=(64, 64)))
    idat = content.index(b"IDAT")
    content[idat + 8] ^= 0xFF  # damage the compressed pixels; the chunk CRC no longer matches
    assert "could not be read as an image" in refusal_message("bad.png", bytes(content))


@pytest.mark.parametrize("name", ["bad.jpg", "bad.gif", "bad.tif", "bad.bmp"])
def test_r13_an_image_with_only_a_valid_signature_is_refused(name):
    signatures = {".jpg": JPEG, ".gif": GIF, ".tif": TIFF, ".bmp": BMP}
    content = signatures[name[3:]][:8] + b"\xff" * 8
    assert refusal_message(name, content) == ATTACHMENT_IMAGE_UNREADABLE_MSG.format(name=name)


# --- display names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.ini.txt", "win.ini.txt"),
        ("C:\\x\\report.pdf", "report.pdf"),
        ("/var/www/.hidden.txt", "hidden.txt"),
    ],
)
def test_r13_path_components_are_removed_from_the_displayed_name(name, shown):
    content = PDF if shown.endswith(".pdf") else b"text"
    assert check(name, content).display_name == shown


def test_r13_a_bidi_override_cannot_disguise_an_executable():
    # Shown by a bidi-aware renderer as "invoiceexe.pdf"; the real extension is .exe.
    message = refusal_message("invoice\u202efdp.exe", EXE)
    assert "\u202e" not in message
    assert message == ATTACHMENT_TYPE_NOT_ALLOWED_MSG.format(
        name="invoicefdp.exe",
        allowed=".txt, .pdf, .doc, .docx, .jpg, .jpeg, .gif, .tif, .tiff, .bmp, .png",
    )


def test_r13_control_format_and_bidi_characters_are_stripped_from_the_displayed_name():
    name = "re\x00po\x1b[31mrt\u200b\u202e\u2066\ufeff\x7f.pdf"
    assert check(name, PDF).display_name == "repo[31mrt.pdf"


def test_r13_whitespace_is_collapsed_and_leading_dots_removed():
    assert display_name_clean("  ..my \t\n  scan  .pdf") == ("my scan .pdf", ".pdf")
    assert display_name_clean("report.pdf. . ") == ("report.pdf", ".pdf")


@pytest.mark.parametrize("name", [".pdf", "../.pdf", "\u202e.pdf", "   .pdf"])
def test_r13_a_name_with_nothing_left_falls_back_to_attachment(name):
    assert check(name, PDF).display_name == "attachment.pdf"


def test_r13_long_names_are_shortened_keeping_the_extension():
    shown = check("x" * 400 + ".pdf", PDF).display_name
    assert len(shown) == DISPLAY_NAME_MAX_CHARS
    assert shown == "x" * (DISPLAY_NAME_MAX_CHARS - 4) + ".pdf"


# --- count --------------------------------------------------------------------------------


def test_r13_too_many_files_are_refused():
    files = [IncomingAttachment(f"{n}.txt", b"text") for n in range(4)]
    checked, refusal = attachments_check(files[:3], max_bytes=MAX, max_count=3)
    assert (len(checked), refusal) == (3, None)
    checked, refusal = attachments_check(files, max_bytes=MAX, max_count=3)
    assert checked == []
    assert refusal == Refusal(
        rule="R13", message=TOO_MANY_ATTACHMENTS_MSG.format(max_count=3, count=4)
    )


def test_r13_too_many_files_are_refused_before_any_file_is_read():
    files = [IncomingAttachment("bad.pdf", EXE), IncomingAttachment("ok.txt", b"text")]
    _, refusal = attachments_check(files, max_bytes=MAX, max_count=1)
    assert refusal is not None
    assert refusal.message == TOO_MANY_ATTACHMENTS_MSG.format(max_count=1, count=2)


def test_r13_one_refused_file_refuses_the_list():
    files = [IncomingAttachment("ok.txt", b"text"), IncomingAttachment("bad.pdf", EXE)]
    checked, refusal = attachments_check(files, max_bytes=MAX, max_count=10)
    assert checked == []
    assert refusal is not None
    assert refusal.rule == "R13"
    assert "bad.pdf" in refusal.message


def test_r13_the_first_refused_file_gives_the_refusal():
    files = [
        IncomingAttachment("ok.txt", b"text"),
        IncomingAttachment("bad.pdf", EXE),
        IncomingAttachment("setup.exe", EXE),
    ]
    _, refusal = attachments_check(files, max_bytes=MAX, max_count=10)
    assert refusal == Refusal(
        rule="R13", message=ATTACHMENT_CONTENT_MISMATCH_MSG.format(name="bad.pdf", kind="PDF")
    )


def test_r13_an_animated_png_is_a_png():
    # filetype.guess() calls this "image/apng"; the .png check must still accept it.
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (4, 3), color=c) for c in ((0, 0, 0), (255, 0, 0))]
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:])
    content = buffer.getvalue()
    assert b"acTL" in content
    assert check("anim.png", content).content_type == "image/png"
