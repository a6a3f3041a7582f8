"""Coverage: for each registry portal and report year, was the report published on time?

Since the 2019 rule (厅字〔2019〕28号) the previous year's report is due on the website before
April 1. A portal is credited only with its own body's report, not with reposts it carries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Portal, Report, Sighting

# The report on year Y is due before this day of year Y+1.
DEADLINE_MONTH, DEADLINE_DAY = 4, 1
# Lazy name + unit suffix. A bare 州 is no suffix: it ends names (兰州市, 安州区) far more often.
ADMIN_UNIT = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:特别行政区|自治区|自治州|自治县|省|市|盟|地区|区|县|旗)"
)
# Names a government goes by on its own portal; a department keeps its own name (司法局).
GOVERNMENT_ORGANS = frozenset({"", "人民政府", "政府", "管委会", "管理委员会", "党工委管委会"})
STATUSES = ("on_time", "late", "undated", "missing")


@dataclass(frozen=True)
class Body:
    """An issuing body: its finest administrative unit and its organ ("government" or a name)."""

    unit: str
    organ: str


@dataclass(frozen=True)
class CoverageRow:
    portal: str
    homepage: str
    level: str
    division_code: str
    report_year: int
    status: str  # one of STATUSES
    report_id: int | None
    published_at: dt.date | None


def issuing_body(name: str) -> Body | None:
    """The body a name denotes: 绵阳市安州区人民政府 -> (安州区, government)."""
    head = re.split(r"关于|\d{4}|[〇○零一二][〇○零一二三四五六七八九]{3}", name.strip())[0]
    head = head.split()[-1] if head.split() else head  # 中共X区委 X区人民政府: the government
    units = list(ADMIN_UNIT.finditer(head))
    if not units:
        return None
    organ = head[units[-1].end() :]
    return Body(units[-1].group(), "government" if organ in GOVERNMENT_ORGANS else organ)


def is_own_report(portal_name: str, issuer_or_title: str) -> bool:
    portal, issuer = issuing_body(portal_name), issuing_body(issuer_or_title)
    return portal is not None and portal == issuer


def deadline(report_year: int) -> dt.date:
    return dt.date(report_year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def publication_status(report_year: int, published_at: dt.date | None) -> str:
    if published_at is None:
        return "undated"
    return "on_time" if published_at < deadline(report_year) else "late"


def coverage(session: Session, report_year: int, code_prefix: str = "") -> list[CoverageRow]:
    """One row per portal: its own report on `report_year` and when it appeared, or missing."""
    portals = session.scalars(
        select(Portal)
        .where(Portal.division_code.startswith(code_prefix, autoescape=True))
        .order_by(Portal.id)
    ).all()
    seen = session.execute(
        select(Sighting.portal_id, Report)
        .join(Report, Sighting.report_id == Report.id)
        .where(Report.report_year == report_year, Sighting.portal_id.is_not(None))
    ).all()
    by_portal: dict[int | None, list[Report]] = {}
    for portal_id, report in seen:
        by_portal.setdefault(portal_id, []).append(report)
    return [_row(portal, report_year, by_portal.get(portal.id, [])) for portal in portals]


def _row(portal: Portal, report_year: int, reports: list[Report]) -> CoverageRow:
    own = [r for r in reports if is_own_report(portal.name, r.issuer or r.title)]
    dated = sorted((r for r in own if r.published_at), key=lambda r: r.published_at or dt.date.max)
    best = dated[0] if dated else (own[0] if own else None)
    return CoverageRow(
        portal=portal.name,
        homepage=portal.homepage,
        level=portal.level,
        division_code=portal.division_code,
        report_year=report_year,
        status=publication_status(report_year, best.published_at) if best else "missing",
        report_id=best.id if best else None,
        published_at=best.published_at if best else None,
    )
