"""Pagination of column lists, one page at a time so a re-crawl can stop early: TRS
index_N.html, generic 下一页 links and ?page=N lists whose last page 尾页 names."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.discovery.links import Link

# TRS WCM writes the page count (and the current page) into a script call or a variable.
TRS_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)")
TRS_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
TRS_CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*['\"]?(\d+)")
NEXT_PAGE_WORDS = ("下一页", "下页", "后一页")
LAST_PAGE_WORDS = ("尾页", "末页")
# Hanweb's pager is a script fed by dataproxy.jsp; TRS writes its page count into a script.
SCRIPT_PAGERS = ("dataproxy.jsp", "createPageHTML", "countPage")
PAGE_PARAMETER = "page"


def trs_page_count(html: str) -> int | None:
    if match := TRS_CREATE_PAGE.search(html) or TRS_COUNT_PAGE.search(html):
        return int(match.group(1))
    return None


def trs_next_page_url(list_url: str, html: str, limit: int) -> str | None:
    """index.html is page 0; the page after page i is index_{i+1}.html, while within count."""
    count = trs_page_count(html)
    current = TRS_CREATE_PAGE.search(html) or TRS_CURRENT_PAGE.search(html)
    if count is None or current is None:
        return None
    following = int(current.group(2) if current.re is TRS_CREATE_PAGE else current.group(1)) + 1
    if following >= min(count, limit):
        return None
    return urljoin(list_url, f"index_{following}.html")


def next_page_links(links: list[Link]) -> list[str]:
    """The 下一页 link of a generic list, if any."""
    return [link.url for link in links if link.text in NEXT_PAGE_WORDS]


def has_pager(html: str, links: list[Link]) -> bool:
    """The page shows a pager of one of the families: a paging script, 下一页/尾页, ?page=N."""
    if any(marker in html for marker in SCRIPT_PAGERS):
        return True
    return any(
        link.text in NEXT_PAGE_WORDS or link.text in LAST_PAGE_WORDS or page_number(link.url)
        for link in links
    )


def page_number(url: str) -> int | None:
    value = dict(parse_qsl(urlsplit(url).query)).get(PAGE_PARAMETER, "")
    return int(value) if value.isdigit() else None


def query_next_page_url(list_url: str, links: list[Link], limit: int) -> str | None:
    """The ?page=N+1 of a list whose page links (numbers, 尾页) use ?page=N on its own path."""
    path = urlsplit(list_url).path
    last = max(
        (n for link in links if urlsplit(link.url).path == path and (n := page_number(link.url))),
        default=None,
    )
    following = (page_number(list_url) or 1) + 1
    if last is None or following > min(last, limit):
        return None
    parts = urlsplit(list_url)
    query = dict(parse_qsl(parts.query)) | {PAGE_PARAMETER: str(following)}
    return urlunsplit(parts._replace(query=urlencode(query)))
