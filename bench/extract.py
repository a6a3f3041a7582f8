"""Extraction speed: our whole extraction vs bare trafilatura.extract on the same pages, same run.

Run: python bench/extract.py [--rounds N]. Prints pages/s for both and the time ratio
(target: ours takes at most 1.5x trafilatura's time).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from crawler.extraction.page import extract_page

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus" / "pages"


def pages_per_second(work: Callable[[bytes, str], object], pages: list[Path], rounds: int) -> float:
    bodies = [(path.read_bytes(), f"http://bench.gov.cn/{path.name}") for path in pages]
    start = time.perf_counter()
    for _ in range(rounds):
        for body, url in bodies:
            work(body, url)
    return len(bodies) * rounds / (time.perf_counter() - start)


def bare_trafilatura(body: bytes, url: str) -> object:
    return trafilatura.extract(body.decode("utf-8", "replace"), url=url, deduplicate=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages = sorted(PAGES.glob("*.html"))
    # Warm both once so imports and caches do not count against either side.
    pages_per_second(bare_trafilatura, pages[:2], 1)
    pages_per_second(lambda body, url: extract_page(body, url), pages[:2], 1)
    baseline = pages_per_second(bare_trafilatura, pages, args.rounds)
    ours = pages_per_second(lambda body, url: extract_page(body, url), pages, args.rounds)
    print(f"pages: {len(pages)} x {args.rounds} rounds")
    print(f"trafilatura.extract: {baseline:8.1f} pages/s")
    print(f"nianbao extract_page: {ours:8.1f} pages/s")
    print(f"time ratio (ours / trafilatura): {baseline / ours:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
