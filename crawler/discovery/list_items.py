"""The dated items of a list page, and whether a column's later pages can still hold reports
on the years of interest (a report on year Y is published in Y+1)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from parsel import Selector

# List dates as CMS columns print them: 2019-02-13, 2019/2/13, 2019.02.13, 2019年2月13日.
ITEM_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def list_item_dates(selector: Selector) -> list[dt.date]:
    """The date printed beside each linked item (li or tr) of a list page; dates inside the
    link text (a title naming a day) do not count."""
    dates = []
    for item in selector.css("li, tr"):
        if not item.css("a[href]") or item.xpath(".//li | .//tr"):
            continue  # unlinked rows, and outer items whose inner items are counted instead
        text = " ".join(item.xpath(".//text()[not(ancestor::a)]").getall())
        if (day := _first_date(text)) is not None:
            dates.append(day)
    return dates


def list_item_urls(selector: Selector, base_url: str) -> frozenset[str]:
    """The links of a list page's dated items: what tells one page of a column from another
    (navigation and pager links are the same on every page)."""
    urls: set[str] = set()
    for item in selector.css("li, tr"):
        if item.xpath(".//li | .//tr"):
            continue
        text = " ".join(item.xpath(".//text()[not(ancestor::a)]").getall())
        if _first_date(text) is None:
            continue
        urls.update(urljoin(base_url, href) for href in item.css("a::attr(href)").getall())
    return frozenset(urls)


def _first_date(text: str) -> dt.date | None:
    for match in ITEM_DATE.finditer(text):
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


def is_before_years_of_interest(dates: list[dt.date], min_report_year: int) -> bool:
    """Every dated item was published before a report on `min_report_year` could be (Jan 1
    of the year after); no dates or no limit (0) is never before."""
    if min_report_year <= 0 or not dates:
        return False
    return max(dates) < dt.date(min_report_year + 1, 1, 1)
