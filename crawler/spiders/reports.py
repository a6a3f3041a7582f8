"""The `reports` spider: walks every registry portal from its homepage to report pages,
paging each column the way its CMS family does and stopping where earlier runs left off or
where items get older than the years of interest; the site's own search adds hints."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy.orm import Session
from twisted.python.failure import Failure

from archive.crawl_state import CrawlState, load_crawl_state
from archive.db import open_archive
from crawler.discovery import gkmlpt
from crawler.discovery.column_shape import is_thin, read_list_shape
from crawler.discovery.fingerprint import CmsFamily, fingerprint
from crawler.discovery.hanweb import DataProxy, find_dataproxy, record_fragments
from crawler.discovery.links import (
    Link,
    best_columns,
    is_candidate_report_link,
    is_same_site,
    page_links,
)
from crawler.discovery.list_items import is_before_years_of_interest, list_item_dates
from crawler.discovery.pagination import next_page_links, query_next_page_url, trs_next_page_url
from crawler.discovery.site_search import find_search_endpoints
from crawler.items import FetchFailure, ReportPage
from crawler.registry import SHIPPED_REGISTRY, PortalEntry, ad_hoc_portal, load_registry
from crawler.responses import header_text
from crawler.stats_keys import (
    KNOWN_REPORTS_STAT,
    OLD_LISTS_STAT,
    THIN_LISTS_STAT,
    UNCHANGED_LISTS_STAT,
)


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, registry: str = "", site: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.registry_path = registry
        self.site = site
        self.requests_per_site: Counter[str] = Counter()
        self.sites_over_budget: set[str] = set()
        self.state = CrawlState()

    @functools.cached_property
    def portals(self) -> list[PortalEntry]:
        """The portals of this run (read once: the store pipeline needs them too)."""
        if self.site:
            return [ad_hoc_portal(self.site)]
        path = self.registry_path or self.settings.get("NIANBAO_REGISTRY") or SHIPPED_REGISTRY
        return load_registry(Path(path))

    async def start(self) -> AsyncIterator[Request]:
        if self.settings.getbool("NIANBAO_INCREMENTAL"):
            engine = open_archive(self.settings.get("NIANBAO_DB_URL") or None)
            with Session(engine) as session:
                self.state = load_crawl_state(session)
            engine.dispose()
        for portal in self.portals:
            request = self._request(portal.homepage, portal.homepage, self.parse_list, hops=0)
            if request is not None:
                yield request

    def _request(
        self, url: str, homepage: str, callback: Any, hops: int, **kwargs: Any
    ) -> Request | None:
        """A request within the site's page budget, or None once the budget is spent."""
        if self.requests_per_site[homepage] >= self.settings.getint("NIANBAO_SITE_PAGE_BUDGET"):
            if homepage not in self.sites_over_budget:  # one line per site, not one per link
                self.sites_over_budget.add(homepage)
                self.logger.warning(
                    "page budget spent for %s; skipping %s and later", homepage, url
                )
            return None
        self.requests_per_site[homepage] += 1
        meta = {"homepage": homepage, "hops": hops, **kwargs.pop("meta", {})}
        request_class = FormRequest if "formdata" in kwargs else Request
        return request_class(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def _later_page(
        self, url: str, homepage: str, callback: Any, hops: int, number: int
    ) -> Request | None:
        """A later list page, asked conditionally: 304 means the rest of the column is as before."""
        headers = {}
        if (known := self.state.validators.get(url)) is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        meta = {"page_number": number, "handle_httpstatus_list": [304]}
        return self._request(url, homepage, callback, hops, headers=headers, meta=meta)

    def _is_unchanged(self, response: Response) -> bool:
        """A 304, or the same bytes as the last capture: nothing new on the rest of the column."""
        unchanged = response.status == 304 or self._is_same_as_before(response)
        if unchanged and self.crawler.stats is not None:
            self.crawler.stats.inc_value(UNCHANGED_LISTS_STAT + response.meta["homepage"])
        return unchanged

    def _is_same_as_before(self, response: Response) -> bool:
        digest = "sha256:" + hashlib.sha256(response.body).hexdigest()
        return self.state.digests.get(response.url) == digest

    @functools.cached_property
    def min_report_year(self) -> int:
        # Empty (as `-s NIANBAO_MIN_REPORT_YEAR=` gives) means no limit, like 0.
        return int(self.settings.get("NIANBAO_MIN_REPORT_YEAR") or 0)

    def _is_too_old(self, dates: list[dt.date]) -> bool:
        """Every dated item predates the years of interest: later pages are older still."""
        too_old = is_before_years_of_interest(dates, self.min_report_year)
        if too_old and self.crawler.stats is not None:
            self.crawler.stats.inc_value(OLD_LISTS_STAT)
        return too_old

    def _note_shape(self, response: TextResponse, links: list[Link], dates: list[dt.date]) -> None:
        """Keep the shape of a changed list page that looks thin, for the health extension to
        compare with the page's earlier capture (only changed pages can have changed shape)."""
        url = response.url
        if response.status != 200 or url not in self.state.digests:
            return
        shape = read_list_shape(response.text, links, len(dates))
        if self.crawler.stats is None or not is_thin(shape) or self._is_same_as_before(response):
            return
        key = THIN_LISTS_STAT + response.meta["homepage"]
        self.crawler.stats.set_value(key, {**self.crawler.stats.get_value(key, {}), url: shape})

    def parse_list(self, response: Response) -> Iterator[Request | FetchFailure]:
        """A homepage or column page: follow report links, promising columns and pagination."""
        if not isinstance(response, TextResponse):
            return
        if (too_large := self._too_large_to_parse(response)) is not None:
            yield too_large
            return
        homepage, hops = response.meta["homepage"], response.meta["hops"]
        links = [
            link
            for link in page_links(response.selector, response.url)
            if is_same_site(link.url, homepage)
        ]
        dates = list_item_dates(response.selector)
        self._note_shape(response, links, dates)
        has_new_items = self._has_new_items(links, homepage)
        yield from self._follow_reports(links, homepage, hops)
        if hops == 0:
            yield from self._search(response, homepage)
        if (sid := gkmlpt.find_sid(response.text)) is not None:
            yield from self._gkmlpt_page(response.url, homepage, hops, sid, 1)
        elif has_new_items and not self._is_unchanged(response) and not self._is_too_old(dates):
            yield from self._follow_pages(response, links, homepage, hops)
        if hops < self.settings.getint("NIANBAO_MAX_HOPS"):
            limit = self.settings.getint("NIANBAO_COLUMNS_PER_PAGE")
            for column in best_columns(links, limit):
                request = self._request(column.url, homepage, self.parse_list, hops + 1)
                if request is not None:
                    yield request

    def _too_large_to_parse(self, response: TextResponse) -> FetchFailure | None:
        """A list page past the HTML cap is not parsed here, on the reactor thread."""
        cap = self.settings.getint("NIANBAO_MAX_HTML_BYTES")
        if len(response.body) <= cap:
            return None
        message = f"list page of {len(response.body)} bytes is past the {cap}-byte HTML cap"
        self.logger.error("not parsed: %s: %s", response.url, message)
        return FetchFailure(response.url, "discovery", message, response.meta["homepage"])

    def _search(self, response: TextResponse, homepage: str) -> Iterator[Request]:
        """Ask the site's own search, where the homepage has a search form of a CMS family;
        robots.txt still decides (search scripts are often disallowed)."""
        for endpoint in find_search_endpoints(response.selector, response.url):
            if not is_same_site(endpoint.action, homepage):
                continue
            for term in self.settings.getlist("NIANBAO_SITE_SEARCH_TERMS"):
                url = endpoint.query_url(term)
                request = self._request(url, homepage, self.parse_search, hops=0)
                if request is not None:
                    yield request

    def parse_search(self, response: Response) -> Iterator[Request | FetchFailure]:
        """A search result page: its report-like links are followed, nothing else (no paging:
        search ranks poorly, the columns stay the main way)."""
        if not isinstance(response, TextResponse):
            return
        if (too_large := self._too_large_to_parse(response)) is not None:
            yield too_large
            return
        homepage = response.meta["homepage"]
        links = [
            link
            for link in page_links(response.selector, response.url)
            if is_same_site(link.url, homepage)
        ]
        yield from self._follow_reports(links, homepage, response.meta["hops"])

    def _has_new_items(self, links: list[Link], homepage: str) -> bool:
        """False when every report-like item of the page is known from earlier runs."""
        candidates = [link for link in links if is_candidate_report_link(link)]
        return not candidates or not all(self.state.is_known(c.url) for c in candidates)

    def _follow_reports(self, links: list[Link], homepage: str, hops: int) -> Iterator[Request]:
        for link in links:
            if not is_candidate_report_link(link):
                continue
            if self.state.is_known(link.url):
                self._count_known(link.url, homepage)
                continue
            request = self._request(
                link.url, homepage, self.parse_report, hops, meta={"anchor": link.text}
            )
            if request is not None:
                yield request

    def _count_known(self, url: str, homepage: str) -> None:
        if url in self.state.report_urls and self.crawler.stats is not None:
            self.crawler.stats.inc_value(KNOWN_REPORTS_STAT + homepage)

    def _follow_pages(
        self, response: TextResponse, links: list[Link], homepage: str, hops: int
    ) -> Iterator[Request]:
        """The next page of the same column, by the CMS family's paging mechanism."""
        max_pages = self.settings.getint("NIANBAO_MAX_LIST_PAGES")
        number = response.meta.get("page_number", 1) + 1
        family = fingerprint(response.text)
        if family is CmsFamily.HANWEB and (proxy := find_dataproxy(response.text)):
            yield from self._dataproxy_page(response.url, homepage, hops, proxy, 2)
            return
        url = (
            trs_next_page_url(response.url, response.text, max_pages)
            if family is CmsFamily.TRS
            else None
        )
        url = url or next(iter(next_page_links(links)), None)
        url = url or query_next_page_url(response.url, links, max_pages)
        if url is not None and number <= max_pages:
            request = self._later_page(url, homepage, self.parse_list, hops, number)
            if request is not None:
                yield request

    def _dataproxy_page(
        self, column_url: str, homepage: str, hops: int, proxy: DataProxy, number: int
    ) -> Iterator[Request]:
        if number > self.settings.getint("NIANBAO_MAX_LIST_PAGES"):
            return
        if (page := proxy.page_request(column_url, number)) is None:
            return
        url, form = page
        meta = {"proxy_form": proxy, "column_url": column_url, "page_number": number}
        request = self._request(url, homepage, self.parse_dataproxy, hops, formdata=form, meta=meta)
        if request is not None:
            yield request

    def parse_dataproxy(self, response: Response) -> Iterator[Request]:
        """A Hanweb dataproxy.jsp answer: XML records, each an HTML <li> with a link."""
        if not isinstance(response, TextResponse):
            return
        homepage, hops = response.meta["homepage"], response.meta["hops"]
        fragments = record_fragments(response.text)
        links = [link for fragment in fragments for link in page_links(fragment, response.url)]
        dates = [day for fragment in fragments for day in list_item_dates(fragment)]
        yield from self._follow_reports(links, homepage, hops)
        if links and self._has_new_items(links, homepage) and not self._is_too_old(dates):
            proxy, number = response.meta["proxy_form"], response.meta["page_number"] + 1
            yield from self._dataproxy_page(
                response.meta["column_url"], homepage, hops, proxy, number
            )

    def _gkmlpt_page(
        self, base_url: str, homepage: str, hops: int, sid: str, number: int
    ) -> Iterator[Request]:
        if number > self.settings.getint("NIANBAO_MAX_LIST_PAGES"):
            return
        url = gkmlpt.api_url(base_url, sid, number)
        request = (
            self._later_page(url, homepage, self.parse_gkmlpt, hops, number)
            if number > 1
            else self._request(url, homepage, self.parse_gkmlpt, hops, meta={"page_number": 1})
        )
        if request is not None:
            request.meta["sid"] = sid
            yield request

    def parse_gkmlpt(self, response: Response) -> Iterator[Request | FetchFailure]:
        """A gkmlpt list API answer: JSON articles, and the page count."""
        if response.status == 304 or not isinstance(response, TextResponse):
            return
        homepage, hops, number = (response.meta[k] for k in ("homepage", "hops", "page_number"))
        try:
            page = gkmlpt.parse_api_page(response.text)
        except ValueError as error:
            yield FetchFailure(response.url, "discovery", str(error), homepage)
            return
        links = [Link(a.url, a.title) for a in page.articles if is_same_site(a.url, homepage)]
        yield from self._follow_reports(links, homepage, hops)
        dates = [day for a in page.articles if (day := a.published_on) is not None]
        more = (
            page.has_page_after(number)
            and self._has_new_items(links, homepage)
            and not self._is_too_old(dates)
        )
        if more and not self._is_unchanged(response):
            yield from self._gkmlpt_page(
                response.url, homepage, hops, response.meta["sid"], number + 1
            )

    def parse_report(self, response: Response) -> Iterator[ReportPage]:
        yield ReportPage(
            url=response.url,
            status=response.status,
            body=response.body,
            portal_homepage=response.meta["homepage"],
            content_type=header_text(response, "Content-Type"),
            last_modified=header_text(response, "Last-Modified"),
            anchor_text=response.meta.get("anchor", ""),
        )

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]
        is_http_error = isinstance(failure.value, HttpError)  # an IgnoreRequest, but a failure
        if isinstance(failure.value, IgnoreRequest) and not is_http_error:
            # robots.txt forbade it (or a middleware dropped it on purpose): not a failure.
            self.logger.debug("not fetched: %s: %s", request.url, failure.getErrorMessage())
            return
        self.logger.error("fetch failed: %s: %s", request.url, failure.getErrorMessage())
        yield FetchFailure(
            url=request.url,
            stage="fetch",
            message=f"{type(failure.value).__name__}: {failure.getErrorMessage()}",
            portal_homepage=request.meta.get("homepage", ""),
        )
