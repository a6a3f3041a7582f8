"""What the report filters cost: the first page of `list` and of a 2-character search, each
filter alone and combined, against the same query without a filter, on SQLite and PostgreSQL.

Run: python -m bench.filters [--reports 20000] [--postgres URL] [--skip-postgres]. Every
synthetic report is seen on one portal of the shipped registry (one in ten only on a site
without a division code, so region and level come from its issuer); years, publish dates,
text sources and scans vary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from archive.coverage import coverage
from archive.filters import ReportFilter, parse_years
from archive.models import Report, Sighting
from archive.query import list_reports, search_reports
from archive.search_index import index_reports
from archive.store import PortalRecord, upsert_portals
from archive.vocabulary import Level, TextSource
from bench.scratch_database import scratch_archives
from crawler.registry import load_registry
from tests.fixtures.pairs.labelled import REPORTS, paragraphs

BATCH = 2_000
REPEATS = 9
# A site given ad hoc (-a site=…): no division code; reports seen only there are placed by
# their issuer.
AD_HOC = PortalRecord("ad hoc", "http://ad-hoc.example/", "ad-hoc.example", "unknown", "")
FILTERS = {
    "none": ReportFilter(),
    "year range": ReportFilter(years=parse_years("2019-2021")),
    "region 51": ReportFilter(region="51"),
    "level county": ReportFilter(level=Level.COUNTY),
    "issuer 司法局": ReportFilter(issuer="司法局"),
    "attachment": ReportFilter(from_attachment=True),
    "all four": ReportFilter(
        years=parse_years("2019-2021"), region="51", level=Level.COUNTY, from_attachment=True
    ),
}


def fill(engine: Engine, count: int) -> None:
    rng = random.Random(1)
    pool = [p for name in REPORTS for p in paragraphs(name)]
    registry = load_registry()
    portals = [PortalRecord(p.name, p.homepage, p.host, p.level, p.division_code) for p in registry]
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, [*portals, AD_HOC])
    ad_hoc = ids[AD_HOC.homepage]
    for start in range(1, count + 1, BATCH):
        reports, sightings = [], []
        for number in range(start, min(start + BATCH, count + 1)):
            portal = rng.choice(registry)
            department = number % 7 == 0
            issuer = portal.name + ("司法局" if department else "人民政府")
            year = 2015 + number % 10
            reports.append(
                {
                    "id": number,
                    "content_key": uuid.uuid4().hex,
                    "title": f"{issuer}关于{year}年法治政府建设情况的报告",
                    "report_year": year,
                    "published_at": dt.date(year + 1, 1, 1) + dt.timedelta(rng.randrange(200)),
                    "issuer": issuer,
                    "host": portal.host,
                    "text": f"{year}年，" + "\n".join(rng.sample(pool, 4)),
                    "text_source": rng.choice(list(TextSource)).value,
                    "needs_ocr": number % 50 == 0,
                }
            )
            seen_on = ad_hoc if number % 10 == 0 else ids[portal.homepage]
            sightings.append(
                {"report_id": number, "url": f"http://r/{number}", "portal_id": seen_on}
            )
        with Session(engine) as session, session.begin():
            session.execute(insert(Report), reports)
            session.execute(insert(Sighting), sightings)
            index_reports(session.connection(), ((r["id"], r["title"], r["text"]) for r in reports))


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm caches
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1e3)
    return statistics.median(samples)


def measure(name: str, engine: Engine, count: int) -> None:
    started = time.perf_counter()
    fill(engine, count)
    with engine.begin() as connection:
        # The statistics autovacuum (or SQLite's optimize) would have by now: without them
        # PostgreSQL guesses one matching report and may re-run the search per row.
        connection.execute(text("ANALYZE"))
    print(f"\n{name}: {count} reports loaded in {time.perf_counter() - started:.0f} s")
    print("{:<14} {:>7} {:>9} {:>7} {:>10}".format("filter", "list", "hits", "search", "coverage"))
    with Session(engine) as session:
        for label, where in FILTERS.items():
            listed = median_ms(lambda where=where: list_reports(session, where, 20))
            hits = search_reports(session, "复议", where).total
            searched = median_ms(lambda where=where: search_reports(session, "复议", where))
            covered = median_ms(lambda where=where: coverage(session, 2020, where))
            print(f"{label:<14} {listed:5.1f}ms {hits:>9} {searched:5.1f}ms {covered:8.1f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a server where the bench may create and drop its own database",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    archives = scratch_archives(
        args.postgres, "nianbao_bench_filters", postgres=not args.skip_postgres
    )
    for backend, engine in archives:
        measure(backend, engine, args.reports)


if __name__ == "__main__":
    main()
