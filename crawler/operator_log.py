"""Keeps INFO readable over a whole-registry crawl: library messages that repeat per page and
carry nothing an operator can act on are lowered to DEBUG (still there with LOG_LEVEL=DEBUG)."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

# (logger name prefix, message prefix): "" matches every message of that logger.
ROUTINE_MESSAGES = (
    # trafilatura's errors name no URL; the extract pipeline logs failures with the URL.
    ("trafilatura", ""),
    # The spider logs the failed fetch once, with host and status: these would repeat it.
    ("scrapy.downloadermiddlewares.retry", "Gave up retrying"),
    ("scrapy.core.downloader.handlers.http11", "Got data loss"),
    # Printed every time a component opens the archive.
    ("alembic.runtime.migration", "Context impl"),
    ("alembic.runtime.migration", "Will assume"),
)


# Said once per portal (the first argument), then DEBUG: a portal past its page budget
# would otherwise log every link it no longer follows.
ONCE_PER_PORTAL = (("reports", "page budget spent"),)


def _matches(record: logging.LogRecord, rules: tuple[tuple[str, str], ...]) -> bool:
    return any(
        record.name.startswith(name) and str(record.msg).startswith(message)
        for name, message in rules
    )


def is_routine(record: logging.LogRecord) -> bool:
    return _matches(record, ROUTINE_MESSAGES)


class RoutineToDebug(logging.Filter):
    """Routine records become DEBUG. On a logger, the handlers' level check then hides them;
    on a handler, the filter applies that handler's level itself."""

    def __init__(self, handler: logging.Handler | None = None) -> None:
        super().__init__()
        self.handler = handler
        self.said: set[tuple[str, object]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and (is_routine(record) or self._is_repeat(record)):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return self.handler is None or record.levelno >= self.handler.level

    def _is_repeat(self, record: logging.LogRecord) -> bool:
        if not _matches(record, ONCE_PER_PORTAL) or not isinstance(record.args, tuple):
            return False
        key = (str(record.msg), record.args[0] if record.args else None)
        if key in self.said:
            return True
        self.said.add(key)
        return False


class OperatorLogExtension:
    """Filters the loggers named above now, and, once the spider opens (Scrapy replaces its
    root handler after extensions are built), the root handlers for their child loggers."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OperatorLogExtension:
        if not crawler.settings.getbool("NIANBAO_QUIET_ROUTINE_LOGS"):
            raise NotConfigured
        for name, _ in ROUTINE_MESSAGES + ONCE_PER_PORTAL:
            _add_once(logging.getLogger(name), RoutineToDebug())
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        for handler in logging.getLogger().handlers:
            _add_once(handler, RoutineToDebug(handler))


def _add_once(target: logging.Filterer, routine_filter: RoutineToDebug) -> None:
    if not any(isinstance(f, RoutineToDebug) for f in target.filters):
        target.addFilter(routine_filter)
