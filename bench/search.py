"""Search latency on a big archive: the bigram index against a plain LIKE scan of the same table,
on SQLite and on PostgreSQL, in one run.

Run: python -m bench.search [--reports 100000] [--postgres URL] [--postgres-reports N]
[--skip-sqlite | --skip-postgres]. Synthetic reports are built
from the seed texts' paragraphs (so terms are as common as in real reports), each with its own
issuer and year; a rare term sits in one report in ten thousand. Each query kind asks for the
first page (20 hits, with snippets) and the total count; the scan does the same with LIKE,
and the two are timed in turn, sample by sample.
A total marked ~ is an estimate (the CLI prints "about N").
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, func, insert, or_, select, text
from sqlalchemy.orm import Session

from archive.models import Report
from archive.query import search_reports
from archive.search_index import index_reports
from bench.scratch_database import scratch_archives
from tests.fixtures.pairs.labelled import REPORTS, paragraphs

PARAGRAPHS_PER_REPORT = 8
RARE_TERM = "星火燎原调解站"
RARE_EVERY = 10_000
BATCH = 2_000
REPEATS = 15
QUERIES = {
    "2 chars": ("复议", ["复议"], []),
    "4 chars": ("行政复议", ["行政复议"], []),
    "AND of 2": ("行政复议 法律顾问", ["行政复议", "法律顾问"], []),
    "exclusion": ("行政复议 -复议委员会", ["行政复议"], ["复议委员会"]),
    "rare term": (RARE_TERM, [RARE_TERM], []),
}


def synthetic_rows(count: int, rng: random.Random) -> list[dict[str, object]]:
    pool = [p for name in REPORTS for p in paragraphs(name)]
    rows = []
    for number in range(1, count + 1):
        issuer = f"第{number}县人民政府"
        year = 2015 + number % 10
        body = "\n".join(rng.sample(pool, PARAGRAPHS_PER_REPORT))
        if number % RARE_EVERY == 0:
            body += f"\n设立{RARE_TERM}。"
        rows.append(
            {
                "id": number,
                "content_key": uuid.uuid4().hex,
                "title": f"{issuer}{year}年法治政府建设年度报告",
                "report_year": year,
                "issuer": issuer,
                "host": f"www.county{number}.gov.cn",
                "text": f"{year}年，{issuer}" + body,
            }
        )
    return rows


def fill(engine: Engine, count: int) -> int:
    """Bulk-load reports and index them; returns the text's size in bytes."""
    rng = random.Random(1)
    rows = synthetic_rows(count, rng)
    for start in range(0, count, BATCH):
        batch = rows[start : start + BATCH]
        with Session(engine) as session, session.begin():
            session.execute(insert(Report), batch)
            index_reports(
                session.connection(),
                ((r["id"], r["title"], r["text"]) for r in batch),  # type: ignore[misc]
            )
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a table soon after a bulk load (and long before 100,000
        # reports have been crawled): statistics, hint bits, the visibility map.
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
    return sum(len(str(r["text"]).encode()) + len(str(r["title"]).encode()) for r in rows)


def index_bytes(engine: Engine) -> int:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return int(
                connection.scalar(text("SELECT sum(length(block)) FROM report_search_data")) or 0
            ) + int(connection.scalar(text("SELECT count(*) * 16 FROM report_search_idx")) or 0)
        return int(
            connection.scalar(text("SELECT pg_total_relation_size('report_search_chunks')")) or 0
        )


def ours(session: Session, query: str) -> Callable[[], object]:
    return lambda: search_reports(session, query, limit=20)


def scan(session: Session, include: list[str], exclude: list[str]) -> Callable[[], object]:
    """The same question by LIKE: count every match, fetch the first 20 by date."""
    conditions = [
        or_(Report.title.contains(term), Report.text.contains(term)) for term in include
    ] + [~Report.text.contains(term) for term in exclude]

    def run() -> object:
        total = session.scalar(select(func.count()).select_from(Report).where(*conditions))
        page = session.scalars(
            select(Report).where(*conditions).order_by(Report.published_at.desc()).limit(20)
        ).all()
        return total, page

    return run


def timings(*runs: Callable[[], object]) -> list[tuple[float, float]]:
    """(median, p95) in ms of each run, their samples taken in turn: this machine's speed
    drifts by a third over tens of seconds, and a ratio of runs timed apart would measure
    the drift."""
    for run in runs:
        run()  # warm caches
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(REPEATS):
        for run, taken in zip(runs, samples, strict=True):
            started = time.perf_counter()
            run()
            taken.append((time.perf_counter() - started) * 1e3)
    return [
        (statistics.median(taken), sorted(taken)[int(len(taken) * 0.95) - 1]) for taken in samples
    ]


def measure(name: str, engine: Engine, count: int) -> None:
    started = time.perf_counter()
    text_size = fill(engine, count)
    loaded = time.perf_counter() - started
    size = index_bytes(engine)
    print(f"\n{name}: {count} reports loaded and indexed in {loaded:.0f} s")
    megabytes = f"{size / 2**20:.0f} MiB for {text_size / 2**20:.0f} MiB of text"
    print(f"index {megabytes}: {size / text_size:.2f}x")
    header = ("query", "hits", "ours med", "p95", "scan med", "p95", "speed-up")
    print("{:<10} {:>7} {:>9} {:>7} {:>9} {:>7} {:>9}".format(*header))
    with Session(engine) as session:
        for kind, (query, include, exclude) in QUERIES.items():
            result = search_reports(session, query, limit=20)
            hits = f"{'~' if result.total_is_estimate else ''}{result.total}"
            (our_median, our_p95), (scan_median, scan_p95) = timings(
                ours(session, query), scan(session, include, exclude)
            )
            print(
                f"{kind:<10} {hits:>7} {our_median:8.1f}ms {our_p95:6.1f}ms "
                f"{scan_median:8.1f}ms {scan_p95:6.1f}ms {scan_median / our_median:8.1f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a server where the bench may create and drop its own database",
    )
    parser.add_argument(
        "--postgres-reports", type=int, help="reports on PostgreSQL (default: --reports)"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    archives = scratch_archives(
        args.postgres, "nianbao_bench", sqlite=not args.skip_sqlite, postgres=not args.skip_postgres
    )
    for backend, engine in archives:
        on_postgres = backend == "PostgreSQL"
        measure(backend, engine, (on_postgres and args.postgres_reports) or args.reports)


if __name__ == "__main__":
    main()
