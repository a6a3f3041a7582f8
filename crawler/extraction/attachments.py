"""Text of report attachments: PDF (pypdf), DOCX and OFD (zip of XML); which files we can read."""

from __future__ import annotations

import io
import lzma
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from crawler.extraction.ocr import OcrFailed, open_image, pdf_page_images, recognise
from crawler.extraction.word97 import WordFormatError, read_word97
from crawler.file_kinds import IMAGE_KINDS, READABLE_KINDS

WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# OFD (GB/T 33190) pages: Doc_0/Pages/Page_0/Content.xml, text in ofd:TextCode elements.
OFD_PAGE_RE = re.compile(r"^Doc_(\d+)/Pages/Page_(\d+)/Content\.xml$")
WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")
# pypdf gives one line per printed line: a line about as wide as the page's widest was wrapped
# by the layout, not ended by its author (Word and WPS exports justify full lines).
WRAPPED_LINE_RATIO = 0.9
# Display columns (CJK 2, ASCII 1); a page whose widest line is narrower holds no wrapped prose
# (a cover, a signature, a short table), so its lines stay apart.
MIN_PROSE_WIDTH = 40
# A full line before a heading (一、 （二） 3. 第四章) still ends its paragraph.
HEADING_RE = re.compile(
    r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]\D|第.{1,3}[章节条]"
)
# Bounds on what one file may cost, checked before inflating (a 4 MB DOCX can inflate to
# 4 GB). A long report's document.xml is a few MB; 50 MB per member and 200 MB per file leave
# room for tables and embedded markup.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_INFLATED_BYTES = 200 * 1024 * 1024
# A DOCX holds ~20 parts and an OFD a few per page; thousands of members are a bomb, not a file.
MAX_ZIP_MEMBERS = 5000
# Deflate's ceiling is ~1030:1, reached only by padding; prose markup compresses far less than
# 200:1. Members under the floor are not ratio-checked: small, very repetitive parts
# stay readable.
MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024
INFLATE_CHUNK_BYTES = 1024 * 1024
# Reports run to tens of pages; a PDF of thousands is a catalogue or a page-tree trick.
# pypdf (>= 6.8) caps every decompressed stream at 75 MB itself (LimitReachedError).
MAX_PDF_PAGES = 1000


class UnreadableAttachment(ValueError):
    """The file is corrupt or not what its extension says."""


# What a damaged zip or OLE container raises while it is read, besides our own checks: a bad
# CRC (BadZipFile), a corrupt deflate, bzip2 or LZMA stream (zlib.error, OSError, LZMAError,
# EOFError), a compression method zipfile lacks (NotImplementedError), the encrypted flag
# (RuntimeError), structures pointing outside the file (struct.error, LookupError, ValueError,
# TypeError), XML that lxml gives up on (LxmlError). Each means "this file cannot be read".
CORRUPT_FILE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    struct.error,
    LookupError,
    ValueError,
    TypeError,
    etree.LxmlError,
)


@dataclass(frozen=True)
class AttachmentText:
    """Text read from one file. ocr_confidence is set when the text was recognised from page
    images; needs_ocr when the file has no text layer and OCR gave none (or was off)."""

    kind: str
    text: str
    needs_ocr: bool
    ocr_confidence: float | None = None


def attachment_kind(url: str) -> str | None:
    """The document kind named by a URL's extension (pdf, docx, ofd, doc, wps), or None."""
    suffix = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    return suffix if suffix in READABLE_KINDS else None


def extract_attachment_text(body: bytes, kind: str, ocr_max_pages: int = 0) -> AttachmentText:
    """Read the text of a file of a readable kind; raises UnreadableAttachment when corrupt.
    A scan (a PDF without a text layer, an image) is OCR'd up to ocr_max_pages pages (0: off)."""
    if kind in IMAGE_KINDS:
        return ocr_attachment(kind, lambda: [open_image(body)], ocr_max_pages)
    readers = {
        "pdf": read_pdf,
        "docx": read_docx,
        "ofd": read_ofd,
        "doc": read_doc,
        "wps": read_doc,
    }
    try:
        text = readers[kind](body).strip()
    except UnreadableAttachment:
        raise
    except CORRUPT_FILE_ERRORS as error:
        message = f"unreadable {kind.upper()}: {type(error).__name__}: {error}"
        raise UnreadableAttachment(message) from error
    if kind == "pdf" and not has_text(text):
        return ocr_attachment(kind, lambda: pdf_page_images(body, ocr_max_pages), ocr_max_pages)
    return AttachmentText(kind=kind, text=text, needs_ocr=not has_text(text))


def has_text(text: str) -> bool:
    return bool(WHITESPACE_RE.sub("", text))


def ocr_attachment(
    kind: str, images: Callable[[], list[Image.Image]], max_pages: int
) -> AttachmentText:
    """The scan's recognised text, its wrapped lines joined as for a PDF's text layer; the
    file stays flagged needs_ocr when OCR is off or finds no text."""
    if max_pages <= 0:
        return AttachmentText(kind=kind, text="", needs_ocr=True)
    try:
        recognised = recognise(images())
    except OcrFailed as error:
        raise UnreadableAttachment(f"unreadable {kind.upper()} scan: {error}") from error
    text = join_wrapped_lines(list(recognised.pages)).strip()
    if not has_text(text):
        return AttachmentText(kind=kind, text="", needs_ocr=True)
    return AttachmentText(kind, text, needs_ocr=False, ocr_confidence=recognised.confidence)


