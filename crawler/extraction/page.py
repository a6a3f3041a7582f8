"""Entry point of extraction: raw page bytes in, one frozen ExtractedPage out."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction import metadata, signature
from crawler.extraction.body import extract_attachments, extract_body
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
    dates: tuple[DateCandidate, ...]
    attachments: tuple[str, ...]

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


def extract_page(
    body: bytes,
    url: str,
    *,
    declared_charset: str | None = None,
    last_modified: str | None = None,
) -> ExtractedPage:
    """Decode, parse and extract a detail page (declared_charset from the HTTP header)."""
    html_text, charset = decode_html(body, declared_charset)
    tree = parse_tree(html_text)
    title = metadata.extract_title(tree)
    text = extract_body(html_text, tree, title)
    lines = text.splitlines()
    dates = collect_dates(tree, url, title, lines, last_modified)
    return ExtractedPage(
        url=url,
        title=title,
        published_at=pick_date(dates, PUBLISHED_SOURCES),
        written_at=pick_date(dates, WRITTEN_SOURCES),
        publisher=metadata.extract_publisher(tree),
        issuer=metadata.extract_issuer(title) or signature.signer(lines),
        host_site=metadata.extract_host_site(tree),
        site_code=metadata.extract_site_code(tree),
        report_year=metadata.extract_report_year(title, lines),
        text=text,
        charset=charset,
        dates=dates,
        attachments=extract_attachments(tree, url),
    )


def collect_dates(
    tree: lxml_html.HtmlElement,
    url: str,
    title: str | None,
    lines: list[str],
    last_modified: str | None,
) -> tuple[DateCandidate, ...]:
    """All date candidates: page markup and URL, HTTP Last-Modified, the signature date."""
    found = metadata.date_candidates(tree, url, title)
    for extra in (date_from_http(last_modified), signature.signature_date(lines)):
        if extra is not None:
            found.append(extra)
    return tuple(found)
