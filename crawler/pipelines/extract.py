"""Extraction pipeline: turns a fetched page's bytes into text and metadata."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from w3lib.encoding import http_content_type_encoding

from archive.vocabulary import Stage
from crawler.items import FetchFailure, ReportPage
from crawler.worker_pool import ParsingPool, parsing_pool

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, pool: ParsingPool) -> None:
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(parsing_pool(crawler))

    async def process_item(self, item: object) -> object:
        if not isinstance(item, ReportPage):
            return item
        declared = http_content_type_encoding(item.content_type) if item.content_type else None
        try:
            item.extracted = await self.pool.extract_page(
                item.body, item.url, declared_charset=declared, last_modified=item.last_modified
            )
        except Exception as error:  # a broken page must not stop the crawl
            logger.error("extraction failed for %s: %r", item.url, error)
            return FetchFailure(
                url=item.url,
                stage=Stage.EXTRACT,
                message=f"{type(error).__name__}: {error}",
                portal_homepage=item.portal_homepage,
            )
        if not item.extracted.charset_confident:
            logger.warning(
                "uncertain charset for %s: read as %s (%s)",
                item.url,
                item.extracted.charset,
                item.extracted.charset_source,
            )
        return item
