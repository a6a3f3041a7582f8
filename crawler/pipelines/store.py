"""Store pipeline: writes reports, sightings, captures, failures and the crawl run."""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.near_duplicates import NearDuplicateConfig
from archive.store import (
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
from crawler.items import FetchFailure, ReportPage
from crawler.pipelines.dedupe import near_duplicate_config
from crawler.responses import header_text
from crawler.stats_keys import RUN_ID_STAT
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

    def close_spider(self) -> None:
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0) if stats else 0
        reason = (stats.get_value("finish_reason") if stats else None) or "finished"
        with self._session() as session, session.begin():
            run = finish_run(session, self.run_id or 0, str(reason), int(pages))
            logger.info(
                "crawl run %s: %d pages, %d new reports, %d new sightings, %d failures",
                run.id,
                run.pages_fetched,
                run.reports_new,
                run.sightings_new,
                run.failures,
            )
        if self.engine is not None:
            self.engine.dispose()

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
        with self._session() as session, session.begin():
            record_capture(session, self.run_id, capture)

    def process_item(self, item: object) -> object:
        try:
            self._store_item(item)
        except IntegrityError:
            # Another crawler process stored the same report between our read and our
            # write; in a fresh transaction this page becomes a sighting of that report.
            self._store_item(item)
        return item

    def _store_item(self, item: object) -> None:
        with self._session() as session, session.begin():
            if isinstance(item, FetchFailure):
                record_failure(session, self.run_id, item.url, item.stage, item.message)
            elif isinstance(item, ReportPage) and item.extracted is not None:
                self._store(session, item)

    def _store(self, session: Session, item: ReportPage) -> None:
        page = item.extracted
        assert page is not None and item.content_key is not None
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
