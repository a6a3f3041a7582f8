"""End to end: the real `scrapy crawl reports`, run twice on the local test portal; and
twice on one site whose list template changes in between, with a lower limit on years."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.health import list_health
from archive.models import Attachment, Capture, CrawlRun, Failure, PortalHealth, Report, Sighting
from archive.query import ReportView, list_reports, search_reports
from crawler.cli import main as nianbao
from crawler.registry import load_registry
from tests.portal.expected import (
    EXPECTED_REPORTS,
    NON_REPORT_URLS,
    ROBOTS_DISALLOWED_URLS,
    ExpectedReport,
)
from tests.portal.server import Portal, start_portal
from tests.portal.sites import LISTS_BY_SCRIPT

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "registry.csv"


def crawl(
    portal: Portal,
    db_url: str,
    log: Path,
    *arguments: str,
    min_report_year: int = 0,
    no_proxy: str = "",
) -> None:
    """`min_report_year` 0 pages every column to its end: the portal holds a 2018 report.
    `no_proxy` names loopback hosts to reach directly rather than through the portal."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    # Every request goes to the local portal: it is the proxy for all *.gov.cn hosts.
    env["http_proxy"] = portal.proxy_url
    if no_proxy:
        env["no_proxy"] = no_proxy
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL={db_url}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"LOG_FILE={log}",
        "-s", f"NIANBAO_MIN_REPORT_YEAR={min_report_year}",
        *arguments,
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
    """Two crawls; yields the database URL, the log folder and the counts after the first run."""
    folder = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    # A little latency, as real servers have: requests then overlap if the crawler lets them.
    with start_portal(latency=(0.01, 0.03)) as portal:
        crawl(portal, db_url, folder / "first.log")
        MOST_IN_FLIGHT.update(portal.most_in_flight)
        first = counts(db_url)
        first_requests = len(portal.requests)
        crawl(portal, db_url, folder / "second.log")
        REQUESTS[:] = [portal.requests[:first_requests], portal.requests[first_requests:]]
    yield db_url, folder, first


# (method, URL, status) the portal answered, per run, and the most requests each host was
# answering at once in the first; filled by the `crawled` fixture.
REQUESTS: list[list[tuple[str, str, int]]] = []
MOST_IN_FLIGHT: Counter[str] = Counter()


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
        found = {hit.report.title for hit in search_reports(session, "行政复议").hits}
    engine.dispose()
    assert found and found <= {e.title for e in EXPECTED_REPORTS}


