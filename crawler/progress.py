"""Progress a person can follow: every NIANBAO_PROGRESS_INTERVAL seconds one INFO line
(portals done/total, pages, reports, failures, rate, ETA), a live bar when stderr is a
terminal, and at the end a one-screen summary read back from the archive."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from tqdm import tqdm
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from archive.run_summary import RunSummary, summarize_run
from crawler.archive_context import ArchiveContext, archive_context
from crawler.items import FetchFailure, ReportPage
from crawler.request_done import request_done

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    portals_done: int
    portals_total: int
    pages: int
    reports: int
    failures: int
    elapsed_seconds: float

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left at the rate portals have been finishing; None before the first one."""
        if self.portals_done == 0:
            return None
        left = max(self.portals_total - self.portals_done, 0)
        return self.elapsed_seconds / self.portals_done * left

    def line(self) -> str:
        eta = self.eta_seconds
        shown = "unknown" if eta is None else str(dt.timedelta(seconds=round(eta)))
        return (
            f"progress: {self.portals_done}/{self.portals_total} portals done, "
            f"{self.pages} pages, {self.reports} reports, {self.failures} failures, "
            f"{self.pages_per_minute:.0f} pages/min, ETA {shown}"
        )


def summary_lines(summary: RunSummary, portals: int, elapsed_seconds: float) -> list[str]:
    """The end-of-run summary: one screen whatever the size of the registry."""
    done = (
        f"{summary.portals_completed}/{summary.portals_total} portals completed"
        if summary.portals_total
        else f"{portals} portals"
    )
    lines = [
        f"crawl run {summary.run_id} {summary.finish_reason or 'ended'} after "
        f"{dt.timedelta(seconds=round(elapsed_seconds))}: {done}, "
        f"{summary.pages_fetched} pages, {summary.reports_new} new reports, "
        f"{summary.sightings_new} new sightings",
    ]
    total = sum(f.count for f in summary.failures)
    lines.append(f"failures: {total}" + (" (nianbao stats; table failures)" if total else ""))
    lines += [f"  {f.count:>6}  {f.stage:<10} {f.kind}" for f in summary.failures[:SHOWN]]
    if len(summary.failures) > SHOWN:
        lines.append(f"  … {len(summary.failures) - SHOWN} more kinds")
    warned = summary.warned_portals
    lines.append(f"portals with warnings: {len(warned)}" + (" (nianbao health)" if warned else ""))
    for view in warned[:SHOWN]:
        lines.append(f"  {view.name} {view.homepage}: {'; '.join(view.warnings)}")
    if len(warned) > SHOWN:
        lines.append(f"  … {len(warned) - SHOWN} more: nianbao health --warnings-only")
    return lines


# Rows of each list in the summary: enough to see the pattern, still one screen.
SHOWN = 10


class TqdmStream:
    """A log stream that writes above the live bar instead of through it."""

    def write(self, text: str) -> None:
        tqdm.write(text, file=sys.stderr, end="")

    def flush(self) -> None:
        sys.stderr.flush()


class ProgressExtension:
    def __init__(self, crawler: Crawler, interval: float, bar: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.show_bar = bar
        self.pages = 0
        self.reports = 0
        self.failures = 0
        self.started_at = time.monotonic()
        self.ticker = LoopingCall(self.log_progress)
        self.bar: tqdm[Any] | None = None
        self.streams: dict[logging.StreamHandler[TextIO], TextIO] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        interval = crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        bar = crawler.settings.getbool("NIANBAO_PROGRESS_BAR") and sys.stderr.isatty()
        extension = cls(crawler, interval, bar)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.response_received, signal=signals.response_received)
        connect(extension.request_done, signal=request_done)
        connect(extension.item_scraped, signal=signals.item_scraped)
        connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def context(self) -> ArchiveContext:
        return archive_context(self.crawler)  # made after this extension: asked when used

    @property
    def portals_total(self) -> int:
        return len(self.context.portals)

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = time.monotonic()
        if self.show_bar:
            self._start_bar()
        self.ticker.start(self.interval, now=False)

    def response_received(self, response: Response, request: Request) -> None:
        if "homepage" in request.meta:  # not robots.txt, which Scrapy fetches on its own
            self.pages += 1

    def request_done(self, request: Request) -> None:
        self._refresh_bar()

    def item_scraped(self, item: Any, response: Response | Failure | None) -> None:
        if isinstance(item, ReportPage):
            self.reports += 1
        elif isinstance(item, FetchFailure):
            self.failures += 1
        self._refresh_bar()

    def progress(self) -> Progress:
        return Progress(
            portals_done=self.context.completion.done(),
            portals_total=max(self.portals_total, len(self.context.completion.started)),
            pages=self.pages,
            reports=self.reports,
            failures=self.failures,
            elapsed_seconds=time.monotonic() - self.started_at,
        )

    def log_progress(self) -> None:
        logger.info(self.progress().line())

    def spider_closed(self, spider: Spider) -> None:
        """The summary: the archive context and the health extension, listed before this
        extension, have closed the run by now (its row has the real finish reason and counts,
        the health rows are written)."""
        if self.ticker.running:
            self.ticker.stop()
        self._stop_bar()
        elapsed = time.monotonic() - self.started_at
        summary = self._read_summary()
        if summary is None:
            logger.info(self.progress().line())
            return
        for line in summary_lines(summary, self.portals_total, elapsed):
            logger.info(line)

    def _read_summary(self) -> RunSummary | None:
        if not self.context.is_open:
            return None
        with self.context.session() as session:
            return summarize_run(session, self.context.run_id)

    def _start_bar(self) -> None:
        self.bar = tqdm(
            total=self.portals_total, unit="portal", file=sys.stderr, dynamic_ncols=True
        )
        # Log lines go above the bar: point the console handlers at tqdm.write.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                self.streams[handler] = sys.stderr
                handler.setStream(TqdmStream())

    def _refresh_bar(self) -> None:
        if self.bar is None:
            return
        done = self.context.completion.done()
        if done != self.bar.n:
            self.bar.n = done
        self.bar.set_postfix_str(
            f"{self.pages} pages, {self.reports} reports, {self.failures} failures", refresh=False
        )
        self.bar.update(0)  # redraws at most every `mininterval`, not on every page

    def _stop_bar(self) -> None:
        for handler, stream in self.streams.items():
            handler.setStream(stream)
        self.streams.clear()
        if self.bar is not None:
            self.bar.close()
            self.bar = None
