"""Store pipeline: writes each kept page's report, sighting and attachments in one
transaction, and each failure, through the crawl's archive context (which owns the run:
crawler/archive_context.py)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from twisted.python.failure import Failure

from archive.attachments import store_attachment
from archive.near_duplicates import NearDuplicateConfig
from archive.store import ReportRecord, record_failure, set_capture_charset, store_report
from archive.vocabulary import Stage
from crawler.archive_context import ArchiveContext, archive_context
from crawler.items import REPORT_PAGE_META, FetchFailure, ReportPage
from crawler.pipelines.dedupe import near_duplicate_config

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, context: ArchiveContext, near_duplicates: NearDuplicateConfig) -> None:
        self.context = context
        self.near_duplicates = near_duplicates

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(archive_context(crawler), near_duplicate_config(crawler.settings))
        crawler.signals.connect(pipeline.record_item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.record_redirect_loop, signal=signals.request_dropped)
        return pipeline

    def record_redirect_loop(self, request: Request) -> None:
        """A redirect back to a URL of its own chain is dropped by the duplicate filter, with
        no errback: the page it started from gets its failure row here."""
        chain = request.meta.get("redirect_urls", [])
        if request.url not in chain:
            return  # an ordinary duplicate request
        message = "redirect loop: " + " -> ".join([*chain, request.url])
        stage = Stage.FETCH if request.meta.get(REPORT_PAGE_META) else Stage.DISCOVERY
        logger.error("%s failed: %s: %s", stage, chain[0], message)
        failure = FetchFailure(chain[0], stage, message, request.meta.get("homepage", ""))
        self.process_item(failure)

    def record_item_error(self, item: Any, failure: Failure) -> None:
        """A pipeline raised unexpectedly (Scrapy logs the traceback and drops the item):
        the page still gets a failure row, so it is not taken for done; a database or disk
        error on the way fails the run's storage."""
        if not isinstance(item, (ReportPage, FetchFailure)):
            return
        error = failure.value
        stage, message = Stage.PROCESS, f"{type(error).__name__}: {failure.getErrorMessage()}"
        if isinstance(error, (SQLAlchemyError, OSError)):
            stage = Stage.STORE
            self.context.note_storage_failure(item.url, error)
        self.process_item(FetchFailure(item.url, stage, message, item.portal_homepage))

    def process_item(self, item: object) -> object:
        try:
            try:
                self._store_item(item)
            except IntegrityError:
                # Another crawler process stored the same report between our read and our
                # write; in a fresh transaction this page becomes a sighting of that report.
                self._store_item(item)
        except (SQLAlchemyError, OSError) as error:
            url = getattr(item, "url", "")
            self.context.note_storage_failure(url, error)
            failure = FetchFailure(
                url, Stage.STORE, f"database error: {type(error).__name__}: {error}"
            )
            if isinstance(item, ReportPage | FetchFailure):
                failure.portal_homepage = item.portal_homepage
            self._record_failure_if_possible(failure)
            return failure
        return item

    def _record_failure_if_possible(self, failure: FetchFailure) -> None:
        """The failure row of a page that could not be stored, if the database takes it
        (on a full disk it may not: the run is then not finished, and its pages not known)."""
        try:
            with self.context.session() as session, session.begin():
                self._record_failure(session, failure)
        except (SQLAlchemyError, OSError) as error:
            logger.error("storage failed: failure row of %s: %s", failure.url, error)

    def _record_failure(self, session: Session, failure: FetchFailure) -> None:
        record_failure(
            session,
            self.context.run_id,
            failure.url,
            failure.stage,
            failure.message,
            failure.page_url,
        )

    def _store_item(self, item: object) -> None:
        with self.context.session() as session, session.begin():
            if isinstance(item, FetchFailure):
                for failure in (item, *item.attachment_failures):
                    self._record_failure(session, failure)
            elif isinstance(item, ReportPage) and item.extracted is not None:
                self._store(session, item)

    def _store(self, session: Session, item: ReportPage) -> None:
        page = item.extracted
        assert page is not None
        record = ReportRecord(
            url=item.url,
            host=urlsplit(item.url).hostname or "",
            title=page.title or item.anchor_text,
            text=page.text,
            report_year=page.report_year,
            published_at=page.published_at,
            written_at=page.written_at,
            publisher=page.publisher,
            issuer=page.issuer,
            host_site=page.host_site,
            page_dates=tuple((d.source, d.value.isoformat()) for d in page.dates),
            text_source=item.text_source,
            needs_ocr=item.needs_ocr,
            attachment_url=item.attachment_url,
        )
        set_capture_charset(
            session,
            self.context.run_id,
            item.url,
            page.charset,
            page.charset_source,
            page.charset_confident,
        )
        portal_id = self.context.portal_ids.get(item.portal_homepage)
        outcome = store_report(
            session,
            record,
            item.content_key,
            self.context.run_id,
            portal_id,
            self.near_duplicates,
            signature=item.signature,
        )
        # The files the page links, and those that failed, with the page: all or nothing.
        for attachment in item.attachments:
            store_attachment(session, attachment)
        for failure in item.attachment_failures:
            self._record_failure(session, failure)
        if outcome.is_new_report:
            logger.info(
                "new report %d (%s): %s (%s)",
                outcome.report_id,
                outcome.match,
                record.title,
                item.url,
            )
