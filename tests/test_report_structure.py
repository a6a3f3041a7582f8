"""The archive keeps each report's outline and four-part check: on store, and by migration
0009 for reports stored before, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from archive.db import _alembic_config, create_archive_engine, open_archive
from archive.models import Report, ReportSection
from archive.report_parts import ALL_PARTS_MASK, EvidenceSource
from archive.report_structure import stored_check, stored_outline
from archive.vocabulary import RequiredPart
from tests.test_archive import record, store
from tests.test_sections import seed

COMPLETE = (
    "2022年，本区深入推进依法行政。\n"
    "一、主要举措和成效\n（一）完善制度\n出台规范性文件3件。\n（二）严格执法\n办理案件12件。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n区长主持常务会议专题研究法治工作4次。\n"
    "三、存在的问题\n执法队伍力量仍然不足。\n"
    "四、2023年工作打算\n继续深化改革。\n"
)
INCOMPLETE = (
    "2022年，本区深入推进依法行政。\n一、工作情况\n办理案件12件。\n二、存在问题\n力量不足。\n"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url


@pytest.fixture
def archive(url: str) -> Iterator[Engine]:
    engine = open_archive(url)
    yield engine
    engine.dispose()


def stored(engine: Engine) -> list[Report]:
    with Session(engine) as session:
        return list(session.scalars(select(Report).order_by(Report.id)))


def test_storing_a_report_keeps_its_outline_and_parts(archive: Engine) -> None:
    store(archive, record("http://a.gov.cn/1.html", COMPLETE, 2022))
    (report,) = stored(archive)
    assert (report.parts_found, report.parts_complete) == (ALL_PARTS_MASK, True)
    with Session(archive) as session:
        rows = stored_outline(session, report.id)
    assert [(r.level, r.label, r.heading) for r in rows] == [
        (1, "一、", "主要举措和成效"),
        (2, "（一）", "完善制度"),
        (2, "（二）", "严格执法"),
        (1, "二、", "党政主要负责人履行推进法治建设第一责任人职责情况"),
        (1, "三、", "存在的问题"),
        (1, "四、", "2023年工作打算"),
    ]
    assert (
        COMPLETE[rows[4].char_start : rows[4].char_end]
        == "三、存在的问题\n执法队伍力量仍然不足。\n"
    )


def test_an_incomplete_report_records_the_parts_it_has(archive: Engine) -> None:
    store(archive, record("http://a.gov.cn/1.html", INCOMPLETE, 2022))
    (report,) = stored(archive)
    assert report.parts_complete is False
    assert report.parts_found == RequiredPart.MEASURES.bit | RequiredPart.SHORTCOMINGS.bit


def test_each_part_is_recorded_with_its_evidence(archive: Engine) -> None:
    store(archive, record("http://a.gov.cn/1.html", INCOMPLETE, 2022))
    with Session(archive) as session:
        check = stored_check(session, stored(archive)[0].id)
    assert check is not None
    assert [(e.part.value, e.source, e.text, e.start) for e in check.evidence] == [
        ("measures", EvidenceSource.HEADING, "一、工作情况", INCOMPLETE.index("一、")),
        ("shortcomings", EvidenceSource.HEADING, "二、存在问题", INCOMPLETE.index("二、")),
        ("leaders_duty", None, "", None),
        ("plans", None, "", None),
    ]


def test_a_scan_without_text_is_not_judged(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/scan.html", "", 2022, needs_ocr=True))
    (report,) = stored(engine)
    assert (report.parts_found, report.parts_complete) == (None, None)
    with Session(engine) as session:
        assert stored_check(session, report.id) is None


def test_an_earlier_sighting_with_another_year_rejudges_the_plans(engine: Engine) -> None:
    # A plan for 2023 is a plan in a report on 2022; once the report turns out to cover 2023
    # (an earlier, more trustworthy publication), the same heading reviews the year.
    text = INCOMPLETE + "三、2023年重点任务\n深化改革。\n"
    later = record("http://a.gov.cn/1.html", text, 2022, published_at=dt.date(2024, 3, 1))
    store(engine, later)
    assert stored(engine)[0].parts_found & RequiredPart.PLANS.bit
    earlier = record("http://b.gov.cn/1.html", text, 2023, published_at=dt.date(2024, 1, 5))
    store(engine, earlier)
    assert not stored(engine)[0].parts_found & RequiredPart.PLANS.bit  # type: ignore[operator]


NOW = dt.datetime(2024, 1, 1)


def test_migration_backfills_reports_stored_before_it(url: str) -> None:
    engine = create_archive_engine(url)
    command.upgrade(_alembic_config(engine), "0008_issuer")
    with engine.begin() as connection:
        for number, body in enumerate([seed("seed_002_kmdc.txt"), seed("seed_000_anzhou.txt")]):
            connection.execute(
                text(
                    "INSERT INTO reports (content_key, title, report_year, host, text, created_at)"
                    " VALUES (:key, :title, :year, 'h', :text, :now)"
                ),
                {
                    "key": f"k{number}",
                    "title": "t",
                    "year": 2018,
                    "text": body,
                    "now": dt.datetime.now(),
                },
            )
    engine.dispose()
    engine = open_archive(url)  # migrates to the head
    kmdc, anzhou = stored(engine)
    assert (kmdc.parts_complete, anzhou.parts_complete) == (True, False)
    with Session(engine) as session:
        headings = [r.heading for r in stored_outline(session, kmdc.id) if r.level == 1]
        check = stored_check(session, anzhou.id)
    assert headings[8:] == ["存在问题", "下一步工作计划"]
    assert check is not None and check.missing == (RequiredPart.LEADERS_DUTY,)
    engine.dispose()


def test_migration_downgrades_and_upgrades_again(url: str) -> None:
    engine = open_archive(url)
    command.downgrade(_alembic_config(engine), "0008_issuer")
    inspector = inspect(engine)
    assert "parts_found" not in {c["name"] for c in inspector.get_columns("reports")}
    assert not {"report_sections", "report_parts"} & set(inspector.get_table_names())
    command.upgrade(_alembic_config(engine), "heads")
    store(engine, record("http://a.gov.cn/1.html", COMPLETE, 2022))
    with Session(engine) as session:
        assert session.scalar(select(ReportSection.heading).limit(1)) == "主要举措和成效"
    engine.dispose()
