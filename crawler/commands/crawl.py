"""`scrapy crawl`, which for the reports spider first checks the registry (or `-a site`) and
the archive: a problem is one line on stderr and exit status 2, before any crawling."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.preflight import StartupError, check_crawl

# Exit status for a crawl that could not start: 2, as for a usage error.
STARTUP_ERROR_STATUS = 2


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
