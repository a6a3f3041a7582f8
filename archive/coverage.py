"""Coverage: for each registry portal and report year, was the report published on time?

Since the 2019 rule (厅字〔2019〕28号) the previous year's report is due on the website before
April 1. A portal is credited only with its own body's report, not with reposts it carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.filters import ReportFilter
from archive.issuer import Issuer, parse_issuer
from archive.models import Portal, Report, Sighting
from archive.vocabulary import CoverageStatus, IssuerKind

# The report on year Y is due before this day of year Y+1.
DEADLINE_MONTH, DEADLINE_DAY = 4, 1


@dataclass(frozen=True)
class CoverageRow:
    portal: str
    homepage: str
    level: str
    division_code: str
    report_year: int
    status: CoverageStatus
    report_id: int | None
    published_at: dt.date | None
    # Whether that report holds the four required parts (None: no report, or no text).
    complete: bool | None = None


def stored_issuer(report: Report) -> Issuer | None:
    """The issuer's parts as stored when the report was written."""
    if report.issuer_place is None or report.issuer_kind is None:
        return None
    return Issuer(report.issuer_place, IssuerKind(report.issuer_kind), report.issuer_department)


def is_own_report(portal: Issuer | None, issuer: Issuer | None) -> bool:
    """Same place and same organ; a joint report is its government's own."""
    return (
        portal is not None
        and issuer is not None
        and (portal.place, portal.organ) == (issuer.place, issuer.organ)
    )


def deadline(report_year: int) -> dt.date:
    return dt.date(report_year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def publication_status(report_year: int, published_at: dt.date | None) -> CoverageStatus:
    if published_at is None:
        return CoverageStatus.UNDATED
    if published_at < deadline(report_year):
        return CoverageStatus.ON_TIME
    return CoverageStatus.LATE


def coverage(
    session: Session, report_year: int, where: ReportFilter = ReportFilter()
) -> list[CoverageRow]:
    """One row per portal: its own report on `report_year` and when it appeared, or missing.
    The filter's portal clauses (region, level, issuer, host) choose the portals; its
    publication clauses (publisher, dates, attachment, OCR) choose the reports that count, and
    then only portals with such a report are listed."""
    portals = session.scalars(
        select(Portal).where(*where.portal_clauses()).order_by(Portal.id)
    ).all()
    about_reports = where.publication_clauses()
    seen = session.execute(
        select(Sighting.portal_id, Report)
        .join(Report, Sighting.report_id == Report.id)
        .where(Report.report_year == report_year, Sighting.portal_id.is_not(None), *about_reports)
    ).all()
    by_portal: dict[int | None, list[Report]] = {}
    for portal_id, report in seen:
        by_portal.setdefault(portal_id, []).append(report)
    rows = [_row(portal, report_year, by_portal.get(portal.id, [])) for portal in portals]
    if about_reports:
        return [row for row in rows if row.status != CoverageStatus.MISSING]
    return rows


def _row(portal: Portal, report_year: int, reports: list[Report]) -> CoverageRow:
    body = parse_issuer(portal.name)  # the registry name, not a report's: read it here
    own = [r for r in reports if is_own_report(body, stored_issuer(r))]
    dated = sorted((r for r in own if r.published_at), key=lambda r: r.published_at or dt.date.max)
    best = dated[0] if dated else (own[0] if own else None)
    return CoverageRow(
        portal=portal.name,
        homepage=portal.homepage,
        level=portal.level,
        division_code=portal.division_code,
        report_year=report_year,
        status=publication_status(report_year, best.published_at)
        if best
        else CoverageStatus.MISSING,
        report_id=best.id if best else None,
        published_at=best.published_at if best else None,
        complete=best.parts_complete if best else None,
    )
