"""Time and peak memory of nianbao's readers on each hostile input of tests/fixtures/hostile.py
(and the deeply nested page of the lossless tests), each read in a fresh process so that its
peak is its own (the input's own bytes and the imports included): what the README's
Reliability table reports. (A page past NIANBAO_MAX_HTML_BYTES is refused by its length
before any parsing, so it has no reading to measure.)

Run: python -m bench.hostile
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable

from tests.fixtures.hostile import (
    MB,
    docx_bomb,
    link_farm_page,
    ofd_bomb,
)
from tests.test_lossless_units import deep_page

PAGE_URL = "http://www.x.gov.cn/fzzf/index.html"


def _docx_bomb() -> str:
    return _attachment(docx_bomb(), "docx")


def _docx_lying() -> str:
    return _attachment(docx_bomb(declared=10_000), "docx")


def _ofd_bomb() -> str:
    return _attachment(ofd_bomb(), "ofd")


def _attachment(body: bytes, kind: str) -> str:
    from crawler.extraction.attachments import UnreadableAttachment, extract_attachment_text

    try:
        extract_attachment_text(body, kind)
    except UnreadableAttachment as refused:
        return f"refused: {refused}"
    return "read"


def _link_farm() -> str:
    from parsel import Selector

    from crawler.discovery.links import page_links

    hrefs = [f"/fzzf/content_{n}.html" for n in range(100_000)]
    page = link_farm_page("XX县2023年法治政府建设年度报告", hrefs).decode()
    return f"{len(page_links(Selector(text=page), PAGE_URL))} links read"


def _deep_page() -> str:
    from crawler.extraction.page import extract_page

    page = extract_page(deep_page(30_000), "http://www.a.gov.cn/1.html")
    return f"{len(page.text)} characters extracted"


INPUTS: dict[str, Callable[[], str]] = {
    "DOCX inflating 3 MB -> 1 GB": _docx_bomb,
    "DOCX lying about its sizes": _docx_lying,
    "OFD of 8 x 256 MB members": _ofd_bomb,
    "list page of 100,000 links": _link_farm,
    "page nested 30,000 levels deep": _deep_page,
}


def _measure(name: str, queue: multiprocessing.Queue[tuple[str, float, int]]) -> None:
    started = time.perf_counter()
    outcome = INPUTS[name]()
    seconds = time.perf_counter() - started
    queue.put((outcome, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def main() -> None:
    context = multiprocessing.get_context("spawn")
    print(f"{'input':<32} {'time':>7} {'peak':>8}  outcome")
    for name in INPUTS:
        queue: multiprocessing.Queue[tuple[str, float, int]] = context.Queue()
        process = context.Process(target=_measure, args=(name, queue))
        process.start()
        outcome, seconds, peak = queue.get()
        process.join()
        print(f"{name:<32} {seconds:6.2f}s {peak / MB:6.0f}MB  {outcome[:70]}")


if __name__ == "__main__":
    main()
