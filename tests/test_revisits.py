"""Revisits: a second crawl of the test portal asks homepages, list pages and recent report
pages conditionally. An unchanged page costs a 304 (list pages are read again from the WARC
record of their earlier capture), and a report corrected in place is a new version."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.db import open_archive
from archive.models import Capture, Failure, Report, Sighting
from crawler.warc import SERVER_NOT_MODIFIED
from tests.portal.server import start_portal
from tests.test_attachments_crawl import BROKEN_DOCX, QIAOKOU_PAGE
from tests.test_end_to_end import crawl

QIAOKOU_2024 = "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2501288.html"
LANZHOU_SFJ_2023 = "http://sfj.lanzhou.gov.cn/zwgk/fzzfjs/content_31024.html"
ANZHOU_2022 = "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202301/t20230130_10052.html"
QIAOKOU_HOMEPAGE = "http://www.qiaokou.gov.cn/"
# Reports on 2023 and later count as recent whatever today's date (the portal's newest is 2024).
YEARS_BACK = str(dt.date.today().year - 2023)
CORRECTION = "。本报告部分数据已于发布后更正。</p>".encode("gbk")


@dataclass(frozen=True)
class Runs:
    db_url: str
    first_pages: int
    second_downloads: int  # captures of the second run with status 200
    second_unchanged: int  # captures of the second run with status 304


def _correct(body: bytes) -> bytes:
    return body.replace("。</p>".encode("gbk"), CORRECTION, 1)


def _captures(session: Session, run_id: int, status: int | None = None) -> int:
    statement = select(func.count()).select_from(Capture).where(Capture.crawl_run_id == run_id)
    if status is not None:
        statement = statement.where(Capture.status == status)
    return session.scalar(statement) or 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    folder = tmp_path_factory.mktemp("revisits")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    setting = f"NIANBAO_REVISIT_YEARS_BACK={YEARS_BACK}"
    with start_portal() as portal:
        crawl(portal, db_url, folder / "first.log", "-s", setting)
        portal.edit_page(QIAOKOU_2024, _correct)
        crawl(portal, db_url, folder / "second.log", "-s", setting)
    engine = open_archive(db_url)
    with Session(engine) as session:
        measured = Runs(
            db_url, _captures(session, 1), _captures(session, 2, 200), _captures(session, 2, 304)
        )
    engine.dispose()
    print(
        f"\nrevisits: first run {measured.first_pages} pages; second run "
        f"{measured.second_downloads} downloads (status 200, "
        f"{measured.second_downloads / measured.first_pages:.0%} of the first run's pages), "
        f"{measured.second_unchanged} answered 304"
    )
    yield measured


def test_second_run_downloads_at_most_a_quarter_of_the_first_runs_pages(runs: Runs) -> None:
    assert runs.second_downloads <= 0.25 * runs.first_pages


def test_unchanged_pages_cost_a_304(runs: Runs) -> None:
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        unchanged = set(
            session.scalars(
                select(Capture.url).where(Capture.crawl_run_id == 2, Capture.status == 304)
            )
        )
    engine.dispose()
    # The homepage (read again from its WARC record) and a recent report seen again.
    assert {QIAOKOU_HOMEPAGE, LANZHOU_SFJ_2023} <= unchanged


def test_a_304_is_archived_as_a_revisit_of_the_capture_it_confirms(runs: Runs) -> None:
    """WARC's revisit record, profile server-not-modified, pointing to the record of the
    earlier capture whose validators were sent."""
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        unchanged = session.scalars(
            select(Capture).where(Capture.crawl_run_id == 2, Capture.status == 304)
        ).all()
        earlier = {
            c.url: c
            for c in session.scalars(
                select(Capture).where(Capture.crawl_run_id == 1, Capture.status == 200)
            )
        }
        warc_dir = Path(runs.db_url.removeprefix("sqlite:///")).parent / "warc"
        records = [(c, _record_headers(warc_dir, c.warc_file, c.warc_offset)) for c in unchanged]
    engine.dispose()
    assert records
    for capture, headers in records:
        assert headers["WARC-Type"] == "revisit", capture.url
        assert headers["WARC-Profile"] == SERVER_NOT_MODIFIED
        assert headers["WARC-Refers-To"] == earlier[capture.url].warc_record_id
        assert headers["WARC-Refers-To-Target-URI"] == capture.url
        assert headers["WARC-Refers-To-Date"].startswith(
            earlier[capture.url].fetched_at.strftime("%Y-%m-%dT%H:%M")
        )


def _record_headers(warc_dir: Path, warc_file: str | None, offset: int | None) -> dict[str, str]:
    assert warc_file is not None and offset is not None
    with open(warc_dir / warc_file, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return dict(record.rec_headers.headers)


def test_a_stored_report_whose_file_failed_is_read_again_with_the_file(runs: Runs) -> None:
    """The page was stored from its own text while its DOCX was unreadable: a 304 would not
    read it again, so it is asked in full, and the file is tried again (and fails again)."""
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        second = dict(
            session.execute(
                select(Capture.url, Capture.status).where(
                    Capture.crawl_run_id == 2, Capture.url.in_((QIAOKOU_PAGE, BROKEN_DOCX))
                )
            ).all()
        )
        failures = session.scalars(
            select(Failure.page_url).where(Failure.url == BROKEN_DOCX, Failure.crawl_run_id == 2)
        ).all()
    engine.dispose()
    assert second == {QIAOKOU_PAGE: 200, BROKEN_DOCX: 200}
    assert failures == [QIAOKOU_PAGE]


def test_older_report_pages_are_not_asked_again(runs: Runs) -> None:
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        fetched = session.scalar(
            select(func.count()).select_from(Capture).where(Capture.url == ANZHOU_2022)
        )
    engine.dispose()
    assert fetched == 1


def test_report_corrected_in_place_is_a_new_version(runs: Runs) -> None:
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        reports = session.scalars(
            select(Report)
            .join(Sighting, Sighting.report_id == Report.id)
            .where(Sighting.url == QIAOKOU_2024)
            .order_by(Report.id)
        ).all()
    engine.dispose()
    assert len(reports) == 2
    old, new = reports
    assert new.previous_version_id == old.id
    assert "发布后更正" in new.text and "发布后更正" not in old.text


def test_revisits_add_no_other_report(runs: Runs) -> None:
    engine = open_archive(runs.db_url)
    with Session(engine) as session:
        new_in_second = session.scalar(
            select(func.count()).select_from(Report).where(Report.previous_version_id.is_(None))
        )
        first_reports = session.scalar(select(func.count()).select_from(Report))
    engine.dispose()
    assert first_reports == (new_in_second or 0) + 1


@pytest.fixture(scope="module")
def warc_gone(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[tuple[str, str, int]]]:
    """The crawls of `runs` with the WARC files of the first deleted in between; yields the
    database URL and the requests of the second run."""
    folder = tmp_path_factory.mktemp("warc_gone")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(
            portal, db_url, folder / "first.log", "-s", f"NIANBAO_REVISIT_YEARS_BACK={YEARS_BACK}"
        )
        shutil.rmtree(folder / "warc")
        portal.edit_page(QIAOKOU_2024, _correct)  # as in `runs`, whose second run it is held to
        first = len(portal.requests)
        crawl(
            portal, db_url, folder / "second.log", "-s", f"NIANBAO_REVISIT_YEARS_BACK={YEARS_BACK}"
        )
        return db_url, portal.requests[first:]


def test_a_304_whose_kept_body_is_gone_is_asked_again_in_full(
    warc_gone: tuple[str, list[tuple[str, str, int]]],
) -> None:
    answers = [status for _, url, status in warc_gone[1] if url == QIAOKOU_HOMEPAGE]
    assert answers == [304, 200]


def test_discovery_loses_nothing_when_kept_bodies_are_gone(
    runs: Runs, warc_gone: tuple[str, list[tuple[str, str, int]]]
) -> None:
    """The second run asks the same pages as a second run that could read its kept bodies."""
    assert {url for _, url, _ in warc_gone[1]} == _asked(runs.db_url, 2)


def _asked(db_url: str, run_id: int) -> set[str]:
    engine = open_archive(db_url)
    with Session(engine) as session:
        urls = set(session.scalars(select(Capture.url).where(Capture.crawl_run_id == run_id)))
    engine.dispose()
    return urls
