"""Items flowing through the pipelines: a fetched candidate page, then what was learnt of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.attachments import AttachmentRecord
from archive.vocabulary import TextSource
from crawler.classify import Verdict
from crawler.extraction.page import ExtractedPage

# Request meta key: True on requests for a (candidate) report page, absent on list pages; a
# failure's stage says which of the two it was.
REPORT_PAGE_META = "report_page"


@dataclass
class ReportPage:
    """A detail page that may hold a report; the pipelines fill in the later fields."""

    url: str
    status: int
    body: bytes
    portal_homepage: str
    content_type: str | None = None
    last_modified: str | None = None
    anchor_text: str = ""
    extracted: ExtractedPage | None = None
    verdict: Verdict | None = None
    content_key: str | None = None
    signature: bytes | None = None  # MinHash of the text, for near-duplicate matching
    # ATTACHMENT (or OCR) when extracted.text was replaced by the text of the linked report file.
    text_source: str = TextSource.PAGE
    attachment_url: str | None = None  # the file whose text became the report text
    needs_ocr: bool = False
    # The files the page links, fetched and read, and those that failed: stored with the page.
    attachments: list[AttachmentRecord] = field(default_factory=list)
    attachment_failures: list[FetchFailure] = field(default_factory=list)

    def failure(self, stage: str, message: str) -> FetchFailure:
        """The page's failure row, with the failures of the files it links."""
        return FetchFailure(
            self.url, stage, message, self.portal_homepage, self.attachment_failures
        )


@dataclass
class FetchFailure:
    """A page that could not be fetched or processed; stored as a failure record."""

    url: str
    stage: str  # a Stage
    message: str
    portal_homepage: str = ""
    # Failures of the files the page links, stored with its own.
    attachment_failures: list[FetchFailure] = field(default_factory=list)
    # For a file: the page that links it.
    page_url: str | None = None
