"""Reading the archive: search with filters, single reports, statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session, selectinload

from archive.models import Capture, CrawlRun, Failure, Portal, Report, Sighting

# FTS5's trigram tokenizer cannot match terms shorter than three characters (法治, 复议).
MIN_FTS_QUERY_CHARS = 3


@dataclass(frozen=True)
class ReportFilter:
    year: int | None = None
    publisher: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class ReportView:
    id: int
    title: str
    report_year: int | None
    published_at: dt.date | None
    written_at: dt.date | None
    publisher: str | None
    issuer: str | None
    host: str
    host_site: str | None
    urls: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ArchiveStats:
    reports: int
    sightings: int
    captures: int
    failures: int
    portals: int
    crawl_runs: int
    reports_by_year: dict[int | None, int]


def _view(report: Report) -> ReportView:
    return ReportView(
        id=report.id,
        title=report.title,
        report_year=report.report_year,
        published_at=report.published_at,
        written_at=report.written_at,
        publisher=report.publisher,
        issuer=report.issuer,
        host=report.host,
        host_site=report.host_site,
        urls=tuple(s.url for s in report.sightings),
        text=report.text,
    )


def _filtered(statement: Select[Report], where: ReportFilter) -> Select[Report]:
    if where.year is not None:
        statement = statement.where(Report.report_year == where.year)
    if where.publisher:
        statement = statement.where(Report.publisher.contains(where.publisher, autoescape=True))
    if where.since:
        statement = statement.where(Report.published_at >= where.since)
    if where.until:
        statement = statement.where(Report.published_at <= where.until)
    return statement


def _base(where: ReportFilter) -> Select[Report]:
    statement = select(Report).options(selectinload(Report.sightings))
    return _filtered(statement, where).order_by(Report.published_at.desc(), Report.id)


def _matching(session: Session, query: str) -> Select[Any] | None:
    """Ids of reports whose title or text contains `query`, via FTS5 where it can answer."""
    if session.get_bind().dialect.name == "sqlite" and len(query) >= MIN_FTS_QUERY_CHARS:
        phrase = '"' + query.replace('"', '""') + '"'
        return (
            select(text("rowid"))
            .select_from(text("reports_fts"))
            .where(text("reports_fts MATCH :phrase").bindparams(phrase=phrase))
        )
    return None


def search_reports(
    session: Session, query: str, where: ReportFilter = ReportFilter(), limit: int | None = None
) -> list[ReportView]:
    statement = _base(where)
    ids = _matching(session, query)
    if ids is not None:
        statement = statement.where(Report.id.in_(ids))
    else:
        # autoescape: %, _ and \ in the query are text to find, not LIKE wildcards.
        statement = statement.where(
            or_(
                Report.title.contains(query, autoescape=True),
                Report.text.contains(query, autoescape=True),
            )
        )
    return [_view(r) for r in session.scalars(statement.limit(limit))]


def list_reports(
    session: Session, where: ReportFilter = ReportFilter(), limit: int | None = None
) -> list[ReportView]:
    return [_view(r) for r in session.scalars(_base(where).limit(limit))]


def iter_reports(session: Session, where: ReportFilter = ReportFilter()) -> Iterator[ReportView]:
    """Every matching report, streamed in batches so exports of big archives stay small."""
    for report in session.scalars(_base(where).execution_options(yield_per=200)):
        yield _view(report)


def get_report(session: Session, report_id: int) -> ReportView | None:
    report = session.scalar(_base(ReportFilter()).where(Report.id == report_id))
    return _view(report) if report else None


def archive_stats(session: Session) -> ArchiveStats:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_year = session.execute(
        select(Report.report_year, func.count()).group_by(Report.report_year)
    ).all()
    return ArchiveStats(
        reports=count(Report),
        sightings=count(Sighting),
        captures=count(Capture),
        failures=count(Failure),
        portals=count(Portal),
        crawl_runs=count(CrawlRun),
        reports_by_year={year: n for year, n in by_year},
    )
