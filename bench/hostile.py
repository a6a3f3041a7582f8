"""Time and peak memory of nianbao's readers on each hostile input of tests/fixtures/hostile.py
(and a page nested 30,000 levels deep), each read in a fresh process so that its
peak is its own. The input is built and the readers imported before the clock starts; the
peak counts the whole process (the first row, reading nothing, is that baseline). What the
README's Reliability table reports. A page past NIANBAO_MAX_HTML_BYTES is refused by its
length before any parsing, so it has no reading to measure.

Run: python -m bench.hostile
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
from collections.abc import Callable
from typing import Any

from tests.fixtures.hostile import MB, docx_bomb, link_farm_page, ofd_bomb

PAGE_URL = "http://www.x.gov.cn/fzzf/index.html"


def _attachment(kind: str) -> Callable[[bytes], str]:
    def read(body: bytes) -> str:
        from crawler.extraction.attachments import UnreadableAttachment, extract_attachment_text

        try:
            extract_attachment_text(body, kind)
        except UnreadableAttachment as refused:
            return f"refused: {refused}"
        return "read"

    return read


def _farm() -> str:
    hrefs = [f"/fzzf/content_{n}.html" for n in range(100_000)]
    return link_farm_page("XX县2023年法治政府建设年度报告", hrefs).decode()


def _links(page: str) -> str:
    from parsel import Selector

    from crawler.discovery.links import page_links

    return f"{len(page_links(Selector(text=page), PAGE_URL))} links read"


def _deep(depth: int = 30_000) -> bytes:
    """A report wrapped in `depth` nested divs, past lxml's limit of 254 levels."""
    body = "".join(f"<p>第{n}条，依法行政，建设法治政府。</p>" for n in range(1, 41))
    page = f"<div id='zoom'>{'<div>' * depth}{body}{'</div>' * depth}</div>"
    title = "<title>弥渡县2023年法治政府建设年度报告</title>"
    return f"<html><head>{title}</head><body>{page}</body></html>".encode()


def _extract(body: bytes) -> str:
    from crawler.extraction.page import extract_page

    return f"{len(extract_page(body, 'http://www.a.gov.cn/1.html').text)} characters extracted"


# name: (build the input, read it)
INPUTS: dict[str, tuple[Callable[[], Any], Callable[[Any], str]]] = {
    "nothing (the readers imported)": (lambda: None, lambda _: "baseline"),
    "DOCX inflating 3 MB -> 1 GB": (docx_bomb, _attachment("docx")),
    "DOCX lying about its sizes": (lambda: docx_bomb(declared=10_000), _attachment("docx")),
    "OFD of 8 x 256 MB members": (ofd_bomb, _attachment("ofd")),
    "list page of 100,000 links": (_farm, _links),
    "page nested 30,000 levels deep": (_deep, _extract),
}


def _measure(name: str, queue: multiprocessing.Queue[tuple[str, float, int]]) -> None:
    import crawler.discovery.links
    import crawler.extraction.attachments
    import crawler.extraction.page  # noqa: F401

    logging.disable(logging.WARNING)  # the link farm's one warning line
    build, read = INPUTS[name]
    hostile = build()
    started = time.perf_counter()
    outcome = read(hostile)
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
