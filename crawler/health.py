"""The health extension: per portal and run, pages fetched, reports found and errors, with
a warning when a portal that yielded reports before yields none."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.health import HealthRecord, has_found_reports_before, record_health
from crawler.items import FetchFailure, ReportPage
from crawler.stats_keys import KNOWN_REPORTS_STAT, RUN_ID_STAT, UNCHANGED_LISTS_STAT

logger = logging.getLogger(__name__)

NO_REPORTS_WARNING = "no report found, though earlier runs found some"


class PortalHealthExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pages: Counter[str] = Counter()
        self.reports: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalHealthExtension:
        if not crawler.settings.getbool("NIANBAO_HEALTH_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.count_response, signal=signals.response_received)
        crawler.signals.connect(extension.count_item, signal=signals.item_scraped)
        crawler.signals.connect(extension.write_health, signal=signals.spider_closed)
        return extension

    def count_response(self, response: Response, request: Request) -> None:
        self.pages[request.meta.get("homepage", "")] += 1

    def count_item(self, item: Any) -> None:
        if isinstance(item, ReportPage) and item.verdict is not None and item.verdict.is_report:
            self.reports[item.portal_homepage] += 1
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
                warnings = (
                    (NO_REPORTS_WARNING,)
                    if found == 0
                    and not unchanged
                    and has_found_reports_before(session, run_id, homepage)
                    else ()
                )
                for warning in warnings:
                    logger.warning("%s: %s", homepage, warning)
                records.append(
                    HealthRecord(
                        homepage, self.pages[homepage], found, self.errors[homepage], warnings
                    )
                )
            record_health(session, run_id, records)
        engine.dispose()
