"""Dedupe pipeline: computes a page's dedupe keys, the exact content key and the MinHash.

Matching them against the archive happens in the store pipeline, in the same transaction as
the write, so that the match and the write see the same archive. A page without text enough
for a key is never matched: a scan is stored flagged needs_ocr, anything else is a failure.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from archive.dedupe import content_key
from archive.near_duplicates import NearDuplicateConfig, sign_text
from archive.vocabulary import Stage
from crawler.items import ReportPage

logger = logging.getLogger(__name__)


def near_duplicate_config(settings: BaseSettings) -> NearDuplicateConfig:
    return NearDuplicateConfig(
        shingle_chars=settings.getint("NIANBAO_SHINGLE_CHARS"),
        permutations=settings.getint("NIANBAO_MINHASH_PERMUTATIONS"),
        bands=settings.getint("NIANBAO_LSH_BANDS"),
        threshold=settings.getfloat("NIANBAO_NEAR_DUPLICATE_THRESHOLD"),
    )


class DedupePipeline:
    def __init__(self, config: NearDuplicateConfig) -> None:
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(near_duplicate_config(crawler.settings))

    def process_item(self, item: object) -> object:
        if not isinstance(item, ReportPage) or item.extracted is None:
            return item
        item.content_key = content_key(item.extracted.text)
        if item.content_key is not None:
            item.signature = sign_text(item.extracted.text, self.config)
        elif item.extracted.images or item.needs_ocr:
            logger.warning("report page %s has no text, only images: needs OCR", item.url)
            item.needs_ocr = True
        else:
            logger.error("extract failed: %s: no text", item.url)
            return item.failure(Stage.EXTRACT, "no text")
        return item
