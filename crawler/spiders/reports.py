"""The `reports` spider: walks every registry portal from its homepage to report pages."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import FormRequest, Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.discovery.hanweb import find_dataproxy, record_fragments
from crawler.discovery.links import (
    Link,
    best_columns,
    is_candidate_report_link,
    is_same_site,
    page_links,
)
from crawler.discovery.pagination import next_page_links, trs_page_count, trs_page_urls
from crawler.items import FetchFailure, ReportPage
from crawler.registry import SHIPPED_REGISTRY, PortalEntry, ad_hoc_portal, load_registry
from crawler.responses import header_text


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, registry: str = "", site: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.registry_path = registry
        self.site = site
        self.requests_per_site: Counter[str] = Counter()

    @functools.cached_property
    def portals(self) -> list[PortalEntry]:
        """The portals of this run (read once: the store pipeline needs them too)."""
        if self.site:
            return [ad_hoc_portal(self.site)]
        path = self.registry_path or self.settings.get("NIANBAO_REGISTRY") or SHIPPED_REGISTRY
        return load_registry(Path(path))

    async def start(self) -> AsyncIterator[Request]:
        for portal in self.portals:
            request = self._request(portal.homepage, portal.homepage, self.parse_home, hops=0)
            if request is not None:
                yield request

    def _request(
        self, url: str, homepage: str, callback: Any, hops: int, **kwargs: Any
    ) -> Request | None:
        """A request within the site's page budget, or None once the budget is spent."""
        if self.requests_per_site[homepage] >= self.settings.getint("NIANBAO_SITE_PAGE_BUDGET"):
            self.logger.warning("page budget spent for %s; skipping %s", homepage, url)
            return None
        self.requests_per_site[homepage] += 1
        meta = {"homepage": homepage, "hops": hops, **kwargs.pop("meta", {})}
        request_class = FormRequest if "formdata" in kwargs else Request
        return request_class(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def parse_home(self, response: Response) -> Iterator[Request]:
        yield from self.parse_list(response)

    def parse_list(self, response: Response) -> Iterator[Request]:
        """A homepage or column page: follow report links, promising columns and pagination."""
        if not isinstance(response, TextResponse):
            return
        homepage, hops = response.meta["homepage"], response.meta["hops"]
        links = [
            link
            for link in page_links(response.selector, response.url)
            if is_same_site(link.url, homepage)
        ]
        yield from self._follow_reports(links, homepage, hops)
        yield from self._follow_pages(response, links, homepage, hops)
        if hops < self.settings.getint("NIANBAO_MAX_HOPS"):
            limit = self.settings.getint("NIANBAO_COLUMNS_PER_PAGE")
            for column in best_columns(links, limit):
                request = self._request(column.url, homepage, self.parse_list, hops + 1)
                if request is not None:
                    yield request

    def _follow_reports(self, links: list[Link], homepage: str, hops: int) -> Iterator[Request]:
        for link in links:
            if is_candidate_report_link(link):
                request = self._request(
                    link.url, homepage, self.parse_report, hops, meta={"anchor": link.text}
                )
                if request is not None:
                    yield request

    def _follow_pages(
        self, response: TextResponse, links: list[Link], homepage: str, hops: int
    ) -> Iterator[Request]:
        """Later pages of the same column, by the CMS family's paging mechanism."""
        max_pages = self.settings.getint("NIANBAO_MAX_LIST_PAGES")
        page_urls: list[str] = []
        if response.meta.get("paged"):
            page_urls = next_page_links(links)  # each generic page names only the next one
        elif (count := trs_page_count(response.text)) is not None:
            page_urls = trs_page_urls(response.url, count, max_pages)
        elif proxy := find_dataproxy(response.text):
            for url, form in proxy.page_requests(response.url, max_pages):
                request = self._request(url, homepage, self.parse_dataproxy, hops, formdata=form)
                if request is not None:
                    yield request
        else:
            page_urls = next_page_links(links)
        for url in page_urls:
            request = self._request(url, homepage, self.parse_list, hops, meta={"paged": True})
            if request is not None:
                yield request

    def parse_dataproxy(self, response: Response) -> Iterator[Request]:
        """A Hanweb dataproxy.jsp answer: XML records, each an HTML <li> with a link."""
        if not isinstance(response, TextResponse):
            return
        homepage, hops = response.meta["homepage"], response.meta["hops"]
        for fragment in record_fragments(response.text):
            yield from self._follow_reports(page_links(fragment, response.url), homepage, hops)

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
        self.logger.error("fetch failed: %s: %s", request.url, failure.getErrorMessage())
        yield FetchFailure(
            url=request.url,
            stage="fetch",
            message=f"{type(failure.value).__name__}: {failure.getErrorMessage()}",
            portal_homepage=request.meta.get("homepage", ""),
        )
