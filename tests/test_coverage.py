"""Coverage: who published their own report on time, late, undated, or not at all."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from archive.coverage import coverage, is_own_report, publication_status
from archive.filters import ReportFilter
from archive.issuer import parse_issuer
from archive.store import PortalRecord, store_report, upsert_portals
from archive.vocabulary import CoverageStatus
from tests.test_archive import TEXT_2023, record

PORTALS = (
    PortalRecord(
        "绵阳市安州区人民政府",
        "http://www.anzhou.gov.cn/",
        "www.anzhou.gov.cn",
        "county",
        "510705",
    ),
    PortalRecord(
        "绵阳市人民政府", "http://www.my.gov.cn/", "www.my.gov.cn", "prefecture", "510700"
    ),
    PortalRecord(
        "昆明市东川区人民政府", "http://www.kmdc.gov.cn/", "www.kmdc.gov.cn", "county", "530113"
    ),
)


def test_city_portal_is_not_credited_with_a_district_repost() -> None:
    assert not is_own_report(parse_issuer("绵阳市人民政府"), parse_issuer("绵阳市安州区人民政府"))


def test_department_report_is_not_the_government_report() -> None:
    assert not is_own_report(parse_issuer("兰州市人民政府"), parse_issuer("兰州市司法局"))


def test_joint_report_is_the_government_report() -> None:
    joint = parse_issuer("中共绵阳市安州区委 绵阳市安州区人民政府")
    assert is_own_report(parse_issuer("绵阳市安州区人民政府"), joint)


def test_deadline_is_before_april_first() -> None:
    assert publication_status(2022, dt.date(2023, 3, 31)) == CoverageStatus.ON_TIME
    assert publication_status(2022, dt.date(2023, 4, 1)) == CoverageStatus.LATE
    assert publication_status(2022, None) == CoverageStatus.UNDATED


def test_coverage_reports_on_time_late_and_missing(engine: Engine) -> None:
    portals = list(PORTALS)
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, portals)
        store_report(
            session,
            record("http://www.anzhou.gov.cn/1.html"),
            portal_id=ids["http://www.anzhou.gov.cn/"],
        )
        store_report(
            session, record("http://www.my.gov.cn/2.html"), portal_id=ids["http://www.my.gov.cn/"]
        )
        late = record(
            "http://www.kmdc.gov.cn/3.html",
            TEXT_2023,
            2022,
            issuer="东川区",
            published_at=dt.date(2023, 5, 6),
        )
        store_report(session, late, portal_id=ids["http://www.kmdc.gov.cn/"])
    with Session(engine) as session:
        rows = {row.portal: row.status for row in coverage(session, 2022)}
    assert rows == {
        "绵阳市安州区人民政府": "on_time",
        "绵阳市人民政府": "missing",
        "昆明市东川区人民政府": "late",
    }


def test_coverage_filters_by_division_code_prefix(engine: Engine) -> None:
    portals = [PORTALS[0], PORTALS[2]]
    with Session(engine) as session, session.begin():
        upsert_portals(session, portals)
    with Session(engine) as session:
        assert [
            row.division_code for row in coverage(session, 2022, ReportFilter(region="53"))
        ] == ["530113"]


def test_coverage_reads_the_stored_issuer_not_its_text(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, [PORTALS[0]])
        portal_id = ids["http://www.anzhou.gov.cn/"]
        store_report(session, record("http://www.anzhou.gov.cn/1.html"), portal_id=portal_id)
        # Behind the model's back: only the stored parts change, the issuer text stays.
        session.execute(text("UPDATE reports SET issuer_place = '东川区'"))
    with Session(engine) as session:
        assert [row.status for row in coverage(session, 2022)] == [CoverageStatus.MISSING]
