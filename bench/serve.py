"""How fast `nianbao serve` answers on a national-size archive: synthetic reports (the search
benchmark's, built from the seed texts) spread over the shipped registry's portals, one
sighting each; median and slowest of a few requests per page, in-process through Datasette's
client (no HTTP), and whether any facet hit Datasette's time limit.

    python -m bench.serve --reports 100000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.db import open_archive, open_archive_for_reading
from archive.store import PortalRecord, upsert_portals
from archive.web.app import build_datasette
from bench.search import fill
from crawler.registry import SHIPPED_REGISTRY, load_registry

PAGES = (
    "/-/search?q=复议",
    "/-/search?q=行政复议 -复议委员会&year=2022",
    "/-/report/5000",
    "/nianbao/browse_reports.json",
    "/nianbao/browse_reports.json?level=county&province_code=51",
    "/nianbao/coverage_for_a_year.json?year=2022",
    "/nianbao/newest_reports.json",
    "/nianbao/reports_per_issuer.json",
)
RUNS = 5


def build(path: Path, count: int) -> None:
    """Reports from the search benchmark, each published before or after the deadline and
    sighted on one registry portal."""
    engine = open_archive(str(path))
    fill(engine, count)
    portals = [
        PortalRecord(p.name, p.homepage, p.host, p.level, p.division_code)
        for p in load_registry(SHIPPED_REGISTRY)
    ]
    with Session(engine) as session, session.begin():
        ids = list(upsert_portals(session, portals).values())
        session.execute(
            text(
                "UPDATE reports SET published_at = (report_year + 1) || "
                "CASE WHEN id % 4 = 0 THEN '-05-10' ELSE '-02-20' END, publisher = issuer"
            )
        )
        session.execute(
            text(
                "INSERT INTO sightings (report_id, url, portal_id, match, first_seen, last_seen)"
                " VALUES (:report, :url, :portal, 'new', '2025-01-01', '2025-01-01')"
            ),
            [
                {"report": n, "url": f"http://r{n}.gov.cn/", "portal": ids[n % len(ids)]}
                for n in range(1, count + 1)
            ],
        )
    engine.dispose()


def measure(client: Any, path: str) -> tuple[float, float, str]:
    seconds = []
    note = ""
    for _ in range(RUNS):
        start = time.perf_counter()
        response = asyncio.run(client.get(path))
        seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            note = f"HTTP {response.status_code}"
        elif path.startswith("/nianbao/browse_reports") and response.json().get("facets_timed_out"):
            note = "facets timed out: " + ", ".join(response.json()["facets_timed_out"])
    return statistics.median(seconds), max(seconds), note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        started = time.perf_counter()
        build(path, args.reports)
        print(f"built {args.reports:,} reports in {time.perf_counter() - started:.0f} s")
        engine = open_archive_for_reading(str(path), read_only=True)
        client = build_datasette(path, engine, immutable=False).client
        print(f"{'page':<60} {'median':>8} {'max':>8}")
        for page in PAGES:
            median, slowest, note = measure(client, page)
            print(f"{page:<60} {median * 1000:>6.0f}ms {slowest * 1000:>6.0f}ms  {note}")
        engine.dispose()


if __name__ == "__main__":
    main()
