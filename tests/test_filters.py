"""The report filters, the same on search, list, export and coverage, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from archive.coverage import coverage
from archive.db import _alembic_config, create_archive_engine, migrate, open_archive
from archive.filters import ReportFilter, parse_date_range, parse_years
from archive.models import Portal
from archive.query import iter_reports, list_reports, search_reports
from archive.store import PortalRecord, store_report, upsert_portals
from archive.vocabulary import Level, TextSource
from tests.test_archive import record

ANZHOU = PortalRecord(
    "绵阳市安州区人民政府", "http://www.anzhou.gov.cn/", "www.anzhou.gov.cn", "county", "510705"
)
MIANYANG = PortalRecord(
    "四川省绵阳市", "http://www.my.gov.cn/", "www.my.gov.cn", "prefecture", "510700"
)
DONGCHUAN = PortalRecord(
    "昆明市东川区人民政府", "http://www.kmdc.gov.cn/", "www.kmdc.gov.cn", "county", "530113"
)
# A site given on the command line (-a site=…): no division code, level unknown.
AD_HOC = PortalRecord(
    "www.example.com", "http://www.example.com/", "www.example.com", "unknown", ""
)

# Titles name the reports in assertions.
ANZHOU_2022 = "安州区2022年法治政府建设年度报告"
SFJ_2023 = "绵阳市安州区司法局关于2023年法治政府建设情况的报告"
DONGCHUAN_2021 = "东川区2021年法治政府建设年度报告"
MIANYANG_2022 = "绵阳市人民政府关于2022年法治政府建设情况的报告"


def fill(engine: Engine) -> None:
    """Four reports: a county's, a county department's (its text from an attachment), a scan
    still needing OCR, and a city's seen only on an uncoded site."""
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, [ANZHOU, MIANYANG, DONGCHUAN, AD_HOC])
        on = {portal.name: ids[portal.homepage] for portal in (ANZHOU, MIANYANG, DONGCHUAN, AD_HOC)}
        store_report(
            session,
            record("http://www.anzhou.gov.cn/1.html", "2022年，安州区推进依法行政，法治建设。"),
            portal_id=on[ANZHOU.name],
        )
        sfj = record(
            "http://www.anzhou.gov.cn/2.html",
            "2023年，安州区司法局推进行政复议，法治建设。",
            2023,
            title=SFJ_2023,
            issuer="绵阳市安州区司法局",
            publisher="安州区司法局",
            published_at=dt.date(2024, 2, 1),
            text_source=TextSource.ATTACHMENT,
        )
        store_report(session, sfj, portal_id=on[ANZHOU.name])
        scan = record(
            "http://www.kmdc.gov.cn/3.html",
            "2021年，东川区法治建设，见扫描件。",
            2021,
            title=DONGCHUAN_2021,
            issuer="昆明市东川区人民政府",
            host="www.kmdc.gov.cn",
            published_at=dt.date(2022, 3, 15),
            text_source=TextSource.OCR,
            needs_ocr=True,
        )
        store_report(session, scan, portal_id=on[DONGCHUAN.name])
        # Seen only on the ad hoc site: placed by its issuer, 绵阳市, the prefecture's portal.
        city = record(
            "http://www.example.com/4.html",
            "2022年，绵阳市全面推进法治政府建设。",
            title=MIANYANG_2022,
            issuer="绵阳市人民政府",
            host="www.example.com",
        )
        store_report(session, city, portal_id=on[AD_HOC.name])


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url
    engine = open_archive(url)
    fill(engine)
    yield engine
    engine.dispose()


def titles(engine: Engine, where: ReportFilter) -> set[str]:
    with Session(engine) as session:
        return {report.title for report in list_reports(session, where)}


def test_no_filter_keeps_every_report(archive: Engine) -> None:
    assert len(titles(archive, ReportFilter())) == 4


def test_years_as_a_list_and_a_range(archive: Engine) -> None:
    assert titles(archive, ReportFilter(years=parse_years("2021,2023"))) == {
        DONGCHUAN_2021,
        SFJ_2023,
    }
    assert titles(archive, ReportFilter(years=parse_years("2022-2023"))) == {
        ANZHOU_2022,
        SFJ_2023,
        MIANYANG_2022,
    }


def test_region_is_the_portal_division_code_prefix(archive: Engine) -> None:
    assert titles(archive, ReportFilter(region="510705")) == {ANZHOU_2022, SFJ_2023}
    assert titles(archive, ReportFilter(region="53")) == {DONGCHUAN_2021}


def test_region_of_a_report_on_an_uncoded_site_comes_from_its_issuer(archive: Engine) -> None:
    assert titles(archive, ReportFilter(region="510700")) == {MIANYANG_2022}
    assert MIANYANG_2022 in titles(archive, ReportFilter(region="51"))


