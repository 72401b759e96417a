"""R13: which files may be attached (by extension), and whether a file's content is what its
extension promises: PDF and images by filetype's signatures, Word and text by the checks here."""

import io
import zipfile
from collections.abc import Callable

import filetype  # type: ignore[import-untyped]  # ships neither types nor a py.typed marker

# Extension -> MIME type stored and served with the file. Legacy-encoded text (valid text,
# but not UTF-8) is served as LEGACY_TEXT_CONTENT_TYPE so the browser picks the charset.
CONTENT_TYPES: dict[str, str] = {
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".bmp": "image/bmp",
    ".png": "image/png",
}
LEGACY_TEXT_CONTENT_TYPE = "text/plain"
ALLOWED_EXTENSIONS: frozenset[str] = frozenset(CONTENT_TYPES)

# Extension -> the Pillow format its content must decode as.
IMAGE_FORMATS: dict[str, str] = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".bmp": "BMP",
    ".png": "PNG",
}

# Extension -> how the kind is named in refusal messages.
KIND_LABELS: dict[str, str] = {
    ".txt": "plain text",
    ".pdf": "PDF",
    ".doc": "Word (.doc)",
    ".docx": "Word (.docx)",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".bmp": "BMP image",
    ".png": "PNG image",
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Every Word 97-2003 document has a "WordDocument" stream; directory entry names are UTF-16LE.
# This tells a .doc from other OLE2 files (.xls, .ppt, .msi) without a full OLE2 parser.
_WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"


def _signature_matcher(mime: str) -> Callable[[bytes], bool]:
    """filetype's magic-number matcher for exactly one type, as a predicate on the content.

    One matcher per extension, not `filetype.guess()`: guess returns the first of its types
    that matches, so an animated PNG would come back as "image/apng" and be refused as a .png.
    Only the signature is judged here; images are then decoded by Pillow in the promised format.
    """
    kind = filetype.get_type(mime=mime)
    if kind is None:  # a filetype release without this type: fail at import, not per file
        raise LookupError(f"filetype has no matcher for {mime}")

    def matches(content: bytes) -> bool:
        return filetype.match(content, matchers=(kind,)) is not None

    return matches


# Hand-written, because filetype cannot tell: its Doc matcher only recognises a .doc whose
# WordDocument stream happens to start right after the OLE2 header (the Word FIB magic at
# byte 512) or that carries one fixed CompObj record, so it refuses valid .doc files laid out
# otherwise; and an OLE2 signature alone is shared by .xls, .ppt and .msi files.
def _is_doc(content: bytes) -> bool:
    return content.startswith(_OLE2_MAGIC) and _WORD_STREAM_NAME in content


# Hand-written, because filetype cannot tell: its Docx matcher reads only the names of the
# first five zip entries, so it accepts a macro-enabled .docm renamed .docx (the macros sit in
# word/vbaProject.bin) and misses packages whose word/ parts come later. The zip directory has
# to be read for that, and then the Word parts are checked from it too.
def _is_docx(content: bytes) -> bool:
    # The local-header check refuses executables with a zip appended (self-extracting archives),
    # which zipfile would otherwise open from the central directory at the end.
    if not content.startswith(_ZIP_LOCAL_HEADER):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except Exception:  # any error reading the zip directory means "not a .docx"
        return False
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        return False
    # A macro-enabled document (.docm) renamed .docx.
    return "word/vbaProject.bin" not in names


# Hand-written for .txt, because filetype has no notion of text: it only names binary formats.
def _text_content_type(content: bytes) -> str | None:
    """The content type for text content, or None when the content isn't text.

    UTF-8 (with or without BOM) without NUL bytes is text. Other NUL-free content is accepted
    as legacy-encoded text (e.g. Windows-1252) unless `filetype` recognises a binary format.
    filetype is not asked about UTF-8, where it misfires: any text starting "BM" is a "BMP"
    and any text starting "MZ" an "EXE" to it.
    """
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        if filetype.guess(content) is not None:
            return None
        return LEGACY_TEXT_CONTENT_TYPE
    return CONTENT_TYPES[".txt"]


# A PNG renamed .jpg (or any image under another image's extension) is refused: the extension
# must match the content, so stored files are always served with their real type. PDF and the
# images are recognised by filetype's signatures, the Word formats by the checks above.
_CONTENT_MATCHES: dict[str, Callable[[bytes], bool]] = {
    ".doc": _is_doc,
    ".docx": _is_docx,
    **{
        extension: _signature_matcher(CONTENT_TYPES[extension])
        for extension in (".pdf", *IMAGE_FORMATS)
    },
}


def content_type_matching(extension: str, content: bytes) -> str | None:
    """The content type to store and serve `content` with, or None when the content is not
    what `extension` (one of ALLOWED_EXTENSIONS) promises."""
    if extension == ".txt":
        return _text_content_type(content)
    if not _CONTENT_MATCHES[extension](content):
        return None
    return CONTENT_TYPES[extension]
