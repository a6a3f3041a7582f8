"""Attachment pipeline: fetches the PDF/DOCX/OFD files a report page links and reads their
text into the item; the store pipeline stores them with the page, in the same transaction,
once classification has kept it.

When the page only introduces the file, the file's text becomes the report text and the
file's URL is noted so the report is sighted there too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from scrapy.crawler import Crawler
from scrapy.http import Response

from archive.attachments import AttachmentRecord
from archive.vocabulary import Stage, TextSource
from crawler.classify import is_report_candidate
from crawler.extraction.attachments import (
    AttachmentText,
    UnreadableAttachment,
    attachment_kind,
)
from crawler.extraction.introduction import is_introduction
from crawler.fetch_guard import attachment_request
from crawler.items import FetchFailure, ReportPage
from crawler.responses import header_text
from crawler.worker_pool import ParsingFailure, ParsingPool, parsing_pool

logger = logging.getLogger(__name__)


class AttachmentPipeline:
    def __init__(
        self,
        crawler: Crawler,
        max_per_page: int,
        intro_max_share: float,
        ocr_max_pages: int,
        pool: ParsingPool,
    ) -> None:
        self.crawler = crawler
        self.pool = pool
        self.max_per_page = max_per_page
        self.intro_max_share = intro_max_share
        self.ocr_max_pages = ocr_max_pages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentPipeline:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getint("NIANBAO_ATTACHMENTS_PER_PAGE"),
            settings.getfloat("NIANBAO_INTRODUCTION_MAX_SHARE"),
            settings.getint("NIANBAO_OCR_MAX_PAGES") if settings.getbool("NIANBAO_OCR") else 0,
            parsing_pool(crawler),
        )

    async def process_item(self, item: object) -> object:
        if not isinstance(item, ReportPage) or item.extracted is None:
            return item
        page = item.extracted
        # Only report candidates (as classify would weigh them, letters included): files linked
        # from pages classify will drop are not fetched.
        if not page.attachments or not is_report_candidate(
            page.title or item.anchor_text, page.text
        ):
            return item
        texts = []
        for url in page.attachments[: self.max_per_page]:
            result = await self._fetch_and_read(item, url)
            if result is not None:
                texts.append((url, result))
        self._take_attachment_text(item, texts)
        if not any(text.text or text.needs_ocr for _, text in texts) and is_introduction(
            item.extracted.text, None, self.intro_max_share
        ):
            # The page only introduces files none of which could be read: not done, so the
            # next run fetches it again.
            logger.error("attachment failed: %s: no readable attachment", item.url)
            return item.failure(Stage.ATTACHMENT, "no readable attachment")
        return item

    def _take_attachment_text(
        self, item: ReportPage, texts: list[tuple[str, AttachmentText]]
    ) -> None:
        """When the page only introduces its files, the longest attachment text (recognised
        text of a scan too) becomes the report text; a scan OCR could not read flags needs_ocr."""
        assert item.extracted is not None
        readable = [(url, text) for url, text in texts if text.text]
        if readable:
            url, best = max(readable, key=lambda pair: len(pair[1].text))
            if is_introduction(item.extracted.text, best.text, self.intro_max_share):
                item.extracted = dataclasses.replace(item.extracted, text=best.text)
                item.text_source = (
                    TextSource.ATTACHMENT if best.ocr_confidence is None else TextSource.OCR
                )
                item.attachment_url = url
        elif any(text.needs_ocr for _, text in texts) and is_introduction(
            item.extracted.text, None, self.intro_max_share
        ):
            item.needs_ocr = True

    async def _fetch_and_read(self, item: ReportPage, url: str) -> AttachmentText | None:
        kind = attachment_kind(url)
        if kind is None:
            return None
        try:
            response = await self.crawler.engine.download_async(attachment_request(url))
        except Exception as error:  # a failed download must not lose the page
            self._fail(item, url, f"download failed: {type(error).__name__}: {error}")
            return None
        if response.status != 200:
            self._fail(item, url, f"HTTP {response.status}")
            return None
        result = await self._read(item, url, response.body, kind)
        item.attachments.append(attachment_record(item.url, response, result))
        return result

    async def _read(
        self, item: ReportPage, url: str, body: bytes, kind: str
    ) -> AttachmentText | None:
        try:
            result = await self.pool.read_attachment(body, kind, self.ocr_max_pages)
        except (UnreadableAttachment, ParsingFailure) as error:
            self._fail(item, url, str(error))
            return None
        if result.needs_ocr:
            logger.warning("attachment %s has no text layer and OCR found none", url)
        elif result.ocr_confidence is not None:
            logger.info("attachment %s read by OCR (confidence %.2f)", url, result.ocr_confidence)
        return result

    @staticmethod
    def _fail(item: ReportPage, url: str, message: str) -> None:
        logger.error("attachment %s: %s", url, message)
        failure = FetchFailure(
            url, Stage.ATTACHMENT, message, item.portal_homepage, page_url=item.url
        )
        item.attachment_failures.append(failure)


def attachment_record(
    page_url: str, response: Response, result: AttachmentText | None
) -> AttachmentRecord:
    """The file as fetched; text empty for a corrupt or unreadable file or a scan."""
    return AttachmentRecord(
        page_url=page_url,
        url=response.url,
        content_type=header_text(response, "Content-Type"),
        size=len(response.body),
        digest="sha256:" + hashlib.sha256(response.body).hexdigest(),
        text=result.text if result else "",
        needs_ocr=result.needs_ocr if result else False,
        ocr_confidence=result.ocr_confidence if result else None,
    )
