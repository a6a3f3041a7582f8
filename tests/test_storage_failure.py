"""A run whose storage fails, and a run stopped with SIGTERM, in a real `scrapy crawl`: the run
row says what happened, the exit status tells the scheduler, and the next run stores what the
first could not, without losing or corrupting anything stored before.

The full disk is a file-size limit (RLIMIT_FSIZE) on the crawl's process: every file it
writes — SQLite database and its WAL, WARC files — stops growing at the limit and writes past
it fail (EFBIG; Python ignores SIGXFSZ), as on a full disk, while the test itself writes freely.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import CrawlRun, Failure, Report
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import Portal, start_portal
from tests.test_crash import query, stored_reports
from tests.test_end_to_end import REGISTRY, REPO

# Past the schema and the first pages, short of the whole portal (its WAL grows to ~4 MB).
DISK_BYTES = 1_500_000


def start_crawl(
    portal: Portal, db_path: Path, delay: float = 0, limit: int = 0, *settings: str
) -> subprocess.Popen[bytes]:
    """A crawl into the SQLite file `db_path` (unless `settings` name another database)."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["http_proxy"] = portal.proxy_url
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL=sqlite:///{db_path}",
        "-s", f"DOWNLOAD_DELAY={delay}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "NIANBAO_MIN_REPORT_YEAR=0",
        *(part for setting in settings for part in ("-s", setting)),
    ]  # fmt: skip
    # The log goes to a pipe: a pipe has no file size to limit.
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        preexec_fn=_file_size_limit(limit) if limit else None,
    )


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, log = process.communicate(timeout=300)
    return process.returncode, log.decode("utf-8", "replace")


def reports_by_title(db_path: Path) -> dict[str, tuple[object, ...]]:
    rows = query(db_path, "SELECT title, id, content_key, text FROM reports")
    return {str(row[0]): row[1:] for row in rows}


@dataclass(frozen=True)
class DiskFull:
    """The run on a full disk, then the next run on enough disk."""

    db_path: Path
    status: int
    log: str
    run: list[tuple[object, ...]]  # (finished_at, finish_reason)
    integrity: list[tuple[object, ...]]
    stored_then: dict[str, tuple[object, ...]]
    next_status: int


@pytest.fixture(scope="module")
def disk_full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DiskFull]:
    db_path = tmp_path_factory.mktemp("disk-full") / "archive.sqlite"
    with start_portal() as portal:
        status, log = finish(start_crawl(portal, db_path, limit=DISK_BYTES))
        stored_then = reports_by_title(db_path)
        assert 0 < len(stored_then) < len(EXPECTED_REPORTS), "the disk must fill mid-run"
        run = query(db_path, "SELECT finished_at, finish_reason FROM crawl_runs")
        integrity = query(db_path, "PRAGMA integrity_check")
        next_status, _ = finish(start_crawl(portal, db_path))
    yield DiskFull(db_path, status, log, run, integrity, stored_then, next_status)


def test_a_run_on_a_full_disk_exits_non_zero(disk_full: DiskFull) -> None:
    assert disk_full.status == 1


def test_a_run_on_a_full_disk_is_not_finished(disk_full: DiskFull) -> None:
    # Recorded as storage_failed, or not at all when even that write found the disk full.
    [(finished_at, reason)] = disk_full.run
    assert reason == "storage_failed" or (finished_at, reason) == (None, None)


def test_the_log_says_what_failed_and_that_it_is_retried(disk_full: DiskFull) -> None:
    assert "storage failed" in disk_full.log
    assert "what was not stored is fetched again next run" in disk_full.log


def test_the_archive_stays_intact_on_a_full_disk(disk_full: DiskFull) -> None:
    assert disk_full.integrity == [("ok",)]


def test_the_next_run_stores_what_the_full_disk_lost(disk_full: DiskFull) -> None:
    assert disk_full.next_status == 0
    titles = sorted(reports_by_title(disk_full.db_path))
    assert titles == sorted(e.title for e in EXPECTED_REPORTS)


def test_reports_stored_before_the_disk_filled_are_unchanged(disk_full: DiskFull) -> None:
    now = reports_by_title(disk_full.db_path)
    assert {title: now[title] for title in disk_full.stored_then} == disk_full.stored_then


def test_sigterm_records_the_real_reason_and_the_next_run_completes(tmp_path: Path) -> None:
    db_path = tmp_path / "archive.sqlite"
    with start_portal() as portal:
        process = start_crawl(portal, db_path, delay=0.3)
        deadline = time.monotonic() + 120
        while stored_reports(db_path) == 0 and process.poll() is None:
            assert time.monotonic() < deadline, "no report stored in time"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        finish(process)
        assert finish(start_crawl(portal, db_path))[0] == 0
    reasons = query(db_path, "SELECT finish_reason FROM crawl_runs ORDER BY id")
    assert reasons == [("shutdown",), ("finished",)]
    titles = sorted(str(row[0]) for row in query(db_path, "SELECT title FROM reports"))
    assert titles == sorted(e.title for e in EXPECTED_REPORTS)


# The first few pages' records, then the WARC file is full.
WARC_BYTES = 60_000


def test_a_full_warc_disk_fails_the_run_and_the_next_run_completes(
    postgres_url: str, tmp_path: Path
) -> None:
    """The database (PostgreSQL) has room, the WARC folder has not: every page whose capture
    could not be written is a failure row, and the run fails."""
    settings = (f"NIANBAO_DB_URL={postgres_url}", f"NIANBAO_WARC_DIR={tmp_path / 'warc'}")
    with start_portal() as portal:
        status, _ = finish(start_crawl(portal, tmp_path / "unused", 0, WARC_BYTES, *settings))
        engine = open_archive(postgres_url)
        with Session(engine) as session:
            run = session.scalars(select(CrawlRun)).one()
            messages = list(session.scalars(select(Failure.message)))
        # Which pages hit the full disk depends on fetch order (list pages keep their
        # discovery stage so that they are retried as lists): the reason is what counts.
        disk_full = [m for m in messages if m.startswith("disk full or unwritable")]
        assert (status, run.finish_reason, bool(disk_full)) == (1, "storage_failed", True)
        assert finish(start_crawl(portal, tmp_path / "unused", 0, 0, *settings))[0] == 0
        with Session(engine) as session:
            titles = sorted(session.scalars(select(Report.title)))
        engine.dispose()
    assert titles == sorted(e.title for e in EXPECTED_REPORTS)
