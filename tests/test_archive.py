"""The archive's write and query API on a real SQLite file, and its migrations on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from archive.db import include_object, is_up_to_date, open_archive
from archive.dedupe import content_key
from archive.models import Base, Capture, Report, Sighting
from archive.query import ReportFilter, archive_stats, get_report, list_reports, search_reports
from archive.store import (
    CaptureRecord,
    ReportRecord,
    record_capture,
    set_capture_charset,
    start_run,
    store_report,
)

TEXT_2022 = "2022年，安州区深入推进依法行政，行政复议工作规范开展。一、主要举措和成效。"
TEXT_2023 = "2023年，东川区坚持依法全面履行政府职能，推进严格规范公正文明执法。"


def record(url: str, text: str = TEXT_2022, year: int = 2022, **fields: object) -> ReportRecord:
    values: dict[str, object] = {
        "url": url,
        "host": "www.anzhou.gov.cn",
        "title": f"安州区{year}年法治政府建设年度报告",
        "text": text,
        "report_year": year,
        "published_at": dt.date(year + 1, 1, 30),
        "written_at": None,
        "publisher": "绵阳市安州区司法局",
        "issuer": "绵阳市安州区人民政府",
        "host_site": "绵阳市安州区人民政府",
    }
    values.update(fields)
    return ReportRecord(**values)  # type: ignore[arg-type]


def store(engine: Engine, *records: ReportRecord) -> None:
    with Session(engine) as session, session.begin():
        for item in records:
            store_report(session, item)


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_content_key_ignores_spacing_width_and_punctuation() -> None:
    spaced = "2022年，本区深入推进依法 行政，严格规范公正文明执法。"
    assert content_key(spaced) == content_key(
        "２０２２年,本区深入推进依法行政.严格规范公正文明执法\n"
    )


def test_empty_or_trivially_short_text_has_no_content_key() -> None:
    assert content_key("") is None and content_key("详见附件。") is None


def test_content_key_differs_for_different_text() -> None:
    assert content_key(TEXT_2022) != content_key(TEXT_2023)


def test_same_text_at_two_urls_is_one_report_with_two_sightings(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html"), record("http://b.gov.cn/2.html"))
    assert (count(engine, Report), count(engine, Sighting)) == (1, 2)


def test_storing_the_same_page_twice_changes_nothing(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html"))
    store(engine, record("http://a.gov.cn/1.html"))
    assert (count(engine, Report), count(engine, Sighting)) == (1, 1)


def test_report_taken_from_its_file_is_sighted_at_page_and_file(engine: Engine) -> None:
    page = record("http://a.gov.cn/1.html", text_source="attachment")
    from_file = record(
        "http://a.gov.cn/1.html", text_source="attachment", attachment_url="http://a.gov.cn/1.pdf"
    )
    store(engine, from_file, from_file)
    store(engine, page)
    with Session(engine) as session:
        urls = sorted(session.scalars(select(Sighting.url)))
    assert urls == ["http://a.gov.cn/1.html", "http://a.gov.cn/1.pdf"]


def test_search_finds_two_character_terms(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html"), record("http://a.gov.cn/2.html", TEXT_2023))
    with Session(engine) as session:
        assert [h.report.report_year for h in search_reports(session, "复议").hits] == [2022]


def test_search_finds_long_phrases_through_fts(engine: Engine) -> None:
    store(
        engine, record("http://a.gov.cn/1.html"), record("http://a.gov.cn/2.html", TEXT_2023, 2023)
    )
    with Session(engine) as session:
        assert [h.report.report_year for h in search_reports(session, "严格规范公正").hits] == [
            2023
        ]


def test_search_filters_by_year(engine: Engine) -> None:
    store(
        engine, record("http://a.gov.cn/1.html"), record("http://a.gov.cn/2.html", TEXT_2023, 2023)
    )
    with Session(engine) as session:
        result = search_reports(session, "年", ReportFilter(years=frozenset({2023})))
        assert [h.report.report_year for h in result.hits] == [2023]


def test_list_filters_by_publish_date(engine: Engine) -> None:
    store(
        engine, record("http://a.gov.cn/1.html"), record("http://a.gov.cn/2.html", TEXT_2023, 2023)
    )
    with Session(engine) as session:
        found = list_reports(session, ReportFilter(since=dt.date(2024, 1, 1)))
    assert [r.report_year for r in found] == [2023]


def test_list_filters_by_publisher_substring(engine: Engine) -> None:
    store(
        engine,
        record("http://a.gov.cn/1.html"),
        record("http://a.gov.cn/2.html", TEXT_2023, publisher="东川区人民政府办公室"),
    )
    with Session(engine) as session:
        assert [r.publisher for r in list_reports(session, ReportFilter(publisher="东川"))] == [
            "东川区人民政府办公室"
        ]


def test_get_report_lists_every_sighting_url(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html"), record("http://b.gov.cn/2.html"))
    with Session(engine) as session:
        report = get_report(session, 1)
    assert report is not None and report.urls == (
        "http://a.gov.cn/1.html",
        "http://b.gov.cn/2.html",
    )


def test_stats_count_reports_by_year(engine: Engine) -> None:
    store(
        engine, record("http://a.gov.cn/1.html"), record("http://a.gov.cn/2.html", TEXT_2023, 2023)
    )
    with Session(engine) as session:
        assert archive_stats(session).reports_by_year == {2022: 1, 2023: 1}


def test_opening_twice_keeps_data_and_schema(sqlite_url: str) -> None:
    store(open_archive(sqlite_url), record("http://a.gov.cn/1.html"))
    engine = open_archive(sqlite_url)
    assert is_up_to_date(engine) and count(engine, Report) == 1


def test_migrations_run_on_postgresql(postgres_url: str) -> None:
    engine = open_archive(postgres_url)
    assert {"reports", "sightings", "captures", "crawl_runs", "failures", "portals"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_report_texts_are_compressed_with_lz4_on_postgresql(postgres_url: str) -> None:
    engine = open_archive(postgres_url)
    store(engine, record("http://a.gov.cn/1.html", TEXT_2022 * 200))
    with engine.connect() as connection:
        methods = connection.scalar(
            text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        )
        used = connection.scalar(text("SELECT pg_column_compression(text) FROM reports"))
    engine.dispose()
    assert used == ("lz4" if "lz4" in methods else "pglz")


def test_store_and_search_on_postgresql(postgres_url: str) -> None:
    engine = open_archive(postgres_url)
    store(engine, record("http://a.gov.cn/1.html"), record("http://b.gov.cn/1.html"))
    with Session(engine) as session:
        assert [len(h.report.urls) for h in search_reports(session, "复议").hits] == [2]
    engine.dispose()


def test_earliest_publication_gives_the_canonical_metadata(engine: Engine) -> None:
    repost = record(
        "http://www.my.gov.cn/1.html", published_at=dt.date(2023, 2, 1), publisher="绵阳市人民政府"
    )
    store(engine, repost, record("http://www.anzhou.gov.cn/1.html"))
    with Session(engine) as session:
        report = get_report(session, 1)
    assert report is not None and (report.published_at, report.publisher) == (
        dt.date(2023, 1, 30),
        "绵阳市安州区司法局",
    )


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_full_text_search_survives_migrations(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html", TEXT_2023, 2023))
    with Session(engine) as session:
        assert search_reports(session, "严格规范公正").total == 1


def test_capture_records_the_charset_extraction_used(engine: Engine) -> None:
    capture = CaptureRecord(
        "http://a.gov.cn/1.html", 200, "text/html; charset=gb2312", "gb2312", 10, "sha256:0"
    )
    with Session(engine) as session, session.begin():
        run_id = start_run(session)
        record_capture(session, run_id, capture)
        set_capture_charset(session, run_id, capture.url, "gb18030", "detected", False)
    with Session(engine) as session:
        row = session.execute(
            select(Capture.charset, Capture.charset_source, Capture.charset_confident)
        ).one()
    assert tuple(row) == ("gb18030", "detected", False)
