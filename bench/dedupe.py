"""Cost per new document of dedupe at 1k, 10k and 100k archived reports: our SQL-banded
MinHash LSH (store_report) against a naive comparison with every stored signature.

Run: python -m bench.dedupe [--sizes 1000 10000 100000]. Synthetic reports are built from
the seed texts' paragraphs, each with its own issuer, year and light rewording, so that
different reports share template text the way real ones do.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.dedupe import content_key
from archive.models import NearDuplicateBand, Report
from archive.near_duplicates import (
    DEFAULT_NEAR_DUPLICATES,
    band_buckets,
    estimate_similarity,
    sign_text,
)
from archive.store import ReportRecord, store_report
from tests.fixtures.pairs.labelled import REPORTS, paragraphs

PROBES = 20
PARAGRAPHS_PER_REPORT = 8


def synthetic_reports(first: int, count: int, rng: random.Random) -> list[ReportRecord]:
    pool = [p for name in REPORTS for p in paragraphs(name)]
    characters = sorted({ch for para in pool for ch in para if "\u4e00" <= ch <= "\u9fff"})
    records = []
    for number in range(first, first + count):
        chosen = rng.sample(pool, PARAGRAPHS_PER_REPORT)
        # Each issuer words things its own way: one character in six differs.
        reworded = [
            "".join(rng.choice(characters) if rng.random() < 1 / 6 else ch for ch in para)
            for para in chosen
        ]
        issuer = f"第{number}县人民政府"
        year = 2015 + number % 10
        records.append(
            ReportRecord(
                url=f"http://www.county{number}.gov.cn/{year}.html",
                host=f"www.county{number}.gov.cn",
                title=f"{issuer}{year}年法治政府建设年度报告",
                text=f"{year}年，{issuer}" + "\n".join(reworded),
                report_year=year,
                published_at=None,
                written_at=None,
                publisher=None,
                issuer=issuer,
                host_site=None,
            )
        )
    return records


def fill(session: Session, records: list[ReportRecord]) -> None:
    """Bulk-load reports and their bands, as store_report would have left them."""
    config = DEFAULT_NEAR_DUPLICATES
    start = (session.scalar(select(Report.id).order_by(Report.id.desc())) or 0) + 1
    rows, bands = [], []
    for offset, record in enumerate(records):
        signature = sign_text(record.text, config)
        rows.append(
            {
                "id": start + offset,
                "content_key": content_key(record.text),
                "title": record.title,
                "report_year": record.report_year,
                "issuer": record.issuer,
                "host": record.host,
                "text": record.text,
                "minhash": signature,
            }
        )
        bands += [
            {"report_id": start + offset, "band": band, "bucket": bucket}
            for band, bucket in band_buckets(signature, config)
        ]
    session.execute(insert(Report), rows)
    session.execute(insert(NearDuplicateBand), bands)


def time_ours(session: Session, probes: list[ReportRecord]) -> float:
    started = time.perf_counter()
    for record in probes:
        with session.begin_nested():
            store_report(session, record)
    return (time.perf_counter() - started) / len(probes)


def measure_ours(session: Session, probes: list[ReportRecord]) -> float:
    """Store the probes in a transaction that is rolled back: the archive stays as filled."""
    with session.begin():
        ours = time_ours(session, probes)
        session.rollback()
    return ours


def time_naive(session: Session, probes: list[ReportRecord]) -> float:
    config = DEFAULT_NEAR_DUPLICATES
    started = time.perf_counter()
    for record in probes:
        signature = sign_text(record.text, config)
        best = 0.0
        for (stored,) in session.execute(select(Report.minhash)):
            best = max(best, estimate_similarity(signature, stored))
    return (time.perf_counter() - started) / len(probes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    rng = random.Random(1)
    # Probe issuers are numbered apart from the archived ones: each probe is a new report.
    probes = synthetic_reports(10**7, PROBES, random.Random(2))
    print(f"{'reports':>8} {'ours ms/doc':>12} {'naive ms/doc':>13} {'naive/ours':>11}")
    first: float | None = None
    with tempfile.TemporaryDirectory() as folder:
        engine = open_archive(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        with Session(engine) as session:
            archived = 0
            for size in sorted(args.sizes):
                fill(session, synthetic_reports(archived, size - archived, rng))
                session.commit()
                archived = size
                ours = min(
                    measure_ours(session, probes) for _ in range(2)
                )  # first run warms caches
                with session.begin():
                    naive = time_naive(session, probes[:5])
                first = first or ours
                print(f"{size:>8} {ours * 1e3:12.2f} {naive * 1e3:13.2f} {naive / ours:11.1f}")
        engine.dispose()
    print(f"ours grew {ours / (first or ours):.2f}x from the smallest to the largest archive")


if __name__ == "__main__":
    main()
