"""Dedupe pipeline: computes the content key and finds the canonical report it matches."""

from __future__ import annotations

from scrapy.crawler import Crawler
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.dedupe import content_key
from archive.store import find_report_id
from crawler.items import ReportPage


class DedupePipeline:
    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self.engine: Engine | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.settings.get("NIANBAO_DB_URL") or None)

    def open_spider(self) -> None:
        self.engine = open_archive(self.db_url)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: object) -> object:
        if not isinstance(item, ReportPage) or item.extracted is None:
            return item
        item.content_key = content_key(item.extracted.text)
        with Session(self.engine) as session:
            item.known_report_id = find_report_id(session, item.content_key)
        return item
