"""Pagination of column lists, per CMS family: TRS index_N.html and generic 下一页 links."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.discovery.links import Link

# TRS WCM writes the page count into a script call or a variable.
TRS_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)")
TRS_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
NEXT_PAGE_WORDS = ("下一页", "下页", "后一页")


def trs_page_count(html: str) -> int | None:
    if match := TRS_CREATE_PAGE.search(html) or TRS_COUNT_PAGE.search(html):
        return int(match.group(1))
    return None


def trs_page_urls(list_url: str, page_count: int, limit: int) -> list[str]:
    """index.html is page 0; the others are index_1.html … index_{count-1}.html."""
    return [urljoin(list_url, f"index_{n}.html") for n in range(1, min(page_count, limit))]


def next_page_links(links: list[Link]) -> list[str]:
    """The 下一页 link of a generic list, if any."""
    return [link.url for link in links if link.text in NEXT_PAGE_WORDS]