def read_pdf(body: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(body))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableAttachment(f"PDF of {len(reader.pages)} pages, past {MAX_PDF_PAGES}")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise UnreadableAttachment(f"unreadable PDF: {error}") from error
    return join_wrapped_lines(pages)


def read_doc(body: bytes) -> str:
    try:
        return read_word97(body)
    # olefile raises OSError on broken containers, ValueError on absurd sizes in their headers
    except (WordFormatError, OSError, ValueError) as error:
        raise UnreadableAttachment(f"unreadable DOC: {error}") from error


def join_wrapped_lines(pages: list[str]) -> str:
    """One line per paragraph: printed lines that the layout wrapped are joined back, across
    page breaks too, so a phrase split at a line end stays searchable."""
    paragraphs: list[str] = []
    is_open = False
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        widest = max(map(display_width, lines), default=0)
        for line in lines:
            if is_open and not HEADING_RE.match(line):
                glue = (
                    " " if is_latin_letter(paragraphs[-1][-1]) and is_latin_letter(line[0]) else ""
                )
                paragraphs[-1] += glue + line
            else:
                paragraphs.append(line)
            is_open = (
                widest >= MIN_PROSE_WIDTH and display_width(line) >= WRAPPED_LINE_RATIO * widest
            )
    return "\n".join(paragraphs)


def is_latin_letter(ch: str) -> bool:
    """Latin words split at a line end get their space back; CJK text and digits do not."""
    return ch.isascii() and ch.isalpha()


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def open_zip(body: bytes, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile as error:
        raise UnreadableAttachment(f"unreadable {kind.upper()}: {error}") from error
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        archive.close()
        raise UnreadableAttachment(f"{kind.upper()} of more than {MAX_ZIP_MEMBERS} members")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str, budget: int) -> bytes:
    """A member's bytes, refused before inflating when its declared size or ratio is past the
    limits. One zipfile read inflates as much as it is asked for, whatever the declared size
    (archive.read asks for 2 GB), and the surplus is dropped: chunked reads keep a lying member
    to one chunk past its declared size, where it stops and fails its CRC."""
    info = archive.getinfo(name)  # KeyError when absent, as archive.read
    label = f"{kind.upper()} member {name}"
    limit = min(MAX_MEMBER_BYTES, budget)
    if info.file_size > limit:
        raise UnreadableAttachment(f"{label} inflates past {mb(limit)} ({info.file_size} bytes)")
    if info.file_size > RATIO_FLOOR_BYTES and is_past_ratio(info.file_size, info.compress_size):
        raise UnreadableAttachment(f"{label} inflates past a ratio of {MAX_COMPRESSION_RATIO}:1")
    chunks = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(INFLATE_CHUNK_BYTES):
                chunks.append(chunk)
    # A corrupt header shows as any of these (a negative seek, a bogus method or flag).
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError) as error:
        message = f"unreadable {kind.upper()}: member {name} is corrupt: {error}"
        raise UnreadableAttachment(message) from error
    return b"".join(chunks)


def is_past_ratio(inflated: int, compressed: int) -> bool:
    return inflated > MAX_COMPRESSION_RATIO * max(compressed, 1)


def mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def parse_xml(data: bytes, kind: str) -> etree._Element:
    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        raise UnreadableAttachment(f"unreadable {kind.upper()} XML: {error}") from error


def read_docx(body: bytes) -> str:
    """One line per Word paragraph (w:p), tabs and breaks inside it as spaces."""
    with open_zip(body, "docx") as archive:
        try:
            document = read_member(archive, "word/document.xml", "docx", MAX_INFLATED_BYTES)
            root = parse_xml(document, "docx")
        except KeyError as error:
            raise UnreadableAttachment("DOCX without word/document.xml") from error
    lines = []
    for paragraph in root.iter(f"{WORD_NS}p"):
        parts = [
            node.text or "" if node.tag == f"{WORD_NS}t" else " "
            for node in paragraph.iter(f"{WORD_NS}t", f"{WORD_NS}tab", f"{WORD_NS}br")
        ]
        lines.append("".join(parts).strip())
    return "\n".join(line for line in lines if line)


def read_ofd(body: bytes) -> str:
    """Text of every OFD page in document and page order, one line per text object."""
    with open_zip(body, "ofd") as archive:
        pages = sorted(
            (tuple(int(n) for n in match.groups()), name)
            for name in archive.namelist()
            if (match := OFD_PAGE_RE.match(name))
        )
        lines = []
        budget = MAX_INFLATED_BYTES  # shared by the pages: many mid-sized pages add up
        for _, name in pages:
            content = read_member(archive, name, "ofd", budget)
            budget -= len(content)
            root = parse_xml(content, "ofd")
            for text_object in root.iter("{*}TextObject"):
                line = "".join(code.text or "" for code in text_object.iter("{*}TextCode"))
                if line.strip():
                    lines.append(line.strip())
    return "\n".join(lines)
