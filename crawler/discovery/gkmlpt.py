"""Guangdong gkmlpt catalogues: the SID in `/gkmlpt/index`, then the JSON list API."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

INDEX_PATH = "/gkmlpt/index"
# The platform's timestamps are instants; its pages show them as China Standard Time dates.
_CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
_SID = re.compile(r"window\._CONFIG\s*=\s*\{.*?['\"]?SID['\"]?\s*:\s*['\"]?(\w+)", re.DOTALL)


@dataclass(frozen=True)
class GkmlptArticle:
    title: str
    url: str
    publisher: str | None
    published: int | None  # Unix time, as the API gives it

    @property
    def published_on(self) -> dt.date | None:
        if self.published is None:
            return None
        return dt.datetime.fromtimestamp(self.published, _CHINA_TIME).date()


@dataclass(frozen=True)
class GkmlptPage:
    total: int
    page_size: int
    articles: tuple[GkmlptArticle, ...]

    def has_page_after(self, number: int) -> bool:
        return self.page_size > 0 and number * self.page_size < self.total


def find_sid(html: str) -> str | None:
    """The site id the catalogue's script config names, or None on other pages."""
    match = _SID.search(html)
    return match.group(1) if match else None


def api_url(base_url: str, sid: str, page: int, category: str = "0") -> str:
    """One page of the list API; category 0 lists every category."""
    return urljoin(base_url, f"/gkmlpt/api/all/{category}?page={page}&sid={sid}")


def parse_api_page(body: str) -> GkmlptPage:
    """A list API answer; raises ValueError when it is not the expected JSON shape."""
    try:
        data = json.loads(body)
        articles = tuple(
            GkmlptArticle(
                title=str(row["title"]),
                url=str(row["url"]),
                publisher=row.get("publisher"),
                published=row.get("date"),
            )
            for row in data["articles"]
        )
        return GkmlptPage(int(data["total"]), int(data["page_size"]), articles)
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a gkmlpt list answer: {error}") from None
