"""`scrapy crawl`, which for the reports spider first checks the registry (or `-a site`) and
the archive: a problem is one line on stderr and exit status 2, before any crawling. A run
that ends other than by finishing its work (killed, an error), or whose storage failed (a full
disk, a database error), exits with status 1, so that cron or systemd reports it: Scrapy's own
command exits 1 only when the spider could not start."""

from __future__ import annotations

import argparse
import sys

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.archive_context import ArchiveContext
from crawler.preflight import StartupError, check_crawl

# Exit status for a crawl that could not start: 2, as for a usage error.
STARTUP_ERROR_STATUS = 2
# Exit status for a run that ended without finishing or without storing what it fetched: a
# scheduler or operator must look.
FAILED_RUN_STATUS = 1


def is_finished(reason: str | None) -> bool:
    """The spider ran out of work, or stopped at a limit the operator set (CLOSESPIDER_*)."""
    return reason is not None and (reason == "finished" or reason.startswith("closespider_"))


class Command(ScrapyCrawlCommand):
    crawler: Crawler | None = None

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args[:1] != ["reports"] or self.settings is None:
            return
        try:
            check_crawl(
                registry=opts.spargs.get("registry", ""),
                site=opts.spargs.get("site", ""),
                default_registry=self.settings.get("NIANBAO_REGISTRY") or "",
                db_url=self.settings.get("NIANBAO_DB_URL") or "",
            )
        except StartupError as error:
            print(f"scrapy crawl reports: error: {error}", file=sys.stderr)
            raise SystemExit(STARTUP_ERROR_STATUS) from None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept: its context outlives the run
        self.crawler.signals.connect(self._record_outcome, signal=signals.spider_closed)
        return self.crawler

    def _record_outcome(self, reason: str) -> None:
        if not is_finished(reason):
            self.exitcode = FAILED_RUN_STATUS

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        try:
            context = self.crawler.get_extension(ArchiveContext) if self.crawler else None
        except RuntimeError:  # the crawl stopped before its extensions were made
            context = None
        if context is not None and context.storage_failures:
            self.exitcode = FAILED_RUN_STATUS
