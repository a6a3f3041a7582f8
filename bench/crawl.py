"""Crawl efficiency on the local test portal, all measured in one run on this machine:
(a) report recall and requests per report found; (b) a re-crawl with nothing new: requests
vs the minimum (robots.txt + homepages + every column's first page; target <= 1.2x);
(c) pages/min of our spider with politeness off vs `scrapy bench` (target >= 60%);
(d) a first crawl with NIANBAO_MIN_REPORT_YEAR three years back, as the README's scheduled
crawl sets it (the others page every column to its end): requests vs (a), and recall of the
reports on the years it keeps; (e) the held-out variant sites (tests/portal/variants), crawled
twice on their own registry: recall per variant, false positives, requests per report found
and the re-crawl's requests.

`--registry-scale N` measures instead two crawls of the registry-scale portal (N generated
sites with 50-200 ms latency per response, the real report sites among them) with the
politeness settings of the README's cron line, the first ever and the next on the same archive:
pages/min, CPU seconds per page (the crawl's processes, its parsing workers included) and wall
time against the politeness bound, the time the per-host DOWNLOAD_DELAY alone forces on the
busiest host (targets: <= 1.3x, and below 25% of one core per 100 pages/min).

Run: python bench/crawl.py [--registry-scale 500]
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.db import open_archive  # noqa: E402
from archive.query import list_reports  # noqa: E402
from crawler import settings as crawl_settings  # noqa: E402
from crawler.discovery.links import ARTICLE_URL  # noqa: E402
from tests.portal.expected import EXPECTED_REPORTS  # noqa: E402
from tests.portal.registry_scale import build_scale_sites, write_scale_registry  # noqa: E402
from tests.portal.server import start_portal  # noqa: E402
from tests.portal.variants.expected import (  # noqa: E402
    EXPECTED_VARIANT_REPORTS,
    VARIANT_NON_REPORT_URLS,
)

# The README's cron line: scheduled re-runs look three years back.
SCHEDULED_YEARS_BACK = 3

REGISTRY = REPO / "tests" / "portal" / "registry.csv"
VARIANTS_REGISTRY = REPO / "tests" / "portal" / "variants" / "registry.csv"
# Later pages of a column: what a re-crawl may skip once the first page is unchanged.
LATER_PAGE = re.compile(r"[?&]page=([2-9]|\d\d)|/index_\d+\.|/list_\d+\.|dataproxy\.jsp")
STAT = re.compile(r"'(downloader/response_count|elapsed_time_seconds)': ([\d.]+)")
NO_POLITENESS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
)


def crawl(
    proxy: str, db_url: str, log: Path, min_report_year: int = 0, registry: Path = REGISTRY
) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["http_proxy"] = proxy
    # STATS_DUMP: the figures below are read from Scrapy's stats at the end of the log.
    settings = [f"NIANBAO_DB_URL={db_url}", f"LOG_FILE={log}", "STATS_DUMP=True", *NO_POLITENESS]
    settings.append(f"NIANBAO_MIN_REPORT_YEAR={min_report_year}")
    command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"registry={registry}"]
    command += [arg for setting in settings for arg in ("-s", setting)]
    subprocess.run(command, cwd=REPO, env=env, check=True)
    return {key: float(value) for key, value in STAT.findall(log.read_text(encoding="utf-8"))}


def scrapy_bench(log: Path) -> dict[str, float]:
    # scrapy bench serves and crawls its own pages on localhost.
    command = [sys.executable, "-m", "scrapy", "bench", "-s", "CLOSESPIDER_TIMEOUT=5"]
    command += ["-s", f"LOG_FILE={log}"]
    subprocess.run(command, cwd=tempfile.gettempdir(), check=True)
    return {key: float(value) for key, value in STAT.findall(log.read_text(encoding="utf-8"))}


def pages_per_minute(stats: dict[str, float]) -> float:
    return 60 * stats["downloader/response_count"] / stats["elapsed_time_seconds"]


def found_urls(db_url: str) -> set[str]:
    engine = open_archive(db_url)
    with Session(engine) as session:
        found = {url for report in list_reports(session) for url in report.urls}
    engine.dispose()
    return found


def variants(folder: Path) -> None:
    """(e): the variant sites, first crawl and re-crawl into an archive of their own."""
    db_url = f"sqlite:///{folder / 'variants.sqlite'}"
    with start_portal() as portal:
        crawl(portal.proxy_url, db_url, folder / "variants.log", registry=VARIANTS_REGISTRY)
        first = len(portal.requests)
        crawl(portal.proxy_url, db_url, folder / "variants2.log", registry=VARIANTS_REGISTRY)
        second = len(portal.requests) - first
    engine = open_archive(db_url)
    with Session(engine) as session:
        views = {url: view for view in list_reports(session) for url in view.urls}
    engine.dispose()
    stored = set(views)
    found = [r for r in EXPECTED_VARIANT_REPORTS if r.url in stored]
    right = [
        r
        for r in found
        if (views[r.url].report_year, views[r.url].published_at, views[r.url].publisher)
        == (r.report_year, r.published_at, r.publisher)
    ]
    expected = {r.url for r in EXPECTED_VARIANT_REPORTS}
    false_positives = stored & set(VARIANT_NON_REPORT_URLS)
    unexpected = stored - expected - set(VARIANT_NON_REPORT_URLS)
    print(
        f"(e) variants: recall {len(found)}/{len(EXPECTED_VARIANT_REPORTS)} = "
        f"{len(found) / len(EXPECTED_VARIANT_REPORTS):.0%} (year, date and publisher right on "
        f"{len(right)}); false positives {len(false_positives)} (+{len(unexpected)} other "
        f"stored URLs); {first} requests, {first / max(len(found), 1):.1f} per report found; "
        f"re-crawl {second} requests"
    )
    for report in EXPECTED_VARIANT_REPORTS:
        state = "MISSED" if report not in found else "found " if report in right else "WRONG "
        print(f"    {state} {report.variant}")


# Injected per response by the registry-scale portal, seconds: a slow county server.
SCALE_LATENCY = (0.05, 0.2)
# PR_SET_CHILD_SUBREAPER: the crawl's forkserver outlives it as an orphan; adopting it lets
# its CPU (and that of the parsing workers it reaped) be counted in RUSAGE_CHILDREN.
PR_SET_CHILD_SUBREAPER = 36


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def scheduled_crawl_command(
    registry: Path, db_url: str, log: Path, extra: tuple[str, ...] = ()
) -> list[str]:
    """`scrapy crawl reports` as the README's cron line runs it: default politeness (plus
    `extra` settings, NAME=VALUE, to try a change)."""
    min_year = dt.date.today().year - SCHEDULED_YEARS_BACK
    settings = [
        f"NIANBAO_DB_URL={db_url}",
        f"LOG_FILE={log}",
        "STATS_DUMP=True",
        f"NIANBAO_MIN_REPORT_YEAR={min_year}",
        *extra,
    ]
    command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"registry={registry}"]
    return command + [arg for setting in settings for arg in ("-s", setting)]


def politeness_bound(hosts: Counter[str], delay: float) -> float:
    """What DOWNLOAD_DELAY alone forces: the busiest host's requests, one delay apart."""
    return max(hosts.values(), default=1) * delay - delay


