"""End to end: the real `scrapy crawl reports`, run twice on the local test portal."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import Capture, CrawlRun, Report, Sighting
from archive.query import ReportView, list_reports, search_reports
from crawler.cli import main as nianbao
from tests.portal.expected import EXPECTED_REPORTS, NON_REPORT_URLS, ExpectedReport
from tests.portal.server import Portal, start_portal

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "registry.csv"


def crawl(portal: Portal, db_url: str, log: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    # Every request goes to the local portal: it is the proxy for all *.gov.cn hosts.
    env["http_proxy"] = portal.proxy_url
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL={db_url}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"LOG_FILE={log}",
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=300)


def counts(db_url: str) -> tuple[int, int]:
    engine = open_archive(db_url)
    with Session(engine) as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
        sightings = session.scalar(select(func.count()).select_from(Sighting)) or 0
    engine.dispose()
    return reports, sightings


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, tuple[int, int]]]:
    """One crawl; yields the database URL, the log folder and the counts after the first run."""
    folder = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(portal, db_url, folder / "first.log")
        first = counts(db_url)
        crawl(portal, db_url, folder / "second.log")
    yield db_url, folder, first


@pytest.fixture(scope="module")
def reports(crawled: tuple[str, Path, tuple[int, int]]) -> dict[str, ReportView]:
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        found = list_reports(session)
    engine.dispose()
    return {report.title: report for report in found}


def test_exactly_the_expected_reports_are_archived(reports: dict[str, ReportView]) -> None:
    assert sorted(reports) == sorted(e.title for e in EXPECTED_REPORTS)


@pytest.mark.parametrize("expected", EXPECTED_REPORTS, ids=lambda e: e.title)
def test_report_metadata(expected: ExpectedReport, reports: dict[str, ReportView]) -> None:
    report = reports[expected.title]
    published = expected.published_at
    assert (report.report_year, report.published_at, report.publisher) == (
        expected.report_year,
        dt.date.fromisoformat(published) if published else None,
        expected.publisher,
    )


@pytest.mark.parametrize("expected", EXPECTED_REPORTS, ids=lambda e: e.title)
def test_report_is_seen_at_every_url(
    expected: ExpectedReport, reports: dict[str, ReportView]
) -> None:
    report = reports[expected.title]
    urls = {expected.url, *expected.also_at}
    assert set(report.urls) == urls


def test_no_false_positive_is_stored(reports: dict[str, ReportView]) -> None:
    stored = {url for report in reports.values() for url in report.urls}
    assert stored.isdisjoint(NON_REPORT_URLS)


def test_second_run_adds_no_report_and_no_sighting(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    db_url, _, first = crawled
    assert counts(db_url) == first


def test_every_fetch_is_a_capture_and_runs_are_recorded(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        captures = session.scalar(select(func.count()).select_from(Capture)) or 0
    engine.dispose()
    assert [run.finished_at is not None for run in runs] == [True, True]
    assert captures == sum(run.pages_fetched for run in runs)


def test_search_answers_through_the_archive(crawled: tuple[str, Path, tuple[int, int]]) -> None:
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        found = {report.title for report in search_reports(session, "行政复议")}
    engine.dispose()
    assert found and found <= {e.title for e in EXPECTED_REPORTS}


def test_cli_search_prints_the_reports(
    crawled: tuple[str, Path, tuple[int, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert nianbao(["--db", crawled[0], "search", "法治"]) == 0
    out = capsys.readouterr().out
    assert all(e.title in out for e in EXPECTED_REPORTS)
