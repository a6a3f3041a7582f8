"""Scale-out on this machine's PostgreSQL and Redis: the registry-scale test portal (N generated
sites with 50-200 ms latency per response, the real report sites among them) crawled by 1, 2
and 4 `scrapy crawl reports` processes on one shared frontier, each count on a fresh archive
and run keys of its own, in one run, with the politeness of the README's cron line. Prints
pages/min and its ratio to one process (target: two >= 1.7x one, where the politeness bound
allows it), requests fetched twice (robots.txt counted apart) and reports stored twice (both
must be 0).

Run: python bench/scale.py [--sites 500] [--processes 1 2 4]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.db import open_archive  # noqa: E402
from archive.models import Report  # noqa: E402
from bench.crawl import SCALE_LATENCY, scheduled_crawl_command  # noqa: E402
from bench.scratch_database import scratch_database  # noqa: E402
from tests.portal.registry_scale import build_scale_sites, write_scale_registry  # noqa: E402
from tests.portal.server import start_portal  # noqa: E402

POSTGRES_URL = os.environ.get(
    "NIANBAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("NIANBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class Measure:
    processes: int
    wall: float
    pages: int
    pages_twice: int
    robots_twice: int
    reports: int
    reports_twice: int

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.wall


def reports_by_title(db_url: str) -> Counter[str]:
    engine = open_archive(db_url)
    with Session(engine) as session:
        titles = Counter(session.scalars(select(Report.title)))
    engine.dispose()
    return titles


def delete_keys(prefix: str) -> None:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
    server.close()


def measure(processes: int, sites: int, registry: Path, folder: Path) -> Measure:
    prefix = f"nianbao_scale_{uuid.uuid4().hex[:8]}"
    with scratch_database(POSTGRES_URL, f"nianbao_scale_{processes}") as db_url:
        try:
            return _measure(processes, sites, registry, folder, db_url, prefix)
        finally:
            delete_keys(prefix)


def _measure(
    processes: int, sites: int, registry: Path, folder: Path, db_url: str, prefix: str
) -> Measure:
    open_archive(db_url).dispose()  # migrated once, before the processes race to it
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["NIANBAO_REDIS_URL"] = REDIS_URL
    shared = (f"NIANBAO_REDIS_PREFIX={prefix}", f"NIANBAO_WARC_DIR={folder / f'warc{processes}'}")
    with start_portal(sites=build_scale_sites(sites), latency=SCALE_LATENCY) as portal:
        env["http_proxy"] = portal.proxy_url
        started = time.monotonic()
        running = [
            subprocess.Popen(
                scheduled_crawl_command(
                    registry, db_url, folder / f"scale{processes}-{n}.log", shared
                ),
                cwd=REPO,
                env=env,
            )
            for n in range(processes)
        ]
        statuses = [process.wait() for process in running]
        wall = time.monotonic() - started
        urls = Counter(url for _, url, _ in portal.requests)
    if any(statuses):
        raise SystemExit(f"{processes} processes: exit statuses {statuses} (logs in {folder})")
    titles = reports_by_title(db_url)
    robots = {url: n for url, n in urls.items() if url.endswith("/robots.txt")}
    return Measure(
        processes,
        wall,
        sum(urls.values()),
        sum(n - 1 for url, n in urls.items() if url not in robots),
        sum(n - 1 for n in robots.values()),
        sum(titles.values()),
        sum(n - 1 for n in titles.values()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    registry = folder / "registry.csv"
    portals = write_scale_registry(registry, args.sites)
    print(f"registry-scale portal: {portals} portals, latency {SCALE_LATENCY} s; logs in {folder}")
    measures = [measure(n, args.sites, registry, folder) for n in args.processes]
    base = measures[0].pages_per_minute
    print(
        "processes  wall s  requests  pages/min  vs first  fetched twice  robots.txt twice  "
        "reports  stored twice"
    )
    for m in measures:
        print(
            f"{m.processes:>9}  {m.wall:>6.0f}  {m.pages:>8}  {m.pages_per_minute:>9.0f}  "
            f"{m.pages_per_minute / base:>7.2f}x  {m.pages_twice:>13}  {m.robots_twice:>16}  "
            f"{m.reports:>7}  {m.reports_twice:>12}"
        )


if __name__ == "__main__":
    main()
