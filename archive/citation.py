"""Citations of archived reports in the GB/T 7714-2015 style for electronic resources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive.models import Report, Sighting


@dataclass(frozen=True)
class Citation:
    author: str
    title: str
    published_at: dt.date | None
    accessed_at: dt.date
    url: str

    def render(self) -> str:
        """主要责任者. 题名[EB/OL]. (发布日期)[引用日期]. 获取路径."""
        published = f"({self.published_at.isoformat()})" if self.published_at else ""
        return (
            f"{self.author}. {self.title}[EB/OL]. "
            f"{published}[{self.accessed_at.isoformat()}]. {self.url}."
        )


def _original_sighting(report: Report) -> Sighting:
    """The page that published the canonical metadata (the earliest publication)."""
    for sighting in report.sightings:
        if sighting.page_published_at == report.published_at:
            return sighting
    return report.sightings[0]


def cite_report(session: Session, report_id: int) -> Citation | None:
    """A citation of the report's original page, accessed when we last saw it there."""
    report = session.get(Report, report_id)
    if report is None or not report.sightings:
        return None
    sighting = _original_sighting(report)
    return Citation(
        author=report.issuer or report.publisher or report.host_site or report.host,
        title=report.title,
        published_at=report.published_at,
        accessed_at=sighting.last_seen.date(),
        url=sighting.url,
    )
