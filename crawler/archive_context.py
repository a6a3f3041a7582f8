"""One crawl's archive context: the engine, the run row (started when the spider opens, finished
with Scrapy's real close reason), the portal rows, what earlier runs left (crawl state, portal
history) and, per portal, what this run saw and how far it got. The spider, pipelines,
middlewares and extensions reach the archive only through it: `archive_context(crawler)`."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from twisted.python.failure import Failure

from archive.crawl_state import CrawlState, load_crawl_state
from archive.db import open_archive
from archive.health import portals_explored_since, portals_with_reports_since
from archive.models import utcnow
from archive.store import (
    STORAGE_FAILED,
    CaptureRecord,
    PortalRecord,
    finish_run,
    record_captures,
    start_run,
    upsert_portals,
)
from archive.visits import LastCompletion, VisitRecord, last_completed, last_visited, record_visits
from archive.vocabulary import VisitOutcome
from crawler.discovery.column_shape import ListShape
from crawler.discovery.safety_net import SafetyNetOutcome, recent_report_year
from crawler.items import FetchFailure
from crawler.portal_completion import PortalTracker
from crawler.registry import PortalEntry
from crawler.request_done import request_done

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EarlierRuns:
    """What earlier runs left that this crawl plans by (empty on a first or non-incremental
    run, except `last_completed` and `last_visited`, which the order of portals always uses)."""

    state: CrawlState = field(default_factory=CrawlState)
    # Homepages of portals with a report on the recent years, and of portals the safety net
    # explored within NIANBAO_SAFETY_NET_INTERVAL_DAYS.
    recent_reports: frozenset[str] = frozenset()
    explored_lately: frozenset[str] = frozenset()
    # The run that last completed each portal (archive.visits.last_completed), by homepage.
    last_completed: Mapping[str, LastCompletion] = field(default_factory=dict)
    # When the latest run that fetched anything of each portal started (archive.visits).
    last_visited: Mapping[str, dt.datetime] = field(default_factory=dict)


@dataclass
class PortalObservations:
    """What discovery saw on one portal this run, for its health row."""

    known_reports: int = 0  # report links still listed that earlier runs stored
    unchanged_lists: int = 0  # list pages unchanged since the last run (304, same digest)
    thin_lists: dict[str, ListShape] = field(default_factory=dict)  # changed pages, now thin
    safety_net: SafetyNetOutcome | None = None


class ArchiveNotOpen(RuntimeError):
    """The context is used before the spider opened it, or after it failed to open."""


class ArchiveContext:
    """A Scrapy extension, one per crawl. In EXTENSIONS it comes after the health extension
    and before progress: when the spider closes, the health rows are written while the run is
    open, then this finishes the run, then progress reads the summary back."""

    def __init__(self, crawler: Crawler, db_url: str | None, incremental: bool) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.incremental = incremental
        self._engine: Engine | None = None
        self._run_id: int | None = None
        self.portals: tuple[PortalEntry, ...] = ()
        self.portal_ids: dict[str, int] = {}
        self.earlier = EarlierRuns()
        self.observations: defaultdict[str, PortalObservations] = defaultdict(PortalObservations)
        self.completion = PortalTracker()
        self.captures = 0
        self.storage_failures = 0
        self.finish_reason: str | None = None  # set when the run is finished

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveContext:
        settings = crawler.settings
        context = cls(
            crawler, settings.get("NIANBAO_DB_URL") or None, settings.getbool("NIANBAO_INCREMENTAL")
        )
        connect = crawler.signals.connect
        connect(context.open, signal=signals.spider_opened)
        connect(context.finish, signal=signals.spider_closed)
        connect(context.close, signal=signals.engine_stopped)
        connect(context.on_request_scheduled, signal=signals.request_scheduled)
        connect(context.on_request_dropped, signal=signals.request_dropped)
        connect(context.on_request_done, signal=request_done)
        connect(context.on_item_scraped, signal=signals.item_scraped)
        return context

    # The run

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise ArchiveNotOpen("the archive context is not open")
        return self._engine

    @property
    def run_id(self) -> int:
        if self._run_id is None:
            raise ArchiveNotOpen("no crawl run was started")
        return self._run_id

    @property
    def is_open(self) -> bool:
        return self._run_id is not None

    def session(self) -> Session:
        """A session on the crawl's engine; callers open the transaction
        (`with context.session() as session, session.begin():`)."""
        return Session(self.engine)

    def open(self, spider: Spider) -> None:
        """Start the run on the portals the spider was given (its registry or `-a site`)."""
        portals: list[PortalEntry] = list(getattr(spider, "portals", ()))
        try:
            self._engine = open_archive(self.db_url)
            with self.session() as session, session.begin():
                self._run_id = start_run(session)
                records = [
                    PortalRecord(p.name, p.homepage, p.host, p.level, p.division_code)
                    for p in portals
                ]
                self.portal_ids = upsert_portals(session, records)
            with self.session() as session:
                self.earlier = self._read_earlier_runs(session)
        except (SQLAlchemyError, OSError) as error:
            logger.error("archive unusable: %s: %s", type(error).__name__, error)
            raise CloseSpider("archive_unusable") from error
        self.portals = tuple(portals)
        logger.info("crawl run %s started on %d portals", self._run_id, len(portals))

    def _read_earlier_runs(self, session: Session) -> EarlierRuns:
        completed, visited = last_completed(session), last_visited(session)
        if not self.incremental:
            return EarlierRuns(last_completed=completed, last_visited=visited)
        settings = self.crawler.settings
        lately = utcnow() - dt.timedelta(days=settings.getint("NIANBAO_SAFETY_NET_INTERVAL_DAYS"))
        recent_year = recent_report_year(settings.getint("NIANBAO_SAFETY_NET_YEARS_BACK"))
        # Known report pages of recent years are asked again (conditionally) to catch corrections.
        years_back = settings.getint("NIANBAO_REVISIT_YEARS_BACK")
        revisit_from = dt.date.today().year - years_back if years_back >= 0 else None
        return EarlierRuns(
            state=load_crawl_state(session, revisit_from),
            recent_reports=portals_with_reports_since(session, recent_year),
            explored_lately=portals_explored_since(session, lately),
            last_completed=completed,
            last_visited=visited,
        )

    def finish(self, reason: str) -> None:
        """Record how the run ended (a run whose storage failed is not `finished`) and how far
        it got on each portal."""
        if self._run_id is None:
            return
        self.finish_reason = STORAGE_FAILED if self.storage_failures else reason
        try:
            with self.session() as session, session.begin():
                run = finish_run(session, self._run_id, self.finish_reason, self.captures)
                record_visits(session, self._run_id, self.visits(), self.portal_ids)
                logger.info(
                    "crawl run %s (%s): %d pages, %d new reports, %d new sightings, %d failures",
                    run.id,
                    self.finish_reason,
                    run.pages_fetched,
                    run.reports_new,
                    run.sightings_new,
                    run.failures,
                )
        except (SQLAlchemyError, OSError) as error:
            self.note_storage_failure(f"recording the end of run {self._run_id}", error)
            self.finish_reason = STORAGE_FAILED
        if self.finish_reason == STORAGE_FAILED:
            logger.error(
                "crawl run %s: storage failed %d times; what was not stored is fetched again "
                "next run",
                self._run_id,
                self.storage_failures,
            )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # What the crawl writes through the context

    def record_captures(self, captures: list[CaptureRecord]) -> None:
        """Capture rows of responses, in a transaction of their own (raises on a database or
        disk error: the caller decides what the pages become). Called from the capture
        writer's thread, the only one that counts them."""
        with self.session() as session, session.begin():
            record_captures(session, self.run_id, captures)
        self.captures += len(captures)

    def note_storage_failure(self, what: str, error: BaseException) -> None:
        """One ERROR line; the run will be recorded as storage_failed and `scrapy crawl`
        exit 1."""
        logger.error("storage failed: %s: %s: %s", what, type(error).__name__, error)
        self.storage_failures += 1

    def portal(self, homepage: str) -> PortalObservations:
        """What discovery saw on this portal so far (created empty on first use)."""
        return self.observations[homepage]

    # How far the run got on each portal

    def visits(self) -> list[VisitRecord]:
        return [
            VisitRecord(
                p.homepage,
                outcome := self.completion.outcome(p.homepage),
                self.completion.completed_at.get(p.homepage)
                if outcome == VisitOutcome.COMPLETED
                else None,
            )
            for p in self.portals
        ]

    def is_completed(self, homepage: str) -> bool:
        return self.completion.is_completed(homepage)

    def on_request_scheduled(self, request: Request) -> None:
        # A retry or a redirect stands in for a request already pending: it adds nothing.
        if "retry_times" in request.meta or "redirect_times" in request.meta:
            return
        if "homepage" in request.meta:
            self.completion.scheduled(request.meta["homepage"])

    def on_request_dropped(self, request: Request) -> None:
        if "homepage" in request.meta:
            self.completion.finished(request.meta["homepage"])

    def on_request_done(self, request: Request) -> None:
        if "homepage" in request.meta:
            self.completion.finished(request.meta["homepage"])

    def on_item_scraped(self, item: Any, response: Response | Failure | None) -> None:
        """A download that failed has no response whose output ends its request: its failure
        item does."""
        failed = isinstance(item, FetchFailure) and not isinstance(response, Response)
        if failed and item.portal_homepage:
            self.completion.finished(item.portal_homepage)


def archive_context(crawler: Crawler) -> ArchiveContext:
    """The crawl's archive context, for every component that reads or writes the archive."""
    context = crawler.get_extension(ArchiveContext)
    if context is None:
        raise RuntimeError(
            "nianbao's crawl needs crawler.archive_context.ArchiveContext in EXTENSIONS"
        )
    return context
