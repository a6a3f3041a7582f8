"""The crawl runs, newest first, with what each did: when it ran, how it ended, its counts,
and how many of its portals it completed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from archive.models import Capture, CrawlRun, PortalVisit
from archive.store import FINISHED, STORAGE_FAILED
from archive.vocabulary import VisitOutcome

# Scrapy's close reasons that mean the operator stopped the run early, or it hit a limit set.
SHUTDOWN = "shutdown"
LIMIT_PREFIX = "closespider_"


@dataclass(frozen=True)
class RunView:
    run_id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    finish_reason: str | None
    outcome: str
    pages: int
    reports_new: int
    sightings_new: int
    failures: int
    # Portals completed (every request discovered done) and portals the run was given;
    # None for runs recorded before visits were kept.
    portals_completed: int | None
    portals_total: int | None

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


def run_outcome(finished_at: dt.datetime | None, reason: str | None) -> str:
    """In words: finished, interrupted (SIGTERM, Ctrl-C), stopped at a limit, storage failed,
    failed (any other reason), or unfinished (killed, or still running)."""
    if finished_at is None:
        return "unfinished"
    if reason == FINISHED:
        return "finished"
    if reason == SHUTDOWN:
        return "interrupted"
    if reason is not None and reason.startswith(LIMIT_PREFIX):
        return "stopped at limit"
    if reason == STORAGE_FAILED:
        return "storage failed"
    return "failed"


def list_runs(session: Session, limit: int | None = None) -> list[RunView]:
    visits = (
        select(
            PortalVisit.crawl_run_id,
            func.count().label("total"),
            func.sum(case((PortalVisit.outcome == VisitOutcome.COMPLETED, 1), else_=0)).label(
                "completed"
            ),
        )
        .group_by(PortalVisit.crawl_run_id)
        .subquery()
    )
    captures = (
        select(Capture.crawl_run_id, func.count().label("pages"))
        .group_by(Capture.crawl_run_id)
        .subquery()
    )
    statement = (
        select(CrawlRun, visits.c.total, visits.c.completed, captures.c.pages)
        .outerjoin(visits, visits.c.crawl_run_id == CrawlRun.id)
        .outerjoin(captures, captures.c.crawl_run_id == CrawlRun.id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    return [
        RunView(
            run_id=run.id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            finish_reason=run.finish_reason,
            outcome=run_outcome(run.finished_at, run.finish_reason),
            # A killed run never wrote its page count: its captures tell.
            pages=run.pages_fetched if run.finished_at is not None else int(pages or 0),
            reports_new=run.reports_new,
            sightings_new=run.sightings_new,
            failures=run.failures,
            portals_completed=int(completed) if total is not None else None,
            portals_total=int(total) if total is not None else None,
        )
        for run, total, completed, pages in session.execute(statement)
    ]