def registry_scale(count: int, extra: tuple[str, ...] = ()) -> None:
    """Two scheduled runs over the registry-scale portal, on one archive: the first ever, and
    the next, which plans by the first (conditional requests, portal order)."""
    folder = Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    registry = folder / "registry.csv"
    portals = write_scale_registry(registry, count)
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    db_url = f"sqlite:///{folder / 'scale.sqlite'}"
    with start_portal(sites=build_scale_sites(count), latency=SCALE_LATENCY) as portal:
        env["http_proxy"] = portal.proxy_url
        for run in ("first run", "next run"):
            asked_before = len(portal.arrivals)
            cpu_before, started = children_cpu_seconds(), time.monotonic()
            command = scheduled_crawl_command(registry, db_url, folder / f"{run}.log", extra)
            subprocess.run(command, cwd=REPO, env=env, check=True)
            reap_orphans()
            wall, cpu = time.monotonic() - started, children_cpu_seconds() - cpu_before
            hosts = Counter(arrival.host for arrival in portal.arrivals[asked_before:])
            print_scale_run(f"registry scale, {run}: {portals} portals", hosts, wall, cpu)


def print_scale_run(title: str, hosts: Counter[str], wall: float, cpu: float) -> None:
    pages = sum(hosts.values())
    bound = politeness_bound(hosts, crawl_settings.DOWNLOAD_DELAY)
    rate = 60 * pages / wall
    busiest, busiest_count = hosts.most_common(1)[0]
    print(
        f"{title}, {len(hosts)} hosts asked, {pages} requests in {wall:.0f} s: {rate:.0f} pages/min"
    )
    print(
        f"    CPU {cpu:.1f} s = {cpu / pages * 1000:.1f} ms per page; "
        f"{cpu / wall:.0%} of one core, {cpu / wall / (rate / 100):.0%} per 100 pages/min "
        f"(target < 25%)"
    )
    print(
        f"    politeness bound {bound:.0f} s ({busiest}: {busiest_count} requests, "
        f"DOWNLOAD_DELAY {crawl_settings.DOWNLOAD_DELAY:g} s); wall / bound "
        f"{wall / bound:.2f}x (target <= 1.3x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registry-scale", type=int, metavar="N", default=0)
    parser.add_argument(
        "-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help="a further setting for the registry-scale crawl",
    )  # fmt: skip
    args = parser.parse_args()
    if args.registry_scale:
        registry_scale(args.registry_scale, tuple(args.settings))
        return
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    db_url = f"sqlite:///{folder / 'bench.sqlite'}"
    limited_url = f"sqlite:///{folder / 'limited.sqlite'}"
    min_year = dt.date.today().year - SCHEDULED_YEARS_BACK
    with start_portal() as portal:
        first = crawl(portal.proxy_url, db_url, folder / "first.log")
        first_urls = [url for _, url, _ in portal.requests]
        second = crawl(portal.proxy_url, db_url, folder / "second.log")
        second_urls = [url for _, url, _ in portal.requests[len(first_urls) :]]
        done = len(portal.requests)
        crawl(portal.proxy_url, limited_url, folder / "limited.log", min_year)
        limited_urls = [url for _, url, _ in portal.requests[done:]]
    found = found_urls(db_url)
    expected = {e.url for e in EXPECTED_REPORTS}
    recall = len(expected & found) / len(expected)
    minimum = {
        url for url in first_urls if not ARTICLE_URL.search(url) and not LATER_PAGE.search(url)
    }
    list_pages = {url for url in first_urls if not ARTICLE_URL.search(url)}
    bench = scrapy_bench(folder / "bench.log")
    print(
        f"(a) recall {len(expected & found)}/{len(expected)} = {recall:.0%}; "
        f"{len(first_urls)} requests, "
        f"{len(first_urls) / max(len(expected & found), 1):.1f} per report found"
    )
    print(
        f"(b) re-crawl: {len(second_urls)} requests; minimum (robots.txt + homepages + column "
        f"first pages) {len(minimum)}: {len(second_urls) / len(minimum):.2f}x; all list pages "
        f"of the first run {len(list_pages)}: {len(second_urls) / len(list_pages):.2f}x"
    )
    ours, theirs = pages_per_minute(first), pages_per_minute(bench)
    print(
        f"(c) ours {ours:.0f} pages/min (first run, {first['downloader/response_count']:.0f} "
        f"pages), scrapy bench {theirs:.0f} pages/min: {ours / theirs:.0%}"
    )
    print(f"    second run: {pages_per_minute(second):.0f} pages/min")
    kept = {e.url for e in EXPECTED_REPORTS if e.report_year >= min_year}
    limited_found = kept & found_urls(limited_url)
    print(
        f"(d) NIANBAO_MIN_REPORT_YEAR={min_year}: {len(limited_urls)} requests vs "
        f"{len(first_urls)} ({len(limited_urls) / len(first_urls):.2f}x); recall of reports on "
        f"{min_year} or later {len(limited_found)}/{len(kept)}"
    )
    variants(folder)


if __name__ == "__main__":
    main()
