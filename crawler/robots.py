"""robots.txt, obeyed as Scrapy does, with two changes: an unreachable robots.txt is one warning
line (host and error class) instead of Scrapy's 25-line traceback (a dead portal is expected),
and robots.txt is fetched on a downloader slot of its own, so the host's first page follows it
at once instead of a download delay later. The page waits for robots.txt either way, so a host
still has one request at a time; the delay would only hold the page's global slot idle, once
for every host of the registry."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser

from crawler.fetch_errors import error_kind

logger = logging.getLogger(__name__)


def _is_traceback_record(record: logging.LogRecord) -> bool:
    """Scrapy's own report of a robots.txt failure, which `_robots_error` below replaces."""
    return not (record.exc_info and str(record.msg).startswith("Error downloading"))


class QuietRobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        scrapy_logger = logging.getLogger(robotstxt.__name__)
        if _is_traceback_record not in scrapy_logger.filters:
            scrapy_logger.addFilter(_is_traceback_record)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
            request.meta.setdefault("download_slot", f"{urlsplit(request.url).netloc}/robots.txt")
        await super().process_request(request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            # Scrapy then crawls the site as if robots.txt allowed everything.
            logger.warning("robots.txt unreachable: %s: %s", netloc, error_kind(exc))
        super()._robots_error(exc, netloc)


class RobotsRules:
    """The robots.txt rules read so far, by host (from Scrapy's robots_parsed signal), so that
    discovery can leave out the links a host forbids before they spend its page budget: a
    column of thousands of forbidden links would otherwise leave none for the site's reports.
    The middleware still decides every request; this only answers for hosts already read."""

    def __init__(self, crawler: Crawler) -> None:
        self.parsers: dict[str, RobotParser] = {}
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get(
            "USER_AGENT"
        )
        if crawler.settings.getbool("ROBOTSTXT_OBEY"):
            crawler.signals.connect(self._parsed, signal=signals.robots_parsed)

    def _parsed(self, robotparser: RobotParser, request: Request) -> None:
        self.parsers[urlsplit(request.url).netloc] = robotparser

    def forbids(self, url: str) -> bool:
        parser = self.parsers.get(urlsplit(url).netloc)
        return parser is not None and not parser.allowed(url, self.user_agent)
