"""robots.txt, obeyed as Scrapy does, but an unreachable robots.txt is one warning line
(host and error class) instead of Scrapy's 25-line traceback: a dead portal is expected."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import IgnoreRequest

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

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            # Scrapy then crawls the site as if robots.txt allowed everything.
            logger.warning("robots.txt unreachable: %s: %s", netloc, error_kind(exc))
        super()._robots_error(exc, netloc)
