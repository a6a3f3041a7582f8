"""Types shared by the portal's fake sites: what a site publishes (columns, articles)
and what it serves (pages keyed by path, POST endpoints)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

# The GB2312 label is what such pages declare; the bytes are GBK, a superset, because
# real servers encode with whatever the CMS uses and never re-check the label.
_CODECS = {"gb2312": "gbk"}


@dataclass(frozen=True)
class SiteInfo:
    host: str
    name: str
    sponsor: str
    id_code: str
    icp: str


@dataclass(frozen=True)
class Article:
    doc_id: int
    title: str
    published: datetime | None
    source: str | None
    paragraphs: tuple[str, ...] = ()
    # A real saved page, served verbatim instead of the family's template.
    raw: bytes | None = None
    # TRS stamps the creation date into the URL; after a re-publish it differs.
    url_date: date | None = None
    updated: datetime | None = None
    index_no: str | None = None


@dataclass(frozen=True)
class Column:
    slug: str
    name: str
    articles: tuple[Article, ...] = ()
    children: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    # Faults a real server shows: an error status, or a Content-Length it never delivers.
    status: int = 200
    declared_length: int | None = None
    # Further response headers (Location of a redirect, Content-Encoding of a gzip body).
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


# A POST endpoint gets the query and form fields merged; None means "not found".
PostHandler = Callable[[Mapping[str, str]], Page | None]
# A GET endpoint whose answer depends on the query (a site search) gets the query fields.
QueryHandler = Callable[[Mapping[str, str]], Page | None]


@dataclass(frozen=True)
class Site:
    host: str
    pages: Mapping[str, Page]
    post_handlers: Mapping[str, PostHandler] = field(default_factory=dict)
    get_handlers: Mapping[str, QueryHandler] = field(default_factory=dict)


def html_page(text: str, charset: str = "utf-8", last_modified: datetime | None = None) -> Page:
    """Encode an HTML page the way its server would and label it with `charset`."""
    body = text.encode(_CODECS.get(charset, charset))
    return Page(body, f"text/html; charset={charset}", last_modified)


def robots_page(disallow: tuple[str, ...]) -> Page:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), ""]
    return Page("\n".join(lines).encode("ascii"), "text/plain")


def newest(articles: tuple[Article, ...]) -> datetime | None:
    """Last-Modified of a list page: its newest dated article, if any."""
    dates = [a.published for a in articles if a.published is not None]
    return max(dates, default=None)


def latest_first(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Lists show newest first, as CMS columns do; undated items sink to the end."""
    return tuple(sorted(articles, key=lambda a: a.published or datetime.min, reverse=True))
