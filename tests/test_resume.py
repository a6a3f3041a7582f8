"""Resume and fairness: a run starts with the portals least recently visited, so runs that are
always cut short still cover the registry in turn; a run paused with SIGINT under Scrapy's
JOBDIR goes on where it stopped when started again with the same JOBDIR."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.crawl_state import portal_order
from archive.db import open_archive
from archive.health import list_health
from archive.models import CrawlRun, PortalHealth
from archive.query import list_reports
from archive.store import PortalRecord, finish_run, start_run, upsert_portals
from archive.visits import LastCompletion, VisitRecord, last_completed, last_visited, record_visits
from archive.vocabulary import VisitOutcome
from crawler.registry import load_registry
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import Portal, start_portal

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "registry.csv"
HOMEPAGES = [portal.homepage for portal in load_registry(REGISTRY)]
A, B, C = "http://a.gov.cn/", "http://b.gov.cn/", "http://c.gov.cn/"


# portal_order, on completions recorded through the archive's own functions.


def _run(
    session: Session,
    reason: str,
    outcomes: dict[str, VisitOutcome],
    at: dt.datetime,
    pages: dict[str, int] | None = None,
) -> None:
    """A run started `at` with these outcomes (completions a minute apart, in the order given)
    and, where given, the pages it fetched of each portal."""
    portal_ids = upsert_portals(
        session, [PortalRecord(h, h, h[7:-1], "county", "000000") for h in (A, B, C)]
    )
    run_id = start_run(session)
    session.get_one(CrawlRun, run_id).started_at = at
    visits = [
        VisitRecord(h, o, at + dt.timedelta(minutes=n) if o == VisitOutcome.COMPLETED else None)
        for n, (h, o) in enumerate(outcomes.items())
    ]
    record_visits(session, run_id, visits, portal_ids)
    for homepage, count in (pages or {}).items():
        session.add(
            PortalHealth(crawl_run_id=run_id, portal_id=portal_ids[homepage], pages_fetched=count)
        )
    finish_run(session, run_id, reason, 0)


def _recency(session: Session) -> tuple[dict[str, LastCompletion], dict[str, dt.datetime]]:
    return last_completed(session), last_visited(session)


def test_portals_never_completed_come_first_in_registry_order(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        done, partial = VisitOutcome.COMPLETED, VisitOutcome.PARTIAL
        _run(session, "finished", {A: done, B: done, C: done}, dt.datetime(2026, 1, 1))
        _run(session, "closespider_pagecount", {A: done, B: partial}, dt.datetime(2026, 2, 1))
        order = portal_order([A, B, C, "http://new.gov.cn/"], *_recency(session))
    # B and C were last completed in January; B was begun again in February, C not since.
    assert order == ["http://new.gov.cn/", C, B, A]


def test_portals_one_run_completed_go_biggest_first_whenever_they_completed(
    engine: Engine,
) -> None:
    with Session(engine) as session, session.begin():
        done = VisitOutcome.COMPLETED
        # A finished first and C last: C took most pages, so it started earliest next time.
        outcomes = {A: done, B: done, C: done}
        _run(session, "finished", outcomes, dt.datetime(2026, 1, 1), {A: 3, B: 4, C: 40})
        assert portal_order([A, B, C], *_recency(session)) == [C, B, A]
        # A portal of an older run is still due before them, however small.
        _run(session, "finished", {B: done, C: done}, dt.datetime(2026, 2, 1), {B: 4, C: 40})
        assert portal_order([A, B, C], *_recency(session)) == [A, C, B]


def test_a_run_cut_short_leaves_unreached_portals_due_first(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        outcomes = {A: VisitOutcome.COMPLETED, B: VisitOutcome.NOT_VISITED}
        _run(session, "closespider_pagecount", outcomes, dt.datetime(2026, 1, 1))
        assert portal_order([A, B, C], *_recency(session)) == [B, C, A]


def test_portals_a_run_began_but_did_not_complete_come_after_those_it_never_reached(
    engine: Engine,
) -> None:
    with Session(engine) as session, session.begin():
        outcomes = {A: VisitOutcome.PARTIAL, B: VisitOutcome.NOT_VISITED}
        _run(session, "closespider_pagecount", outcomes, dt.datetime(2026, 1, 1))
        assert portal_order([A, B, C], *_recency(session)) == [B, C, A]


# Crawls of the test portal.


def _command(db_url: str, log: Path, *arguments: str) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL={db_url}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "NIANBAO_MIN_REPORT_YEAR=0",
        "-s", f"LOG_FILE={log}",
        "-s", "CONCURRENT_REQUESTS=2",
        *arguments,
    ]  # fmt: skip


def _env(portal: Portal) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["http_proxy"] = portal.proxy_url
    return env


def _homepages_asked(requests: list[tuple[str, str, int]]) -> list[str]:
    return [url for _, url, _ in requests if url in HOMEPAGES]


@pytest.fixture(scope="module")
def short_runs(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """Two runs cut short after 30 pages; yields the homepages each asked, in order."""
    folder = tmp_path_factory.mktemp("short_runs")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    asked = []
    with start_portal() as portal:
        for run in (1, 2):
            before = len(portal.requests)
            command = _command(
                db_url,
                folder / f"{run}.log",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "CLOSESPIDER_PAGECOUNT=30",
            )
            subprocess.run(command, cwd=REPO, env=_env(portal), check=True, timeout=300)
            asked.append(_homepages_asked(portal.requests[before:]))
    print(f"\nshort runs: first asked {asked[0]}, second asked {asked[1]}")
    return asked


def test_a_short_run_reaches_the_portals_in_registry_order(short_runs: list[list[str]]) -> None:
    first = short_runs[0]
    assert len(first) < len(HOMEPAGES)
    # Two requests at a time: the two in flight may reach the portal in either order.
    assert set(first) == set(HOMEPAGES[: len(first)])


def test_the_next_run_starts_with_the_portals_the_first_did_not_reach(
    short_runs: list[list[str]],
) -> None:
    first, second = short_runs
    unreached = [homepage for homepage in HOMEPAGES if homepage not in first]
    assert set(second[: len(unreached)]) == set(unreached)


def test_two_short_runs_cover_every_portal(short_runs: list[list[str]]) -> None:
    assert set(short_runs[0]) | set(short_runs[1]) == set(HOMEPAGES)


# Pause and resume with JOBDIR.


@pytest.fixture(scope="module")
def resumed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, list[list[str]], Path]]:
    """One run interrupted by a single SIGINT once 20 pages are answered, then started again
    with the same JOBDIR; yields the database URL, the URLs asked per part and the log folder."""
    folder = tmp_path_factory.mktemp("resume")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    job = [
        "-s",
        f"JOBDIR={folder / 'job'}",
        "-s",
        "DOWNLOAD_DELAY=0.2",
        "-s",
        "SCHEDULER_DEBUG=True",
    ]
    with start_portal() as portal:
        crawl = subprocess.Popen(
            _command(db_url, folder / "paused.log", *job), cwd=REPO, env=_env(portal)
        )
        try:
            while len(portal.requests) < 20 and crawl.poll() is None:
                time.sleep(0.1)
            crawl.send_signal(signal.SIGINT)
            crawl.wait(timeout=300)
        finally:
            if crawl.poll() is None:
                crawl.kill()
        paused = len(portal.requests)
        command = _command(db_url, folder / "resumed.log", *job)
        subprocess.run(command, cwd=REPO, env=_env(portal), check=True, timeout=300)
        parts = [
            [url for _, url, _ in portal.requests[:paused]],
            [url for _, url, _ in portal.requests[paused:]],
        ]
    yield db_url, parts, folder


def test_the_paused_run_stopped_before_the_end(
    resumed: tuple[str, list[list[str]], Path],
) -> None:
    first, second = resumed[1]
    assert first and second


def test_every_portal_is_visited_once_across_pause_and_resume(
    resumed: tuple[str, list[list[str]], Path],
) -> None:
    first, second = resumed[1]
    assert Counter(url for url in first + second if url in HOMEPAGES) == Counter(HOMEPAGES)


def test_no_page_is_asked_twice_across_pause_and_resume(
    resumed: tuple[str, list[list[str]], Path],
) -> None:
    first, second = resumed[1]
    asked = Counter(url for url in first + second if not url.endswith("/robots.txt"))
    assert [url for url, times in asked.items() if times > 1] == []


def test_nothing_is_lost_across_pause_and_resume(
    resumed: tuple[str, list[list[str]], Path],
) -> None:
    engine = open_archive(resumed[0])
    with Session(engine) as session:
        titles = {report.title for report in list_reports(session)}
    engine.dispose()
    assert titles == {e.title for e in EXPECTED_REPORTS}


def test_every_queued_request_could_be_kept_on_disk(
    resumed: tuple[str, list[list[str]], Path],
) -> None:
    logs = "".join((resumed[2] / name).read_text() for name in ("paused.log", "resumed.log"))
    assert "Resuming crawl" in logs
    assert "Unable to serialize request" not in logs


def test_run_rows_say_what_each_part_did(resumed: tuple[str, list[list[str]], Path]) -> None:
    engine = open_archive(resumed[0])
    with Session(engine) as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        warnings = [w for view in list_health(session, run_id=runs[-1].id) for w in view.warnings]
    engine.dispose()
    assert [run.finish_reason for run in runs] == ["shutdown", "finished"]
    assert all(run.pages_fetched > 0 for run in runs)
    assert warnings == []
