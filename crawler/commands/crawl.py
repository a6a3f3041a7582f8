"""`scrapy crawl`, which for the reports spider first checks the registry (or `-a site`) and
the archive: a problem is one line on stderr and exit status 2, before any crawling. A run
that ends other than by finishing its work (killed, an error) exits with status 1."""

from __future__ import annotations

import argparse
import sys

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.preflight import StartupError, check_crawl

# Exit status for a crawl that could not start: 2, as for a usage error.
STARTUP_ERROR_STATUS = 2
# Exit status for a run that ended without finishing: a scheduler or operator must look.
UNFINISHED_RUN_STATUS = 1


def is_finished(reason: str | None) -> bool:
    """The spider ran out of work, or stopped at a limit the operator set (CLOSESPIDER_*)."""
    return reason is not None and (reason == "finished" or reason.startswith("closespider_"))


class Command(ScrapyCrawlCommand):
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
        crawler = super()._create_crawler(spidercls)
        crawler.signals.connect(self._record_outcome, signal=signals.spider_closed)
        return crawler

    def _record_outcome(self, reason: str) -> None:
        if not is_finished(reason):
            self.exitcode = UNFINISHED_RUN_STATUS
