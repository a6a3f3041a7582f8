"""The health extension: per portal and run, pages fetched, reports found and errors, with
warnings when a portal that yielded reports before yields none, or a column's list page no
longer has the shape its earlier capture had (items, pager); and what the recall safety net
did where it explored, with a warning and the columns it tried where it found nothing."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from sqlalchemy.orm import Session

from archive.crawl_state import previous_capture
from archive.db import open_archive
from archive.health import (
    HealthRecord,
    SafetyNetRecord,
    has_found_reports_before,
    record_health,
)
from archive.raw_captures import CaptureNotFound, read_capture_body
from crawler.discovery.column_shape import ListShape, read_list_shape, shape_warnings
from crawler.discovery.links import is_same_site, page_links
from crawler.discovery.list_items import list_item_dates
from crawler.discovery.safety_net import SafetyNetOutcome
from crawler.items import FetchFailure, ReportPage
from crawler.stats_keys import (
    KNOWN_REPORTS_STAT,
    RUN_ID_STAT,
    SAFETY_NET_STAT,
    THIN_LISTS_STAT,
    UNCHANGED_LISTS_STAT,
)
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

    def _stat(self, key: str) -> int:
        stats = self.crawler.stats
        return int(stats.get_value(key, 0)) if stats is not None else 0

    def write_health(self) -> None:
        spider = self.crawler.spider
        homepages = [p.homepage for p in getattr(spider, "portals", [])]
        engine = open_archive(self.crawler.settings.get("NIANBAO_DB_URL") or None)
        with Session(engine) as session, session.begin():
            run_id = self.crawler.stats.get_value(RUN_ID_STAT) if self.crawler.stats else None
            if run_id is None:  # the store pipeline never opened a run: nothing to attach to
                return
            records = []
            for homepage in homepages:
                found = self.reports[homepage] + self._stat(KNOWN_REPORTS_STAT + homepage)
                # Reports behind an unchanged list page are still there, only not re-read.
                unchanged = self._stat(UNCHANGED_LISTS_STAT + homepage) > 0
                # A portal this run never touched (cut short, or done before a JOBDIR pause)
                # found nothing because it was not looked at.
                touched = self.pages[homepage] > 0 or self.errors[homepage] > 0
                warnings = (
                    [NO_REPORTS_WARNING]
                    if found == 0
                    and touched
                    and homepage not in self.reported_in_job
                    and not unchanged
                    and has_found_reports_before(session, run_id, homepage)
                    else []
                )
                warnings += self._column_warnings(session, run_id, homepage)
                net = self._safety_net(homepage)
                if net is not None and not net.found:
                    logger.info("%s: %s", homepage, fruitless_safety_net(net))
                for warning in warnings:
                    logger.warning("%s: %s", homepage, warning)
                records.append(
                    HealthRecord(
                        homepage,
                        self.pages[homepage],
                        found,
                        self.errors[homepage],
                        (*warnings,),
                        SafetyNetRecord(net.reason, net.pages, net.found, net.tried)
                        if net
                        else None,
                    )
                )
            record_health(session, run_id, records)
        engine.dispose()

    def _safety_net(self, homepage: str) -> SafetyNetOutcome | None:
        stats = self.crawler.stats
        outcome = stats.get_value(SAFETY_NET_STAT + homepage) if stats is not None else None
        return outcome if isinstance(outcome, SafetyNetOutcome) else None

    def _column_warnings(self, session: Session, run_id: int, homepage: str) -> list[str]:
        """Compare each changed list page that looks thin with its earlier capture."""
        stats = self.crawler.stats
        thin: dict[str, ListShape] = (
            stats.get_value(THIN_LISTS_STAT + homepage, {}) if stats else {}
        )
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
