"""How far each crawl run got on each portal (a VisitOutcome), and what planning the next run
needs from that: which run last completed each portal, and when it was last visited at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import CrawlRun, Portal, PortalHealth, PortalVisit
from archive.store import STORAGE_FAILED
from archive.vocabulary import VisitOutcome


@dataclass(frozen=True)
class VisitRecord:
    homepage: str
    outcome: VisitOutcome
    # When the last request the run discovered on the portal was done (completed visits only).
    completed_at: dt.datetime | None = None


def record_visits(
    session: Session, run_id: int, visits: Iterable[VisitRecord], portal_ids: Mapping[str, int]
) -> None:
    """One row per portal of the run; portals without a portal row are skipped."""
    for visit in visits:
        if (portal_id := portal_ids.get(visit.homepage)) is None:
            continue
        session.add(
            PortalVisit(
                crawl_run_id=run_id,
                portal_id=portal_id,
                outcome=visit.outcome,
                completed_at=visit.completed_at,
            )
        )


@dataclass(frozen=True)
class LastCompletion:
    """The latest run that completed a portal: when that run started, and the pages it
    fetched of the portal (0 where it kept no health row)."""

    run_started_at: dt.datetime
    pages: int


def last_completed(session: Session) -> dict[str, LastCompletion]:
    """The run that last completed each portal, by homepage; portals never completed are
    absent. A run whose storage failed does not count: what it fetched was not all kept."""
    latest = (
        select(PortalVisit.portal_id, func.max(PortalVisit.crawl_run_id).label("run_id"))
        .join(CrawlRun, CrawlRun.id == PortalVisit.crawl_run_id)
        .where(
            PortalVisit.outcome == VisitOutcome.COMPLETED,
            func.coalesce(CrawlRun.finish_reason, "") != STORAGE_FAILED,
        )
        .group_by(PortalVisit.portal_id)
        .subquery()
    )
    statement = (
        select(Portal.homepage, CrawlRun.started_at, PortalHealth.pages_fetched)
        .select_from(latest)
        .join(Portal, Portal.id == latest.c.portal_id)
        .join(CrawlRun, CrawlRun.id == latest.c.run_id)
        .outerjoin(
            PortalHealth,
            (PortalHealth.crawl_run_id == latest.c.run_id)
            & (PortalHealth.portal_id == latest.c.portal_id),
        )
    )
    return {
        homepage: LastCompletion(started_at, pages or 0)
        for homepage, started_at, pages in session.execute(statement)
    }


def last_visited(session: Session) -> dict[str, dt.datetime]:
    """When the latest run that fetched anything of each portal (completed or partial visit)
    started, by homepage: among portals never completed, those a run cut short had begun come
    after those no run reached."""
    statement = (
        select(Portal.homepage, func.max(CrawlRun.started_at))
        .select_from(PortalVisit)
        .join(Portal, Portal.id == PortalVisit.portal_id)
        .join(CrawlRun, CrawlRun.id == PortalVisit.crawl_run_id)
        .where(PortalVisit.outcome != VisitOutcome.NOT_VISITED)
        .group_by(Portal.homepage)
    )
    return {homepage: at for homepage, at in session.execute(statement) if at is not None}


def visit_outcomes(session: Session, run_id: int) -> dict[str, VisitOutcome]:
    """The run's outcome on each portal, by homepage (empty for runs before visits were kept)."""
    statement = (
        select(Portal.homepage, PortalVisit.outcome)
        .join(Portal, Portal.id == PortalVisit.portal_id)
        .where(PortalVisit.crawl_run_id == run_id)
    )
    return {homepage: VisitOutcome(outcome) for homepage, outcome in session.execute(statement)}
