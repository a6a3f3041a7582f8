"""The health extension: per portal and run, pages fetched, reports found and errors, with
warnings when a portal that yielded reports before yields none, or a column's list page no
longer has the shape its earlier capture had (items, pager); and what the recall safety net
did where it explored, with a warning and the columns it tried where it found nothing.
Portals the run did not reach get no row; "no report found" is only said of a portal the run
completed (an interrupted run did not look everywhere)."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.crawl_state import previous_capture
from archive.health import (
    HealthRecord,
    SafetyNetRecord,
    has_found_reports_before,
    record_health,
)
from archive.raw_captures import CaptureNotFound, read_capture_body
from archive.vocabulary import VisitOutcome
from crawler.archive_context import ArchiveContext, archive_context
from crawler.discovery.column_shape import ListShape, read_list_shape, shape_warnings
from crawler.discovery.links import is_same_site, page_links
from crawler.discovery.list_items import list_item_dates
from crawler.discovery.safety_net import SafetyNetOutcome
from crawler.items import FetchFailure, ReportPage
from crawler.warc import warc_folder

logger = logging.getLogger(__name__)

NO_REPORTS_WARNING = "no report found, though earlier runs found some"
# The log line lists this many of the pages the safety net tried; the health row has all.
TRIED_COLUMNS_SHOWN = 10


class PortalHealthExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pages: Counter[str] = Counter()
        self.reports: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        # Portals that gave a report in this job, across a JOBDIR pause (see keep_across_resume).
        self.reported_in_job: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalHealthExtension:
        if not crawler.settings.getbool("NIANBAO_HEALTH_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.count_response, signal=signals.response_received)
        crawler.signals.connect(extension.count_item, signal=signals.item_scraped)
        crawler.signals.connect(extension.write_health, signal=signals.spider_closed)
        crawler.signals.connect(extension.keep_across_resume, signal=signals.spider_opened)
        return extension

    def keep_across_resume(self, spider: Spider) -> None:
        """With JOBDIR, Scrapy keeps `spider.state` (a dict, set just before) across a pause: the
        portals that gave reports before the pause are kept there, so a resumed run that finds
        no more on such a portal does not warn that it stopped publishing."""
        job_state = getattr(spider, "state", None)
        if isinstance(job_state, dict):
            self.reported_in_job = job_state.setdefault("health_reported", self.reported_in_job)

    def count_response(self, response: Response, request: Request) -> None:
        self.pages[request.meta.get("homepage", "")] += 1

    def count_item(self, item: Any) -> None:
        if isinstance(item, ReportPage) and item.verdict is not None and item.verdict.is_report:
            self.reports[item.portal_homepage] += 1
            self.reported_in_job.add(item.portal_homepage)
        elif isinstance(item, FetchFailure):
            self.errors[item.portal_homepage] += 1

    @property
    def context(self) -> ArchiveContext:
        return archive_context(self.crawler)

    def write_health(self) -> None:
        """Listed before the archive context, so the rows are written while the run is open
        and a database error here still fails the run's storage."""
        context = self.context
        if not context.is_open:
            return
        try:
            with context.session() as session, session.begin():
                records = [
                    self._health(session, context.run_id, homepage)
                    for homepage in (p.homepage for p in context.portals)
                    if context.completion.outcome(homepage) != VisitOutcome.NOT_VISITED
                ]
                record_health(session, context.run_id, records)
        except (SQLAlchemyError, OSError) as error:
            context.note_storage_failure("portal health rows", error)

    def _health(self, session: Session, run_id: int, homepage: str) -> HealthRecord:
        seen = self.context.portal(homepage)
        found = self.reports[homepage] + seen.known_reports
        # Reports behind an unchanged list page are still there, only not re-read; a portal
        # the run did not complete was not looked at everywhere.
        warnings = (
            [NO_REPORTS_WARNING]
            if found == 0
            and seen.unchanged_lists == 0
            and self.context.is_completed(homepage)
            and homepage not in self.reported_in_job
            and has_found_reports_before(session, run_id, homepage)
            else []
        )
        warnings += self._column_warnings(session, run_id, homepage, seen.thin_lists)
        net = seen.safety_net
        if net is not None and not net.found:
            logger.info("%s: %s", homepage, fruitless_safety_net(net))
        for warning in warnings:
            logger.warning("%s: %s", homepage, warning)
        return HealthRecord(
            homepage,
            self.pages[homepage],
            found,
            self.errors[homepage],
            (*warnings,),
            SafetyNetRecord(net.reason, net.pages, net.found, net.tried) if net else None,
        )

    def _column_warnings(
        self, session: Session, run_id: int, homepage: str, thin: dict[str, ListShape]
    ) -> list[str]:
        """Compare each changed list page that looks thin with its earlier capture."""
        warnings = []
        for url, now in sorted(thin.items()):
            before = self._earlier_shape(session, url, run_id, homepage)
            if before is not None:
                warnings += shape_warnings(url, before, now)
        return warnings

    def _earlier_shape(
        self, session: Session, url: str, run_id: int, homepage: str
    ) -> ListShape | None:
        """The shape of the page's latest earlier capture, read back from its WARC record;
        None when there is none (WARC off, files moved)."""
        capture = previous_capture(session, url, run_id)
        if capture is None:
            return None
        try:
            body = read_capture_body(
                self._warc_dir, capture.warc_file, capture.warc_offset, capture.warc_record_id
            )
        except (OSError, CaptureNotFound) as error:
            logger.debug("no earlier capture of %s to compare: %s", url, error)
            return None
        headers = {"Content-Type": capture.content_type} if capture.content_type else {}
        page = HtmlResponse(url, body=body, headers=headers)
        links = [
            link for link in page_links(page.selector, url) if is_same_site(link.url, homepage)
        ]
        return read_list_shape(page.text, links, len(list_item_dates(page.selector)))

    @property
    def _warc_dir(self) -> Path:
        settings = self.crawler.settings
        return warc_folder(settings.get("NIANBAO_WARC_DIR"), settings.get("NIANBAO_DB_URL"))


def fruitless_safety_net(net: SafetyNetOutcome) -> str:
    shown = ", ".join(net.tried[:TRIED_COLUMNS_SHOWN])
    more = len(net.tried) - TRIED_COLUMNS_SHOWN
    tried = f"{shown} and {more} more" if more > 0 else shown or "none worth a request"
    return f"safety net ({net.reason}) found no report in {net.pages} pages; tried: {tried}"
