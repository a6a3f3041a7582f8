"""A crawl killed with SIGKILL mid-run leaves a consistent archive; the next run completes it."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.attachments import attachments_of
from archive.db import open_archive
from archive.dedupe import content_key
from archive.models import Capture, Sighting
from archive.query import search_reports
from archive.raw_captures import read_capture_body
from crawler.extraction.attachments import (
    UnreadableAttachment,
    attachment_kind,
    extract_attachment_text,
)
from crawler.extraction.page import extract_page
from crawler.file_kinds import READABLE_KINDS
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import Portal, start_portal

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "registry.csv"


def start_crawl(portal: Portal, db_path: Path, log: Path, delay: float) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["http_proxy"] = portal.proxy_url
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL=sqlite:///{db_path}",
        "-s", f"DOWNLOAD_DELAY={delay}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"LOG_FILE={log}",
        # Every column to its end: the portal holds reports back to 2018.
        "-s", "NIANBAO_MIN_REPORT_YEAR=0",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, env=env)


def stored_reports(db_path: Path) -> int:
    try:
        # Read-only: a probe must not create the file the crawl is about to make.
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


def kill_after_first_report(process: subprocess.Popen[bytes], db_path: Path) -> int:
    deadline = time.monotonic() + 120
    while stored_reports(db_path) == 0 and process.poll() is None:
        assert time.monotonic() < deadline, "no report stored in time"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return stored_reports(db_path)


@pytest.fixture(scope="module")
def crashed_then_completed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("crash")
    db_path = folder / "archive.sqlite"
    with start_portal() as portal:
        killed = start_crawl(portal, db_path, folder / "killed.log", delay=0.3)
        reports_when_killed = kill_after_first_report(killed, db_path)
        assert 0 < reports_when_killed < len(EXPECTED_REPORTS), "the kill must land mid-run"
        assert start_crawl(portal, db_path, folder / "second.log", delay=0).wait(300) == 0
    yield db_path


def query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def test_database_is_intact(crashed_then_completed: Path) -> None:
    assert query(crashed_then_completed, "PRAGMA integrity_check") == [("ok",)]


def test_the_next_run_completes_the_report_set(crashed_then_completed: Path) -> None:
    titles = [row[0] for row in query(crashed_then_completed, "SELECT title FROM reports")]
    assert sorted(titles) == sorted(e.title for e in EXPECTED_REPORTS)


def test_every_sighting_has_its_report(crashed_then_completed: Path) -> None:
    orphans = query(
        crashed_then_completed,
        "SELECT count(*) FROM sightings s LEFT JOIN reports r ON r.id = s.report_id "
        "WHERE r.id IS NULL",
    )
    assert orphans == [(0,)]


def test_sightings_are_not_duplicated(crashed_then_completed: Path) -> None:
    urls = query(crashed_then_completed, "SELECT url FROM sightings")
    expected = {url for e in EXPECTED_REPORTS for url in (e.url, *e.also_at)}
    assert sorted(u for (u,) in urls) == sorted(expected)


def test_full_text_index_matches_the_reports(crashed_then_completed: Path) -> None:
    # Every report is in the index once, and each is found by its own title.
    indexed = query(crashed_then_completed, "SELECT rowid FROM report_search ORDER BY rowid")
    reports = query(crashed_then_completed, "SELECT id, title FROM reports ORDER BY id")
    assert indexed == [(report_id,) for report_id, _ in reports]
    engine = open_archive(f"sqlite:///{crashed_then_completed}")
    with Session(engine) as session:
        for report_id, title in reports:
            hits = search_reports(session, f'"{title}"', limit=None).hits
            assert report_id in [hit.report.id for hit in hits]
    engine.dispose()


def test_the_killed_run_stays_unfinished_and_the_next_finishes(
    crashed_then_completed: Path,
) -> None:
    finished = query(crashed_then_completed, "SELECT finished_at IS NOT NULL FROM crawl_runs")
    assert finished == [(0,), (1,)]


def attachment_texts(session: Session, db_path: Path, page_url: str) -> list[str]:
    """Texts re-read from the WARC captures of the files a page links."""
    texts = []
    for attachment in attachments_of(session, page_url):
        capture = session.scalars(
            select(Capture).where(Capture.url == attachment.url).order_by(Capture.id.desc())
        ).first()
        kind = attachment_kind(attachment.url)
        if capture is None or not capture.warc_file or kind is None or kind not in READABLE_KINDS:
            continue
        body = read_capture_body(
            db_path.parent / "warc",
            capture.warc_file,
            capture.warc_offset or 0,
            capture.warc_record_id or "",
        )
        with contextlib.suppress(UnreadableAttachment):
            texts.append(extract_attachment_text(body, kind).text)
    return texts


def test_every_sighting_text_is_re_extracted_from_its_warc_capture(
    crashed_then_completed: Path,
) -> None:
    engine = open_archive(f"sqlite:///{crashed_then_completed}")
    with Session(engine) as session:
        sightings = session.scalars(select(Sighting)).all()
        for sighting in sightings:
            capture = session.scalars(
                select(Capture).where(Capture.url == sighting.url).order_by(Capture.id.desc())
            ).first()
            assert capture is not None and capture.warc_file and capture.warc_record_id
            body = read_capture_body(
                crashed_then_completed.parent / "warc",
                capture.warc_file,
                capture.warc_offset or 0,
                capture.warc_record_id,
            )
            kind = attachment_kind(sighting.url)
            if kind is not None:  # the report file itself, sighted beside its page
                texts = [extract_attachment_text(body, kind).text]
            else:
                page = extract_page(body, sighting.url, declared_charset=capture.charset)
                # A page that only introduced its file took the report text from the attachment.
                texts = [
                    page.text,
                    *attachment_texts(session, crashed_then_completed, sighting.url),
                ]
            assert sighting.page_content_key in {content_key(text) for text in texts}
    engine.dispose()
