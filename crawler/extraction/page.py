"""Entry point of extraction: raw page bytes in, one frozen ExtractedPage out."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction import metadata, signature
from crawler.extraction.body import (
    BLOCK_TAGS,
    extract_attachments,
    extract_body,
    find_container,
)
from crawler.extraction.charset import decode_html
from crawler.extraction.dates import (
    PUBLISHED_SOURCES,
    WRITTEN_SOURCES,
    DateCandidate,
    date_from_http,
    pick_date,
)


@dataclass(frozen=True)
class ExtractedPage:
    """Everything read from one detail page; dates keeps every candidate and its source."""

    url: str
    title: str | None
    published_at: datetime.date | None
    written_at: datetime.date | None
    publisher: str | None
    issuer: str | None
    host_site: str | None
    site_code: str | None
    report_year: int | None
    text: str
    charset: str
    # How the charset was chosen (charset.DecodedHtml.source) and whether it is trustworthy.
    charset_source: str
    charset_confident: bool
    dates: tuple[DateCandidate, ...]
    attachments: tuple[str, ...]
    # <img> elements of the body (the whole page when no content container is found): a
    # page without text but with images is a scan to OCR, not an empty page.
    images: int = 0

    def metadata_record(self) -> dict[str, str | int | None]:
        """The chosen metadata as JSON-ready values (dates as YYYY-MM-DD)."""
        return {
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "written_at": self.written_at.isoformat() if self.written_at else None,
            "publisher": self.publisher,
            "issuer": self.issuer,
            "host_site": self.host_site,
            "report_year": self.report_year,
        }


# lxml refuses decoded text that still carries an XML encoding declaration (XHTML pages).
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_tree(html_text: str) -> lxml_html.HtmlElement:
    """Parse decoded HTML leniently; an empty document becomes an empty <html>."""
    cleaned = XML_DECLARATION_RE.sub("", html_text)
    if not cleaned.strip():
        return lxml_html.fromstring("<html></html>")
    try:
        return lxml_html.document_fromstring(cleaned)
    except etree.ParserError:  # only a doctype or comments: no element at all
        return lxml_html.fromstring("<html></html>")


# Real pages nest a few dozen elements deep. Past libxml2's limit (256) the rest of a page is
# silently cut off, and trafilatura and our tree walks recurse once per level: a page nested
# deeper than this is rewritten with the excess tags dropped (their text kept, in order).
MAX_NESTING = 128
# Elements without an end tag: they never open a level.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def parse_page(html_text: str) -> tuple[str, lxml_html.HtmlElement]:
    """The page's tree, and the text it was parsed from (flattened when nested too deep)."""
    tree = parse_tree(html_text)
    if nesting_depth(tree) > MAX_NESTING:
        html_text = flatten_nesting(html_text)
        tree = parse_tree(html_text)
    return html_text, tree


def nesting_depth(tree: lxml_html.HtmlElement) -> int:
    deepest, stack = 0, [(tree, 0)]
    while stack:  # no recursion: the tree may be thousands of levels deep
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


class _FlatteningWriter(HTMLParser):
    """Writes a page back out without the tags nested past MAX_NESTING. The stdlib
    tokenizer keeps no tree, so it has no depth limit of its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropped = 0  # start tags dropped and not yet closed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        is_kept = len(self.open) < MAX_NESTING and not self.dropped
        if is_kept:
            self.out.append(self.get_starttag_text() or "")
        elif tag in BLOCK_TAGS:
            self._break_line()
        if tag in VOID_ELEMENTS:
            return
        if is_kept:
            self.open.append(tag)
        else:
            self.dropped += 1

    def handle_endtag(self, tag: str) -> None:
        if self.dropped:
            self.dropped -= 1
            if tag in BLOCK_TAGS:
                self._break_line()
        elif tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
            self.out.append(f"</{tag}>")

    def _break_line(self) -> None:
        """A dropped block element still ends a line; one break for a run of them."""
        if not self.out or self.out[-1] != "<br>":
            self.out.append("<br>")

    def handle_data(self, data: str) -> None:
        if self.dropped and data.isspace():
            return  # the indentation between dropped tags would split runs of breaks
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")  # CMS body markers are comments (ZJEG_RSS)

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def flatten_nesting(html_text: str) -> str:
    writer = _FlatteningWriter()
    writer.feed(html_text)
    writer.close()
    return "".join(writer.out)


def extract_page(
    body: bytes,
    url: str,
    *,
    declared_charset: str | None = None,
    last_modified: str | None = None,
) -> ExtractedPage:
    """Decode, parse and extract a detail page (declared_charset from the HTTP header)."""
    decoded = decode_html(body, declared_charset)
    html_text, tree = parse_page(decoded.text)
    title = metadata.extract_title(tree)
    container = find_container(html_text, tree)
    text = extract_body(html_text, tree, title, container)
    lines = text.splitlines()
    closing = signature.read_signature(text)
    dates = collect_dates(tree, url, title, closing, last_modified)
    return ExtractedPage(
        url=url,
        title=title,
        published_at=pick_date(dates, PUBLISHED_SOURCES),
        written_at=pick_date(dates, WRITTEN_SOURCES),
        publisher=metadata.extract_publisher(tree),
        issuer=metadata.extract_issuer(title) or (closing.signer if closing else None),
        host_site=metadata.extract_host_site(tree),
        site_code=metadata.extract_site_code(tree),
        report_year=metadata.extract_report_year(title, lines),
        text=text,
        charset=decoded.charset,
        charset_source=decoded.source,
        charset_confident=decoded.confident,
        dates=dates,
        attachments=extract_attachments(tree, url),
        images=count_body_images(tree if container is None else container),
    )


# Images of the page's furniture: site logos, QR codes (二维码, ewm), icons, banners, and whatever
# sits in headers, footers, navigation or tool bars. They never make a page a scan.
CHROME_IMAGE_RE = re.compile(
    r"logo|qr|ewm|icon|banner|header|footer|nav|menu|tool|share|top|bottom", re.IGNORECASE
)


def count_body_images(scope: lxml_html.HtmlElement) -> int:
    """Images that may be the body (a scanned report): those of the content container (or of
    the page, without one) that are not the page's furniture."""
    return sum(1 for image in scope.iter("img") if not _is_chrome_image(image))


def _is_chrome_image(image: lxml_html.HtmlElement) -> bool:
    names = [image.get("src", ""), image.get("alt", "")]
    names += [f"{e.get('class', '')} {e.get('id', '')}" for e in image.iterancestors()]
    return any(CHROME_IMAGE_RE.search(name) for name in names)


def collect_dates(
    tree: lxml_html.HtmlElement,
    url: str,
    title: str | None,
    closing: signature.Signature | None,
    last_modified: str | None,
) -> tuple[DateCandidate, ...]:
    """All date candidates: page markup and URL, HTTP Last-Modified, the signature date."""
    found = metadata.date_candidates(tree, url, title)
    for extra in (date_from_http(last_modified), closing.date if closing else None):
        if extra is not None:
            found.append(extra)
    return tuple(found)
