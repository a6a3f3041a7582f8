"""Several `scrapy crawl reports` processes on one shared frontier (Redis) and one archive
(PostgreSQL), against the test portal: each page fetched once, each report stored once, no
host asked faster than DOWNLOAD_DELAY, and a process killed mid-run loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import CrawlRun
from archive.query import list_reports
from tests.conftest import REDIS_URL, reset_schema, unique_redis_prefix
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import Arrival, Portal, start_portal

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "registry.csv"
DELAY = 0.3
# Each process holds few requests at a time, so the queue keeps work for the other one.
PER_PROCESS_REQUESTS = 3


@dataclass(frozen=True)
class SharedRun:
    portal: Portal
    db_url: str
    prefix: str
    folder: Path

    def start(self, name: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
        env["http_proxy"] = self.portal.proxy_url
        env["NIANBAO_REDIS_URL"] = REDIS_URL
        settings = [
            f"NIANBAO_DB_URL={self.db_url}",
            f"NIANBAO_REDIS_PREFIX={self.prefix}",
            "NIANBAO_REDIS_RUN=test",
            f"DOWNLOAD_DELAY={DELAY}",
            f"CONCURRENT_REQUESTS={PER_PROCESS_REQUESTS}",
            "NIANBAO_FRONTIER_HEARTBEAT=1",
            "NIANBAO_FRONTIER_DEAD_AFTER=10",
            f"NIANBAO_WARC_DIR={self.folder / 'warc'}",
            f"LOG_FILE={self.folder / f'{name}.log'}",
        ]
        command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"registry={REGISTRY}"]
        command += [arg for setting in settings for arg in ("-s", setting)]
        return subprocess.Popen(command, cwd=REPO, env=env)


@dataclass(frozen=True)
class Outcome:
    """What a shared run left: exit statuses, the archive's reports and runs, the portal's
    log of requests."""

    statuses: list[int]
    titles: list[str]
    pages_per_run: list[int]
    urls: list[str]
    arrivals: list[Arrival]


def _finish(*processes: subprocess.Popen[bytes]) -> list[int]:
    return [process.wait(timeout=300) for process in processes]


def _outcome(run: SharedRun, statuses: list[int]) -> Outcome:
    engine = open_archive(run.db_url)
    with Session(engine) as session:
        titles = sorted(report.title for report in list_reports(session))
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        pages = [r.pages_fetched or 0 for r in runs]
    engine.dispose()
    urls = [url for _, url, _ in run.portal.requests]
    return Outcome(statuses, titles, pages, urls, list(run.portal.arrivals))


@contextmanager
def _shared_run(db_url: str, prefix: str, folder: Path) -> Iterator[SharedRun]:
    with start_portal() as portal:
        yield SharedRun(portal, db_url, prefix, folder)


@pytest.fixture(scope="module")
def two_processes(postgres_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """Two processes started together on one run, crawled to the end (once for the module)."""
    reset_schema(postgres_server_url)
    folder = tmp_path_factory.mktemp("two_processes")
    with unique_redis_prefix() as prefix, _shared_run(postgres_server_url, prefix, folder) as run:
        statuses = _finish(run.start("one"), run.start("two"))
        return _outcome(run, statuses)


def _closest_same_host_pair(arrivals: list[Arrival]) -> tuple[float, str, str]:
    """(gap in seconds, earlier URL, later URL) of the two requests to one host that came
    closest together."""
    by_host: defaultdict[str, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        by_host[arrival.host].append(arrival)
    return min(
        (b.at - a.at, a.url, b.url)
        for requests in by_host.values()
        for a, b in pairwise(sorted(requests, key=lambda r: r.at))
    )


EXPECTED_TITLES = sorted(e.title for e in EXPECTED_REPORTS)


def test_two_processes_finish(two_processes: Outcome) -> None:
    assert two_processes.statuses == [0, 0]


def test_two_processes_store_every_report_once(two_processes: Outcome) -> None:
    assert two_processes.titles == EXPECTED_TITLES


def test_two_processes_fetch_each_page_once(two_processes: Outcome) -> None:
    # robots.txt included: the process that reads it first leaves its copy for the run.
    assert [url for url, times in Counter(two_processes.urls).items() if times > 1] == []


def test_both_processes_crawl(two_processes: Outcome) -> None:
    assert len(two_processes.pages_per_run) == 2
    assert all(pages > 0 for pages in two_processes.pages_per_run)


def test_two_processes_never_ask_one_host_faster_than_the_delay(two_processes: Outcome) -> None:
    gap, earlier, later = _closest_same_host_pair(two_processes.arrivals)
    assert gap >= DELAY, f"{earlier} then {later} after {gap:.3f} s"


def _has_requests_in_flight(prefix: str, process: subprocess.Popen[bytes]) -> bool:
    """Whether `process` holds requests taken from the queue, well into the run (its worker
    name in the run's keys carries its pid)."""
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(match=f"{prefix}:test:inflight:*-{process.pid}-*"))
    holding = any(server.hlen(key) for key in keys)
    server.close()
    return holding and server.zcard(f"{prefix}:test:requests") > 0


def test_a_process_killed_mid_run_loses_no_request(
    postgres_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    with _shared_run(postgres_url, redis_prefix, tmp_path) as run:
        first, second = run.start("first"), run.start("second")
        while not _has_requests_in_flight(redis_prefix, first) and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        outcome = _outcome(run, _finish(second, run.start("restarted")))
    assert outcome.statuses == [0, 0]
    assert outcome.titles == EXPECTED_TITLES
    assert "requeued" in (tmp_path / "second.log").read_text(encoding="utf-8") + (
        tmp_path / "restarted.log"
    ).read_text(encoding="utf-8")