def test_cli_search_prints_the_reports(
    crawled: tuple[str, Path, tuple[int, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert nianbao(["--db", crawled[0], "search", "法治"]) == 0
    out = capsys.readouterr().out
    assert all(e.title in out for e in EXPECTED_REPORTS)


def test_a_host_is_asked_one_request_at_a_time(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    # No delay in this crawl: what keeps a host's requests apart is the crawler, robots.txt
    # (on a downloader slot of its own) included.
    assert MOST_IN_FLIGHT and set(MOST_IN_FLIGHT.values()) == {1}


def test_robots_disallowed_paths_are_never_requested(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    requested = {url for run in REQUESTS for _, url, _ in run}
    assert requested and requested.isdisjoint(ROBOTS_DISALLOWED_URLS)
    assert not any("/zwgk/nbgl/" in url for url in requested)


def test_recrawl_fetches_no_detail_page_it_holds(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    """Except the pages of recent reports, asked conditionally (NIANBAO_REVISIT_YEARS_BACK):
    unchanged, they cost a 304; and the pages a file of which failed, asked in full with their
    files so that the file is tried again."""
    details = {e.url for e in EXPECTED_REPORTS} | {u for e in EXPECTED_REPORTS for u in e.also_at}
    recent_year = dt.date.today().year - 2
    recent = {
        url for e in EXPECTED_REPORTS if e.report_year >= recent_year for url in (e.url, *e.also_at)
    }
    first = {url for _, url, _ in REQUESTS[0]}
    asked_again = {
        url: status for _, url, status in REQUESTS[1] if url in details | set(NON_REPORT_URLS)
    }
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        with_failed_files = set(
            session.scalars(
                select(Failure.page_url).where(
                    Failure.crawl_run_id == 1, Failure.page_url.is_not(None)
                )
            )
        )
        their_files = set(
            session.scalars(
                select(Attachment.url).where(Attachment.page_url.in_(with_failed_files))
            )
        )
    engine.dispose()
    second = {url: status for _, url, status in REQUESTS[1]}
    read_again = {url: second.get(url) for url in with_failed_files | their_files}
    for url in read_again:
        asked_again.pop(url, None)
    assert details <= first
    assert set(asked_again) <= recent and set(asked_again.values()) <= {304}
    assert with_failed_files and set(read_again.values()) == {200}


def test_recrawl_stops_paging_unchanged_columns(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    first, second = ({url for _, url, _ in run} for run in REQUESTS)
    deep = "http://sfj.lanzhou.gov.cn/zwgk/tzgg/list.html?page=5"
    assert deep in first and deep not in second and len(second) < len(first)


def test_site_search_is_asked_where_robots_txt_allows_it(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    requested = [url for _, url, _ in REQUESTS[0]]
    assert any(url.startswith("http://www.anzhou.gov.cn/was5/web/search?") for url in requested)
    # 东川区's homepage has a jsearchfront form, but its robots.txt disallows /jsearchfront/.
    assert not any("/jsearchfront/" in url for url in requested)


def test_unchanged_recrawl_warns_of_nothing(crawled: tuple[str, Path, tuple[int, int]]) -> None:
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        warnings = [w for view in list_health(session, run_id=2) for w in view.warnings]
    engine.dispose()
    assert warnings == []


def test_health_is_recorded_per_portal_and_run(
    crawled: tuple[str, Path, tuple[int, int]],
) -> None:
    engine = open_archive(crawled[0])
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(PortalHealth)) or 0
        first = list_health(session, run_id=1)
    engine.dispose()
    assert rows == 2 * len(load_registry(REGISTRY))
    found = {view.homepage for view in first if view.reports_found > 0}
    hosts = {e.url.split("/")[2] for e in EXPECTED_REPORTS}
    assert {homepage.split("/")[2] for homepage in found} >= hosts


def test_coverage_credits_each_portal_with_its_own_report(
    crawled: tuple[str, Path, tuple[int, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert nianbao(["--db", crawled[0], "coverage", "--year", "2022", "--json"]) == 0
    rows = {
        row["homepage"]: row["status"]
        for row in map(json.loads, capsys.readouterr().out.splitlines())
    }
    # 安州区 published on its portal in January; the city portal only carries the repost.
    assert rows["http://www.anzhou.gov.cn/"] == "on_time"
    assert rows["http://www.my.gov.cn/"] == "missing"


SFJ = "http://sfj.lanzhou.gov.cn/"
SFJ_NOTICES = SFJ + "zwgk/tzgg/list.html"


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[set[str]]]:
    """One site crawled for reports on 2022 and later, then again after its lists moved into
    a script; yields the database URL and the URLs requested per run."""
    folder = tmp_path_factory.mktemp("redesign")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(portal, db_url, folder / "first.log", "-a", f"site={SFJ}", min_report_year=2022)
        first = len(portal.requests)
        portal.set_variant(LISTS_BY_SCRIPT)
        crawl(portal, db_url, folder / "second.log", "-a", f"site={SFJ}", min_report_year=2022)
        runs = [portal.requests[:first], portal.requests[first:]]
    return db_url, [{url for _, url, _ in run} for run in runs]


def test_paging_stops_at_the_first_page_older_than_the_years_of_interest(
    crawled: tuple[str, Path, tuple[int, int]], redesigned: tuple[str, list[set[str]]]
) -> None:
    limited = redesigned[1][0]
    unlimited = {url for _, url, _ in REQUESTS[0] if url.startswith(SFJ)}
    # Page 5 still lists a 2023 item (the 2022 report); page 6 lists 2022 items only.
    assert f"{SFJ_NOTICES}?page=6" in limited and f"{SFJ_NOTICES}?page=7" not in limited
    assert f"{SFJ_NOTICES}?page=16" in unlimited and len(limited) < len(unlimited)


def test_limited_years_still_archive_the_report_on_the_limit_year(
    redesigned: tuple[str, list[set[str]]],
) -> None:
    engine = open_archive(redesigned[0])
    with Session(engine) as session:
        titles = {report.title for report in list_reports(session)}
    engine.dispose()
    assert "兰州市司法局关于2022年法治政府建设情况的报告" in titles


def test_changed_list_template_is_a_health_warning(
    redesigned: tuple[str, list[set[str]]],
) -> None:
    engine = open_archive(redesigned[0])
    with Session(engine) as session:
        first, second = (list_health(session, run_id=run) for run in (1, 2))
    engine.dispose()
    assert first[0].warnings == ()
    warnings = second[0].warnings
    assert f"column {SFJ_NOTICES} lists no items, 2 before: its template may have changed" in (
        warnings
    )
    assert f"column {SFJ_NOTICES} lost its pager: later pages are no longer reached" in warnings


def test_cli_health_lists_only_runs_with_warnings(
    redesigned: tuple[str, list[set[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert nianbao(["--db", redesigned[0], "health", "--run", "1", "--warnings-only"]) == 0
    assert capsys.readouterr().out == ""
    assert nianbao(["--db", redesigned[0], "health", "--warnings-only", "--json"]) == 0
    [row] = map(json.loads, capsys.readouterr().out.splitlines())
    assert row["homepage"] == SFJ and row["run_id"] == 2 and row["warnings"]
