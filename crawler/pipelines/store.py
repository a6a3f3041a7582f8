"""Store pipeline: writes reports, sightings, captures, failures and the crawl run."""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from twisted.python.failure import Failure

from archive.db import open_archive
from archive.near_duplicates import NearDuplicateConfig
from archive.store import (
    STORAGE_FAILED,
    CaptureRecord,
    PortalRecord,
    ReportRecord,
    finish_run,
    record_capture,
    record_failure,
    set_capture_charset,
    start_run,
    store_report,
    upsert_portals,
)
from archive.vocabulary import Stage
from crawler.items import REPORT_PAGE_META, FetchFailure, ReportPage
from crawler.pipelines.dedupe import near_duplicate_config
from crawler.responses import header_text
from crawler.stats_keys import RUN_ID_STAT, STORAGE_FAILURES_STAT
from crawler.warc import WarcPointer

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(
        self, crawler: Crawler, db_url: str | None, near_duplicates: NearDuplicateConfig
    ) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.near_duplicates = near_duplicates
        self.engine: Engine | None = None
        self.run_id: int | None = None
        self.portal_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        near_duplicates = near_duplicate_config(settings)
        pipeline = cls(crawler, settings.get("NIANBAO_DB_URL") or None, near_duplicates)
        crawler.signals.connect(pipeline.record_response, signal=signals.response_received)
        crawler.signals.connect(pipeline.record_item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.record_redirect_loop, signal=signals.request_dropped)
        # The run is finished here, not in close_spider: only spider_closed carries the
        # real reason (finished, shutdown on SIGTERM, closespider_timeout, …).
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.engine = open_archive(self.db_url)
        spider = self.crawler.spider
        portals = [
            PortalRecord(p.name, p.homepage, p.host, p.level, p.division_code)
            for p in spider.portals  # type: ignore[union-attr]
        ]
        with self._session() as session, session.begin():
            self.run_id = start_run(session)
            self.portal_ids = upsert_portals(session, portals)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(RUN_ID_STAT, self.run_id)
        logger.info("crawl run %s started on %d portals", self.run_id, len(portals))

    def finish(self, reason: str) -> None:
        """Record how the run ended; a run whose storage failed is not `finished`."""
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0) if stats else 0
        if self._storage_failures():
            reason = STORAGE_FAILED
        try:
            with self._session() as session, session.begin():
                run = finish_run(session, self.run_id or 0, reason, int(pages))
                logger.info(
                    "crawl run %s (%s): %d pages, %d new reports, %d new sightings, %d failures",
                    run.id,
                    reason,
                    run.pages_fetched,
                    run.reports_new,
                    run.sightings_new,
                    run.failures,
                )
        except (SQLAlchemyError, OSError) as error:
            self._note_storage_failure(f"recording the end of run {self.run_id}", error)
        if reason == STORAGE_FAILED:
            logger.error(
                "crawl run %s: storage failed %d times; what was not stored is fetched again "
                "next run",
                self.run_id,
                self._storage_failures(),
            )
        if self.engine is not None:
            self.engine.dispose()

    def _storage_failures(self) -> int:
        stats = self.crawler.stats
        return int(stats.get_value(STORAGE_FAILURES_STAT, 0)) if stats else 0

    def _note_storage_failure(self, what: str, error: BaseException) -> None:
        """One ERROR line; the run will be recorded as failed and `scrapy crawl` exit 1."""
        logger.error("storage failed: %s: %s: %s", what, type(error).__name__, error)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(STORAGE_FAILURES_STAT)

    def _session(self) -> Session:
        return Session(self.engine)

    def record_response(self, response: Response, request: Request) -> None:
        """Every fetch becomes a capture row, whatever happens to the page afterwards."""
        warc: WarcPointer | None = response.meta.get("warc")
        capture = CaptureRecord(
            url=response.url,
            status=response.status,
            content_type=header_text(response, "Content-Type"),
            charset=response.encoding if isinstance(response, TextResponse) else None,
            size=len(response.body),
            digest="sha256:" + hashlib.sha256(response.body).hexdigest(),
            etag=header_text(response, "ETag"),
            last_modified=header_text(response, "Last-Modified"),
            warc_file=warc.warc_file if warc else None,
            warc_record_id=warc.record_id if warc else None,
            warc_offset=warc.offset if warc else None,
        )
        try:
            with self._session() as session, session.begin():
                record_capture(session, self.run_id, capture)
        except (SQLAlchemyError, OSError) as error:
            self._note_storage_failure(f"capture of {response.url}", error)

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
            self._note_storage_failure(item.url, error)
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
            self._note_storage_failure(url, error)
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
            with self._session() as session, session.begin():
                record_failure(session, self.run_id, failure.url, failure.stage, failure.message)
        except (SQLAlchemyError, OSError) as error:
            logger.error("storage failed: failure row of %s: %s", failure.url, error)

    def _store_item(self, item: object) -> None:
        with self._session() as session, session.begin():
            if isinstance(item, FetchFailure):
                record_failure(session, self.run_id, item.url, item.stage, item.message)
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
            self.run_id,
            item.url,
            page.charset,
            page.charset_source,
            page.charset_confident,
        )
        portal_id = self.portal_ids.get(item.portal_homepage)
        outcome = store_report(
            session,
            record,
            item.content_key,
            self.run_id,
            portal_id,
            self.near_duplicates,
            signature=item.signature,
        )
        if outcome.is_new_report:
            logger.info(
                "new report %d (%s): %s (%s)",
                outcome.report_id,
                outcome.match,
                record.title,
                item.url,
            )
