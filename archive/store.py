"""The write API the crawler calls: runs, captures, failures, reports and their sightings.

Every function takes a session opened by the caller, so one page is stored in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.dedupe import content_key
from archive.models import Capture, CrawlRun, Failure, Portal, Report, Sighting, utcnow


@dataclass(frozen=True)
class ReportRecord:
    """What one page showed of a report."""

    url: str
    host: str
    title: str
    text: str
    report_year: int | None
    published_at: dt.date | None
    written_at: dt.date | None
    publisher: str | None
    issuer: str | None
    host_site: str | None


@dataclass(frozen=True)
class CaptureRecord:
    url: str
    status: int
    content_type: str | None
    charset: str | None
    size: int
    digest: str


@dataclass(frozen=True)
class PortalRecord:
    name: str
    homepage: str
    host: str
    level: str
    division_code: str


@dataclass(frozen=True)
class StoreOutcome:
    report_id: int
    is_new_report: bool
    is_new_sighting: bool


def start_run(session: Session) -> int:
    run = CrawlRun()
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, reason: str, pages_fetched: int) -> CrawlRun:
    run = session.get_one(CrawlRun, run_id)
    run.finished_at = utcnow()
    run.finish_reason = reason
    run.pages_fetched = pages_fetched
    return run


def record_capture(session: Session, run_id: int | None, capture: CaptureRecord) -> None:
    session.add(
        Capture(
            crawl_run_id=run_id,
            url=capture.url,
            status=capture.status,
            content_type=capture.content_type,
            charset=capture.charset,
            size=capture.size,
            digest=capture.digest,
        )
    )


def record_failure(
    session: Session, run_id: int | None, url: str, stage: str, message: str
) -> None:
    session.add(Failure(crawl_run_id=run_id, url=url, stage=stage, message=message))
    if run_id is not None:
        session.get_one(CrawlRun, run_id).failures += 1


def upsert_portals(session: Session, portals: list[PortalRecord]) -> dict[str, int]:
    """Make sure every registry row has a portal row; return portal ids by homepage."""
    known = {p.homepage: p for p in session.scalars(select(Portal))}
    for record in portals:
        row = known.get(record.homepage)
        if row is None:
            row = Portal(homepage=record.homepage)
            session.add(row)
            known[record.homepage] = row
        row.name, row.host = record.name, record.host
        row.level, row.division_code = record.level, record.division_code
    session.flush()
    return {homepage: row.id for homepage, row in known.items()}


def find_report_id(session: Session, key: str) -> int | None:
    return session.scalar(select(Report.id).where(Report.content_key == key))


def store_report(
    session: Session,
    record: ReportRecord,
    key: str | None = None,
    run_id: int | None = None,
    portal_id: int | None = None,
) -> StoreOutcome:
    """Store a report sighting; the report itself only if its content key is new."""
    key = key or content_key(record.text)
    report = session.scalar(select(Report).where(Report.content_key == key))
    is_new_report = report is None
    if report is None:
        report = _new_report(record, key)
        session.add(report)
        session.flush()
    elif _is_earlier(record.published_at, report.published_at):
        _take_metadata(report, record)
    sighting = session.scalar(
        select(Sighting).where(Sighting.report_id == report.id, Sighting.url == record.url)
    )
    is_new_sighting = sighting is None
    if sighting is None:
        session.add(_new_sighting(record, report.id, portal_id))
    else:
        sighting.last_seen = utcnow()
    _count(session, run_id, is_new_report, is_new_sighting)
    return StoreOutcome(report.id, is_new_report, is_new_sighting)


def _new_report(record: ReportRecord, key: str) -> Report:
    return Report(
        content_key=key,
        title=record.title,
        report_year=record.report_year,
        published_at=record.published_at,
        written_at=record.written_at,
        publisher=record.publisher,
        issuer=record.issuer,
        host=record.host,
        host_site=record.host_site,
        text=record.text,
    )


def _is_earlier(candidate: dt.date | None, current: dt.date | None) -> bool:
    return candidate is not None and (current is None or candidate < current)


def _take_metadata(report: Report, record: ReportRecord) -> None:
    """The earliest publication is the original; reposts come later, often with other dates."""
    report.title, report.published_at = record.title, record.published_at
    report.written_at, report.report_year = record.written_at, record.report_year
    report.publisher, report.issuer = record.publisher, record.issuer
    report.host, report.host_site = record.host, record.host_site


def _new_sighting(record: ReportRecord, report_id: int, portal_id: int | None) -> Sighting:
    return Sighting(
        report_id=report_id,
        url=record.url,
        portal_id=portal_id,
        page_title=record.title,
        page_published_at=record.published_at,
        page_publisher=record.publisher,
    )


def _count(session: Session, run_id: int | None, new_report: bool, new_sighting: bool) -> None:
    if run_id is None:
        return
    run = session.get_one(CrawlRun, run_id)
    run.reports_new += int(new_report)
    run.sightings_new += int(new_sighting)
