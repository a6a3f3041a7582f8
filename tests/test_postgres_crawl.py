"""The same crawl into PostgreSQL: the archive at scale uses the same models and migrations."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.query import list_reports, search_reports
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import start_portal
from tests.test_end_to_end import crawl


def test_crawl_into_postgresql_archives_the_expected_reports(
    postgres_url: str, tmp_path: Path
) -> None:
    with start_portal() as portal:
        crawl(
            portal,
            postgres_url,
            tmp_path / "first.log",
            "-s",
            f"NIANBAO_WARC_DIR={tmp_path / 'warc'}",
        )
        crawl(
            portal,
            postgres_url,
            tmp_path / "second.log",
            "-s",
            f"NIANBAO_WARC_DIR={tmp_path / 'warc'}",
        )
    engine = open_archive(postgres_url)
    with Session(engine) as session:
        titles = sorted(report.title for report in list_reports(session))
        found = search_reports(session, "复议").total
    engine.dispose()
    assert titles == sorted(e.title for e in EXPECTED_REPORTS) and found
