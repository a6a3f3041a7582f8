"""Per-portal health of each crawl run: what was fetched and found, and what looked wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import CrawlRun, Portal, PortalHealth, PortalVisit, Report, Sighting
from archive.vocabulary import VisitOutcome


@dataclass(frozen=True)
class SafetyNetRecord:
    """The recall safety net on one portal: why it explored, pages spent, reports found and
    the column pages it tried."""

    reason: str
    pages: int
    found: tuple[str, ...] = ()
    tried: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthRecord:
    homepage: str
    pages_fetched: int
    reports_found: int
    errors: int
    warnings: tuple[str, ...] = ()
    safety_net: SafetyNetRecord | None = None


@dataclass(frozen=True)
class HealthView:
    run_id: int
    homepage: str
    name: str
    pages_fetched: int
    reports_found: int
    errors: int
    warnings: tuple[str, ...]
    safety_net: str = ""  # why the safety net explored the portal; "" when it did not
    safety_net_pages: int = 0
    safety_net_found: tuple[str, ...] = ()
    safety_net_tried: tuple[str, ...] = ()
    # False when the run stopped before every request it discovered on the portal was done;
    # None for runs recorded before visits were kept.
    completed: bool | None = None


def latest_run_id(session: Session) -> int | None:
    return session.scalar(select(func.max(CrawlRun.id)))


def has_found_reports_before(session: Session, run_id: int, homepage: str) -> bool:
    """Did any earlier run find a report on this portal?"""
    statement = (
        select(PortalHealth.id)
        .join(Portal, Portal.id == PortalHealth.portal_id)
        .where(
            Portal.homepage == homepage,
            PortalHealth.crawl_run_id < run_id,
            PortalHealth.reports_found > 0,
        )
    )
    return session.scalar(statement.limit(1)) is not None


def portals_with_reports_since(session: Session, year: int) -> frozenset[str]:
    """Homepages of portals where a report on `year` or later has been seen."""
    statement = (
        select(Portal.homepage)
        .join(Sighting, Sighting.portal_id == Portal.id)
        .join(Report, Report.id == Sighting.report_id)
        .where(Report.report_year >= year)
        .distinct()
    )
    return frozenset(session.scalars(statement))


def portals_explored_since(session: Session, since: dt.datetime) -> frozenset[str]:
    """Homepages of portals the safety net explored in a run started at `since` or later."""
    statement = (
        select(Portal.homepage)
        .join(PortalHealth, PortalHealth.portal_id == Portal.id)
        .join(CrawlRun, CrawlRun.id == PortalHealth.crawl_run_id)
        .where(PortalHealth.safety_net != "", CrawlRun.started_at >= since)
        .distinct()
    )
    return frozenset(session.scalars(statement))


def record_health(session: Session, run_id: int, records: list[HealthRecord]) -> None:
    """One health row per portal of the run; portals missing from the archive are skipped."""
    portal_ids = {
        homepage: id_ for homepage, id_ in session.execute(select(Portal.homepage, Portal.id))
    }
    for record in records:
        if (portal_id := portal_ids.get(record.homepage)) is None:
            continue
        session.add(
            PortalHealth(
                crawl_run_id=run_id,
                portal_id=portal_id,
                pages_fetched=record.pages_fetched,
                reports_found=record.reports_found,
                errors=record.errors,
                warnings="\n".join(record.warnings),
                safety_net=net.reason if (net := record.safety_net) else "",
                safety_net_pages=net.pages if net else 0,
                safety_net_found="\n".join(net.found) if net else "",
                safety_net_tried="\n".join(net.tried) if net else "",
            )
        )


def list_health(session: Session, run_id: int | None = None) -> list[HealthView]:
    """Health rows of one run (default: the latest), portals with warnings first."""
    run_id = run_id if run_id is not None else latest_run_id(session)
    rows = session.execute(
        select(PortalHealth, Portal, PortalVisit.outcome)
        .join(Portal, Portal.id == PortalHealth.portal_id)
        .outerjoin(
            PortalVisit,
            (PortalVisit.crawl_run_id == PortalHealth.crawl_run_id)
            & (PortalVisit.portal_id == PortalHealth.portal_id),
        )
        .where(PortalHealth.crawl_run_id == run_id)
        .order_by(PortalHealth.warnings == "", Portal.homepage)
    )
    return [
        HealthView(
            health.crawl_run_id,
            portal.homepage,
            portal.name,
            health.pages_fetched,
            health.reports_found,
            health.errors,
            tuple(health.warnings.splitlines()),
            health.safety_net,
            health.safety_net_pages,
            tuple(health.safety_net_found.splitlines()),
            tuple(health.safety_net_tried.splitlines()),
            None if outcome is None else outcome == VisitOutcome.COMPLETED,
        )
        for health, portal, outcome in rows
    ]
