"""`scrapy crawl`, with an exit status that tells a scheduler when a run's storage failed.

Scrapy's own command exits 1 only when the spider could not start; a run that could not write
to its archive or WARC folder (a full disk, a database error) must fail the cron job too.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.stats_keys import STORAGE_FAILURES_STAT


class Command(ScrapyCrawlCommand):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept: its stats outlive the run
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is not None and stats.get_value(STORAGE_FAILURES_STAT, 0):
            self.exitcode = 1