def test_level_is_the_issuing_body_level(archive: Engine) -> None:
    assert titles(archive, ReportFilter(level=Level.COUNTY)) == {ANZHOU_2022, DONGCHUAN_2021}
    assert titles(archive, ReportFilter(level=Level.DEPARTMENT)) == {SFJ_2023}
    assert titles(archive, ReportFilter(level=Level.PREFECTURE)) == {MIANYANG_2022}


def test_issuer_matches_the_name_or_its_parts(archive: Engine) -> None:
    assert titles(archive, ReportFilter(issuer="司法局")) == {SFJ_2023}
    assert titles(archive, ReportFilter(issuer="安州区")) == {ANZHOU_2022, SFJ_2023}


def test_host_matches_the_site_and_its_subdomains_only(archive: Engine) -> None:
    assert titles(archive, ReportFilter(host="kmdc.gov.cn")) == {DONGCHUAN_2021}
    assert titles(archive, ReportFilter(host="dc.gov.cn")) == set()


def test_published_range(archive: Engine) -> None:
    since, until = parse_date_range("2024-01-01..2024-12-31")
    assert titles(archive, ReportFilter(since=since, until=until)) == {SFJ_2023}
    _, until = parse_date_range("..2022-12-31")
    assert titles(archive, ReportFilter(until=until)) == {DONGCHUAN_2021}


def test_attachment_only_and_needs_ocr(archive: Engine) -> None:
    assert titles(archive, ReportFilter(from_attachment=True)) == {SFJ_2023, DONGCHUAN_2021}
    assert titles(archive, ReportFilter(needs_ocr=True)) == {DONGCHUAN_2021}


def test_search_and_export_take_the_same_filters(archive: Engine) -> None:
    where = ReportFilter(region="51", level=Level.COUNTY)
    with Session(archive) as session:
        found = search_reports(session, "法治", where)
        exported = [report.title for report in iter_reports(session, where)]
    assert (found.total, [hit.report.title for hit in found.hits]) == (1, [ANZHOU_2022])
    assert exported == [ANZHOU_2022]


def test_coverage_portals_by_region_and_level(archive: Engine) -> None:
    with Session(archive) as session:
        rows = coverage(session, 2022, ReportFilter(region="51", level=Level.COUNTY))
    assert [(row.portal, row.status) for row in rows] == [(ANZHOU.name, "on_time")]


def test_coverage_report_filters_keep_portals_with_such_a_report(archive: Engine) -> None:
    with Session(archive) as session:
        rows = coverage(session, 2021, ReportFilter(needs_ocr=True))
        none = coverage(session, 2022, ReportFilter(needs_ocr=True))
    assert [(row.portal, row.status) for row in rows] == [(DONGCHUAN.name, "on_time")]
    assert none == []


def test_text_filters_match_wildcards_literally(archive: Engine) -> None:
    assert titles(archive, ReportFilter(issuer="%")) == set()
    assert titles(archive, ReportFilter(host="_.gov.cn")) == set()


@pytest.mark.parametrize(
    "value", ["2023-2021", "99999999999999999999", "2020-99999999999999999999", "20x", ""]
)
def test_bad_years_are_refused(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_years(value)


def test_filter_refuses_bad_values_at_construction() -> None:
    with pytest.raises(ValueError, match="division code"):
        ReportFilter(region="51%")
    with pytest.raises(ValueError, match="between"):
        ReportFilter(years=frozenset({10**20}))
    with pytest.raises(ValueError, match="level"):
        ReportFilter(level=Level.UNKNOWN)


def test_a_portal_knows_its_government_place() -> None:
    assert Portal(name="四川省绵阳市安州区").government_place == "安州区"
    assert Portal(name="绵阳市人民政府").government_place == "绵阳市"
    assert Portal(name="兰州市司法局").government_place is None  # a department's site


@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url"])
def test_migration_fills_the_government_place_of_existing_portals(
    database: str, request: pytest.FixtureRequest
) -> None:
    engine = create_archive_engine(request.getfixturevalue(database))
    command.upgrade(_alembic_config(engine), "0008_issuer")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO portals (name, homepage, host, level, division_code) VALUES"
                " ('四川省绵阳市安州区', 'http://a/', 'a', 'county', '510705'),"
                " ('兰州市司法局', 'http://b/', 'b', 'department', '620100')"
            )
        )
    migrate(engine)
    with Session(engine) as session:
        places = session.scalars(select(Portal.government_place).order_by(Portal.id)).all()
    engine.dispose()
    assert places == ["安州区", None]
