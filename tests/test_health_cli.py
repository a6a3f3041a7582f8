"""`nianbao health`: per-portal health rows of a crawl run, filtered and as JSON, and the
earlier capture a column's shape is compared with."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from archive.crawl_state import previous_capture
from archive.db import open_archive
from archive.health import HealthRecord, record_health
from archive.store import (
    CaptureRecord,
    PortalRecord,
    finish_run,
    record_capture,
    start_run,
    upsert_portals,
)
from crawler.cli import main

ANZHOU = "http://www.anzhou.gov.cn/"
KMDC = "http://www.kmdc.gov.cn/"
COLUMN = ANZHOU + "zwgk/fzzfjs/index.html"


def capture(run_id: int, warc_file: str | None) -> CaptureRecord:
    return CaptureRecord(
        url=COLUMN,
        status=200,
        content_type="text/html",
        charset=None,
        size=10,
        digest="sha256:" + "0" * 64,
        warc_file=warc_file,
        warc_record_id="<urn:uuid:1>" if warc_file else None,
        warc_offset=0 if warc_file else None,
    )


@pytest.fixture
def archive_url(sqlite_url: str) -> str:
    engine = open_archive(sqlite_url)
    with Session(engine) as session, session.begin():
        upsert_portals(
            session,
            [
                PortalRecord(
                    "绵阳市安州区人民政府", ANZHOU, "www.anzhou.gov.cn", "county", "510705"
                ),
                PortalRecord("昆明市东川区人民政府", KMDC, "www.kmdc.gov.cn", "county", "530113"),
            ],
        )
        for warnings in ((), ("column x lost its pager: later pages are no longer reached",)):
            run_id = start_run(session)
            record_capture(session, run_id, capture(run_id, f"run{run_id}.warc.gz"))
            record_health(
                session,
                run_id,
                [HealthRecord(ANZHOU, 12, 1, 0, warnings), HealthRecord(KMDC, 9, 1, 0)],
            )
            finish_run(session, run_id, "finished", 21)
    engine.dispose()
    return sqlite_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_health_shows_the_latest_run_with_its_warnings(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "health")
    header, anzhou, warning, kmdc = out.splitlines()
    assert header.split() == [
        "run_id",
        "pages_fetched",
        "reports_found",
        "errors",
        "name",
        "homepage",
    ]
    assert anzhou.split() == ["2", "12", "1", "0", "绵阳市安州区人民政府", ANZHOU]
    assert warning == "        warning: column x lost its pager: later pages are no longer reached"
    assert kmdc.split()[0] == "2" and "昆明市东川区人民政府" in kmdc


def test_health_of_an_earlier_run_without_warnings_prints_nothing_when_filtered(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", archive_url, "health", "--run", "1", "--warnings-only") == ""


def test_health_json_has_one_object_per_portal(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        json.loads(line)
        for line in run(capsys, "--db", archive_url, "health", "--json").splitlines()
    ]
    assert [(r["homepage"], r["pages_fetched"]) for r in rows] == [(ANZHOU, 12), (KMDC, 9)]


def test_previous_capture_is_the_latest_of_an_earlier_finished_run(archive_url: str) -> None:
    engine = open_archive(archive_url)
    with Session(engine) as session:
        latest = previous_capture(session, COLUMN, before_run=3)
        first = previous_capture(session, COLUMN, before_run=2)
        none = previous_capture(session, COLUMN, before_run=1)
    engine.dispose()
    assert latest is not None and latest.warc_file == "run2.warc.gz"
    assert first is not None and first.crawl_run_id == 1 and none is None
