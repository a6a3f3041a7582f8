"""The `reports` spider: walks every registry portal from its homepage to report pages,
paging each column by the pager the page shows (each guessed page verified before it is
trusted) and stopping where earlier runs left off or where items get older than the years of
interest; the site's own search adds hints. Portals that give no recent report, or whose
paging broke, get a bounded best-first exploration once the regular crawl is done."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import FormRequest, Headers, Request, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.crawl_state import CrawlState, portal_order
from archive.raw_captures import CaptureNotFound, read_capture_body
from archive.vocabulary import Stage
from crawler.archive_context import ArchiveContext, archive_context
from crawler.captures import CAPTURE_DIGEST_META, REVISIT_OF_META, CaptureNotKept
from crawler.discovery import gkmlpt
from crawler.discovery.column_shape import is_thin, read_list_shape
from crawler.discovery.hanweb import (
    DataProxy,
    embedded_page_urls,
    find_dataproxy,
    find_embedded_list,
    record_fragments,
)
from crawler.discovery.links import (
    ARTICLE_URL,
    Link,
    best_columns,
    host_and_parents,
    is_candidate_report_link,
    is_same_site,
    page_links,
    site_host,
)
from crawler.discovery.list_items import (
    is_before_years_of_interest,
    list_item_dates,
    list_item_urls,
)
from crawler.discovery.pagination import PageGuess, next_page_guesses, script_pager_links
from crawler.discovery.safety_net import (
    Exploration,
    Lead,
    department_links,
    is_catalogue,
    is_catalogue_anchor,
    recent_report_year,
)
from crawler.discovery.site_search import find_search_endpoints
from crawler.extraction.attachments import attachment_kind
from crawler.fetch_errors import describe_fetch_failure, error_kind
from crawler.fetch_guard import FetchRefused
from crawler.items import REPORT_PAGE_META, FetchFailure, ReportPage
from crawler.registry import SHIPPED_REGISTRY, PortalEntry, ad_hoc_portal, load_registry
from crawler.responses import header_text
from crawler.robots import RobotsRules
from crawler.stats_keys import OLD_LISTS_STAT
from crawler.warc import warc_folder

# Statuses of a guessed list page that mean "not this way": try the next guess.
MISSING_PAGE_STATUSES = (404, 410)
# Links kept per portal for the safety net to start from: a county portal shows a few hundred.
MAX_REMEMBERED_LINKS = 3000
# Request meta key: a page asked again in full after a 304 whose kept body could not be read.
ASKED_IN_FULL_META = "asked_in_full"
# What the spider remembers during a run, kept in Scrapy's JOBDIR state across a pause.
RESUMABLE_MEMORY = (
    "requests_per_site",
    "sites_over_budget",
    "requested",
    "reached",
    "seen_links",
    "report_years",
    "broken_paging",
)


@dataclass(frozen=True)
class PagingTrail:
    """What a later list page is checked against: the column's first page and the page before
    (a server answering an unknown page with one of those did not page), and the guesses left
    to try when this one fails."""

    column_url: str
    first_items: frozenset[str]
    previous_items: frozenset[str]
    guesses: tuple[PageGuess, ...]
    # A Hanweb column's POST dataproxy.jsp, the last way to try once the guesses are spent.
    proxy: DataProxy | None = None


@dataclass(frozen=True)
class ListPosition:
    """Where a list page sits, as the request for it knew (callback data, passed in
    cb_kwargs): hops below the homepage, the text of the link that led there, its number in
    its column and, for a guessed later page, the trail it is checked against."""

    hops: int
    anchor: str = ""
    page_number: int = 1
    trail: PagingTrail | None = None


@dataclass(frozen=True)
class ListPage:
    """What discovery reads off one list page: its links (script-XML records included), the
    dates beside its items and the items' URLs."""

    links: list[Link]
    dates: list[dt.date]
    items: frozenset[str]


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, registry: str = "", site: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.registry_path = registry
        self.site = site
        self.requests_per_site: Counter[str] = Counter()
        self.sites_over_budget: set[str] = set()
        self.crawl_state = CrawlState()
        # For the safety net: what the regular crawl saw and found, per portal homepage.
        self.requested: set[str] = set()
        self.reached: set[str] = set()
        self.seen_links: defaultdict[str, dict[str, tuple[Link, bool]]] = defaultdict(dict)
        self.report_years: defaultdict[str, set[int]] = defaultdict(set)
        self.broken_paging: dict[str, str] = {}
        self.explorations: dict[str, Exploration] = {}
        # Request priority per portal homepage: the portals due first go first (see start).
        self.portal_priority: dict[str, int] = {}
        self.robots: RobotsRules | None = None  # set from_crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReportsSpider:
        spider: ReportsSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.start_safety_net, signal=signals.spider_idle)
        crawler.signals.connect(spider.note_report, signal=signals.item_scraped)
        spider.robots = RobotsRules(crawler)
        return spider

    @functools.cached_property
    def portals(self) -> list[PortalEntry]:
        """The portals this crawl was given (the registry, or `-a site`): the archive
        context records them when the run starts."""
        if self.site:
            return [ad_hoc_portal(self.site)]
        path = self.registry_path or self.settings.get("NIANBAO_REGISTRY") or SHIPPED_REGISTRY
        return load_registry(Path(path))

    @functools.cached_property
    def archive(self) -> ArchiveContext:
        return archive_context(self.crawler)

    async def start(self) -> AsyncIterator[Request]:
        """Each portal's homepage, then the pages it failed on before and its recent reports, in
        the order the portals are due (never completed first, then least recently completed).
        Every request of a portal carries its rank as priority, so the scheduler prefers the
        portals due first: a run cut short reaches those, and the next run starts where this
        one stopped."""
        self._keep_across_resume()
        earlier = self.archive.earlier
        self.crawl_state = earlier.state
        homepages = [portal.homepage for portal in self.portals]
        order = portal_order(homepages, earlier.last_completed, earlier.last_visited)
        self.portal_priority = {homepage: -rank for rank, homepage in enumerate(order)}
        retries, revisits = self._retries(), self._revisits()
        for homepage in order:
            request = self._list_request(homepage, homepage, ListPosition(hops=0))
            if request is not None:
                yield request
            for request in (*retries.get(homepage, []), *revisits.get(homepage, [])):
                yield request

    def _keep_across_resume(self) -> None:
        """With JOBDIR, Scrapy keeps `self.crawl_state` (a dict) across a pause: the run's memory of
        what it asked and found lives there, so a resumed run goes on where it stopped (page
        budgets, pages asked, reports per portal for the safety net)."""
        job_state = getattr(self, "state", None)
        if not isinstance(job_state, dict):
            return
        for name in RESUMABLE_MEMORY:
            setattr(self, name, job_state.setdefault(name, getattr(self, name)))

    def _retries(self) -> dict[str, list[Request]]:
        """The pages earlier runs failed on, by portal, asked again: discovery may not reach
        them (paging stops at an unchanged list page). A failed report page is asked once,
        whichever way comes first; a failed list page is asked again beside its normal
        discovery (dont_filter), which alone knows what kind of page it is (a gkmlpt JSON page,
        a guessed later page). Failed files come back with their page, asked in full even
        where it was stored (a 304 would not read it again)."""
        retries: defaultdict[str, list[Request]] = defaultdict(list)
        state = self.crawl_state
        failed = state.failed_pages | state.failed_lists | state.pages_of_failed_files
        for homepage, url in self._pages_by_portal(failed):
            if url in state.failed_lists:
                # hops 1: a list page below the homepage (hops 0 would ask the site search).
                at = ListPosition(hops=1)
                request = self._list_request(url, homepage, at, dont_filter=True)
            else:
                request = self._report_request(url, homepage, anchor="")
            if request is not None:
                retries[homepage].append(request)
        return retries

    def _revisits(self) -> dict[str, list[Request]]:
        """Known report pages on recent years, by portal, asked conditionally to catch
        corrections: directly, since paging stops at an unchanged list page before the later
        pages that link them. A 304 costs no parsing; a changed text becomes a new version."""
        revisits: defaultdict[str, list[Request]] = defaultdict(list)
        for homepage, url in self._pages_by_portal(self.crawl_state.revisit_urls):
            request = self._report_request(url, homepage, anchor="", conditional=True)
            if request is not None:
                revisits[homepage].append(request)
        return revisits

    def _pages_by_portal(self, urls: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(homepage, URL) of the pages among `urls` on a registry portal, in URL order; files
        are left out (asked again with their page), and so is what a run resumed from JOBDIR
        asked before its pause."""
        homepages = {site_host(p.homepage): p.homepage for p in self.portals}
        for url in sorted(set(urls) - self.requested):
            homepage = _portal_of(url, homepages)
            if homepage is not None and attachment_kind(url) is None:
                yield homepage, url

    def _request(self, url: str, homepage: str, callback: Any, **kwargs: Any) -> Request | None:
        """A request within the site's page budget, or None once the budget is spent. Its
        meta carries what middlewares and extensions read (the portal's homepage, whether it
        is a report page); what only the callback needs goes in cb_kwargs. A link that the
        host's robots.txt forbids is left out here, before it spends the budget."""
        if self.robots is not None and self.robots.forbids(url):
            return None
        if self.requests_per_site[homepage] >= self.settings.getint("NIANBAO_SITE_PAGE_BUDGET"):
            if homepage not in self.sites_over_budget:  # one line per site, not one per link
                self.sites_over_budget.add(homepage)
                self.logger.warning(
                    "page budget spent for %s; skipping %s and later", homepage, url
                )
            return None
        self.requests_per_site[homepage] += 1
        self.requested.add(url)
        meta = {"homepage": homepage, **kwargs.pop("meta", {})}
        request_class = FormRequest if "formdata" in kwargs else Request
        errback = kwargs.pop("errback", self.on_error)
        priority = self.portal_priority.get(homepage, 0)
        return request_class(
            url, callback=callback, errback=errback, meta=meta, priority=priority, **kwargs
        )

    def _list_request(
        self, url: str, homepage: str, at: ListPosition, **kwargs: Any
    ) -> Request | None:
        return self._page_request(url, homepage, self.parse_list, cb_kwargs={"at": at}, **kwargs)

    def _page_request(
        self, url: str, homepage: str, callback: Any, **kwargs: Any
    ) -> Request | None:
        """A homepage, column, search or list API page, asked conditionally where the body its
        validators stand for is kept: a 304 is then read again from that body (`_readable`)."""
        known = self.crawl_state.validators.get(url)
        if known is not None and known.kept is not None:
            meta = kwargs.setdefault("meta", {})
            meta["handle_httpstatus_list"] = [304, *meta.get("handle_httpstatus_list", [])]
            meta |= self._revisit_meta(url)
            kwargs["headers"] = self._validator_headers(url)
        return self._request(url, homepage, callback, **kwargs)

    def _report_request(
        self, url: str, homepage: str, anchor: str, conditional: bool = False
    ) -> Request | None:
        """A report page; `conditional` (a known page revisited): asked with its validators,
        and a 304 reaches parse_report."""
        meta: dict[str, Any] = {REPORT_PAGE_META: True}
        headers = {}
        if conditional:
            meta["handle_httpstatus_list"] = [304]
            meta |= self._revisit_meta(url)
            headers = self._validator_headers(url)
        cb_kwargs = {"anchor": anchor}
        return self._request(
            url, homepage, self.parse_report, meta=meta, headers=headers, cb_kwargs=cb_kwargs
        )

    def _later_page(
        self, url: str, homepage: str, callback: Any, cb_kwargs: dict[str, Any], guessed: bool
    ) -> Request | None:
        """A later list page, asked conditionally: 304 means the rest of the column is as
        before. A guessed page may also be missing (404, 410): the next guess is tried."""
        statuses = [304, *MISSING_PAGE_STATUSES] if guessed else [304]
        meta = {"handle_httpstatus_list": statuses, **self._revisit_meta(url)}
        headers = self._validator_headers(url)
        return self._request(
            url, homepage, callback, headers=headers, meta=meta, cb_kwargs=cb_kwargs
        )

    def _revisit_meta(self, url: str) -> dict[str, Any]:
        """The kept capture a conditional request's validators stand for, so that a 304 to it
        is archived as a revisit of that capture's record."""
        known = self.crawl_state.validators.get(url)
        return {REVISIT_OF_META: known.kept} if known is not None and known.kept else {}

    def _validator_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the URL's latest capture, where it had them."""
        headers = {}
        if (known := self.crawl_state.validators.get(url)) is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return headers

    def _readable(self, response: Response) -> TextResponse | Request | None:
        """The page to parse: the response itself, or for a 304 the body of the capture it
        confirmed, read back from its WARC record (status stays 304: unchanged), so discovery
        goes on without a download. Where that body cannot be read (files moved) the page is
        asked again in full; None when there is nothing to parse (a later page asked without a
        kept body, WARC off: the rest of its column is as before)."""
        if response.status != 304:
            return response if isinstance(response, TextResponse) else None
        known = self.crawl_state.validators.get(response.url)
        kept = known.kept if known is not None else None
        if kept is None or response.meta.get(ASKED_IN_FULL_META):
            return None
        try:
            body = read_capture_body(self.warc_dir, kept.warc_file, kept.offset, kept.record_id)
        except (OSError, CaptureNotFound) as error:
            self.logger.info("asking %s in full: its kept body: %s", response.url, error)
        else:
            headers = Headers({"Content-Type": kept.content_type} if kept.content_type else {})
            cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
            # A new response, not response.replace(): that would keep the 304's guessed encoding.
            again = cls(
                response.url, status=304, headers=headers, body=body, request=response.request
            )
            return again if isinstance(again, TextResponse) else None
        request = response.request
        assert request is not None
        headers = request.headers.copy()
        for name in ("If-None-Match", "If-Modified-Since"):
            headers.pop(name, None)
        meta = {**request.meta, ASKED_IN_FULL_META: True}
        return request.replace(headers=headers, meta=meta, dont_filter=True)

    @functools.cached_property
    def warc_dir(self) -> Path:
        settings = self.settings
        return warc_folder(settings.get("NIANBAO_WARC_DIR"), settings.get("NIANBAO_DB_URL"))

    def _is_unchanged(self, response: Response) -> bool:
        """A 304, or the same bytes as the last capture: nothing new on the rest of the column."""
        unchanged = response.status == 304 or self._is_same_as_before(response)
        if unchanged:
            self.archive.portal(response.meta["homepage"]).unchanged_lists += 1
        return unchanged

    def _is_same_as_before(self, response: Response) -> bool:
        digest = response.meta.get(CAPTURE_DIGEST_META)
        return digest is not None and self.crawl_state.digests.get(response.url) == digest

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
        if response.status != 200 or url not in self.crawl_state.digests:
            return
        shape = read_list_shape(response.text, links, len(dates))
        if not is_thin(shape) or self._is_same_as_before(response):
            return
        self.archive.portal(response.meta["homepage"]).thin_lists[url] = shape

    def parse_list(self, response: Response, at: ListPosition) -> Iterator[Request | FetchFailure]:
        """A homepage or column page: follow report links, promising columns and pagination."""
        readable = self._readable(response)
        if isinstance(readable, Request):
            yield readable
        if not isinstance(readable, TextResponse):
            return
        response = readable
        if (too_large := self._too_large_to_parse(response)) is not None:
            yield too_large
            return
        page = self._read_list_page(response, response.meta["homepage"])
        yield from self._follow_list_page(response, page, at)

    def _follow_list_page(
        self, response: TextResponse, page: ListPage, at: ListPosition
    ) -> Iterator[Request]:
        homepage, hops = response.meta["homepage"], at.hops
        self._remember(response, page.links, homepage, at.anchor)
        self._note_shape(response, page.links, page.dates)
        has_new_items = self._has_new_items(page.links, homepage)
        yield from self._follow_reports(page.links, homepage)
        if hops == 0:
            yield from self._search(response, homepage)
        if (sid := gkmlpt.find_sid(response.text)) is not None:
            yield from self._gkmlpt_page(response.url, homepage, hops, sid, 1)
        elif (
            has_new_items and not self._is_unchanged(response) and not self._is_too_old(page.dates)
        ):
            yield from self._follow_pages(response, page, homepage, at)
        departments = self._departments(at.anchor, page.links)
        yield from self._follow_departments(departments, homepage, hops, at.anchor)
        if hops < self.settings.getint("NIANBAO_MAX_HOPS"):
            limit = self.settings.getint("NIANBAO_COLUMNS_PER_PAGE")
            taken = {department.url for department in departments}
            columns = [link for link in page.links if link.url not in taken]
            for column in best_columns(columns, limit):
                request = self._list_request(
                    column.url, homepage, ListPosition(hops + 1, column.text)
                )
                if request is not None:
                    yield request

    def _departments(self, anchor: str, links: list[Link]) -> list[Link]:
        """The departments a catalogue of bodies (部门信息公开) lists; none on other pages."""
        if not is_catalogue(anchor, links):
            return []
        return department_links(links)[: self.settings.getint("NIANBAO_DEPARTMENTS_PER_CATALOGUE")]

    def _follow_departments(
        self, departments: list[Link], homepage: str, hops: int, anchor: str
    ) -> Iterator[Request]:
        """Each department's page, followed like a column. Under a link named as a catalogue
        this costs no hop: a department's report sits a level or two below its page, past
        where the hop limit would stop."""
        below = hops if is_catalogue_anchor(anchor) else hops + 1
        if below > self.settings.getint("NIANBAO_MAX_HOPS"):
            return
        for department in departments:
            request = self._list_request(
                department.url, homepage, ListPosition(below, department.text)
            )
            if request is not None:
                yield request

    def _read_list_page(self, response: TextResponse, homepage: str) -> ListPage:
        links = page_links(response.selector, response.url)
        dates = list_item_dates(response.selector)
        items = set(list_item_urls(response.selector, response.url))
        # Records in script XML (Hanweb datastores, dataproxy answers) are list items too.
        for fragment in record_fragments(response.text):
            fragment_links = page_links(fragment, response.url)
            links += fragment_links
            dates += list_item_dates(fragment)
            items.update(link.url for link in fragment_links)
        same_site = [link for link in links if is_same_site(link.url, homepage)]
        # Undated items count by their URL (CMS article paths) or their report-like title.
        items.update(
            link.url
            for link in same_site
            if ARTICLE_URL.search(link.url) or is_candidate_report_link(link)
        )
        return ListPage(same_site, dates, frozenset(items))

    def _remember(
        self, response: TextResponse, links: list[Link], homepage: str, anchor: str
    ) -> None:
        """Keep the page's links (and whether it is a catalogue of bodies) for the safety net."""
        if response.status in (200, 304):
            self.reached.add(homepage)
        remembered = self.seen_links[homepage]
        on_catalogue = is_catalogue(anchor, links)
        for link in links:
            if len(remembered) >= MAX_REMEMBERED_LINKS:
                return
            remembered.setdefault(link.url, (link, on_catalogue))

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
                request = self._page_request(url, homepage, self.parse_search)
                if request is not None:
                    yield request

    def parse_search(self, response: Response) -> Iterator[Request | FetchFailure]:
        """A search result page: its report-like links are followed, nothing else (no paging:
        search ranks poorly, the columns stay the main way)."""
        readable = self._readable(response)
        if isinstance(readable, Request):
            yield readable
        if not isinstance(readable, TextResponse):
            return
        response = readable
        if (too_large := self._too_large_to_parse(response)) is not None:
            yield too_large
            return
        homepage = response.meta["homepage"]
        links = [
            link
            for link in page_links(response.selector, response.url)
            if is_same_site(link.url, homepage)
        ]
        yield from self._follow_reports(links, homepage)

    def _has_new_items(self, links: list[Link], homepage: str) -> bool:
        """False when every report-like item of the page is known from earlier runs."""
        candidates = [link for link in links if is_candidate_report_link(link)]
        return not candidates or not all(self.crawl_state.is_known(c.url) for c in candidates)

    def _follow_reports(self, links: list[Link], homepage: str) -> Iterator[Request]:
        for link in links:
            if not is_candidate_report_link(link):
                continue
            if self.crawl_state.is_known(link.url):
                self._count_known(link.url, homepage)
                continue
            request = self._report_request(link.url, homepage, link.text)
            if request is not None:
                yield request

    def _count_known(self, url: str, homepage: str) -> None:
        if url in self.crawl_state.report_urls:
            self.archive.portal(homepage).known_reports += 1

    def _follow_pages(
        self, response: TextResponse, page: ListPage, homepage: str, at: ListPosition
    ) -> Iterator[Request]:
        """The next page of the same column, read from the pager the page shows: Hanweb script
        XML and dataproxy lists, then links, script pagers and URL patterns."""
        hops, number, trail = at.hops, at.page_number, at.trail
        if number >= self.settings.getint("NIANBAO_MAX_LIST_PAGES"):
            return
        listing, proxy = find_embedded_list(response.text), find_dataproxy(response.text)
        if listing is None and proxy is not None:
            yield from self._dataproxy_page(response.url, homepage, hops, proxy, 2)
            return
        guesses = [
            PageGuess(url, "script xml")
            for url in (embedded_page_urls(response.url, listing, number) if listing else [])
        ]
        pager_links = page.links + script_pager_links(response.selector, response.url)
        guesses += next_page_guesses(response.url, response.text, pager_links, number)
        trail = PagingTrail(
            trail.column_url if trail else response.url,
            trail.first_items if trail else page.items,
            page.items,
            tuple(guesses),
            proxy,
        )
        yield from self._try_next_guess(trail, homepage, hops, number + 1)

    def _try_next_guess(
        self, trail: PagingTrail, homepage: str, hops: int, number: int
    ) -> Iterator[Request]:
        """Ask the first guess not asked yet; the rest ride along for when it fails."""
        guesses = [guess for guess in trail.guesses if guess.url not in self.requested]
        if not guesses:
            return
        rest = PagingTrail(
            trail.column_url,
            trail.first_items,
            trail.previous_items,
            tuple(guesses[1:]),
            trail.proxy,
        )
        at = ListPosition(hops, page_number=number, trail=rest)
        request = self._later_page(
            guesses[0].url, homepage, self.parse_later_page, {"at": at}, guessed=True
        )
        if request is not None:
            yield request

    def parse_later_page(
        self, response: Response, at: ListPosition
    ) -> Iterator[Request | FetchFailure]:
        """A guessed next page: trusted as the column's next page unless it is missing or
        repeats the first or previous page, in which case the next guess is tried."""
        homepage, hops, number, trail = response.meta["homepage"], at.hops, at.page_number, at.trail
        assert trail is not None  # a guessed page always has its trail
        if response.status == 304:
            yield from self.parse_list(response, at)  # the rest of the column is as before
            return
        if response.status not in MISSING_PAGE_STATUSES and isinstance(response, TextResponse):
            page = self._read_list_page(response, homepage)
            if self._is_later_page(page, trail):
                yield from self._follow_list_page(response, page, at)
                return
        self.logger.debug("not page %d of %s: %s", number, trail.column_url, response.url)
        if trail.guesses:
            yield from self._try_next_guess(trail, homepage, hops, number)
            return
        if trail.proxy is not None:
            yield from self._dataproxy_page(trail.column_url, homepage, hops, trail.proxy, number)
            return
        self.logger.info("paging of %s broke after page %d", trail.column_url, number - 1)
        self.broken_paging.setdefault(homepage, trail.column_url)

    @staticmethod
    def _is_later_page(page: ListPage, trail: PagingTrail) -> bool:
        """Not the column's first or previous page again (servers answer an unknown page
        number with one of those), nor a page without items where the page before had some
        (an error page sent with status 200)."""
        if not page.items:
            return not trail.previous_items
        return page.items not in (trail.first_items, trail.previous_items)

    def _dataproxy_page(
        self, column_url: str, homepage: str, hops: int, proxy: DataProxy, number: int
    ) -> Iterator[Request]:
        if number > self.settings.getint("NIANBAO_MAX_LIST_PAGES"):
            return
        if (page := proxy.page_request(column_url, number)) is None:
            return
        url, form = page
        cb_kwargs = {"hops": hops, "proxy": proxy, "column_url": column_url, "number": number}
        request = self._request(
            url, homepage, self.parse_dataproxy, formdata=form, cb_kwargs=cb_kwargs
        )
        if request is not None:
            yield request

    def parse_dataproxy(
        self, response: Response, hops: int, proxy: DataProxy, column_url: str, number: int
    ) -> Iterator[Request]:
        """A Hanweb dataproxy.jsp answer: XML records, each an HTML <li> with a link."""
        if not isinstance(response, TextResponse):
            return
        homepage = response.meta["homepage"]
        fragments = record_fragments(response.text)
        links = [link for fragment in fragments for link in page_links(fragment, response.url)]
        dates = [day for fragment in fragments for day in list_item_dates(fragment)]
        yield from self._follow_reports(links, homepage)
        if links and self._has_new_items(links, homepage) and not self._is_too_old(dates):
            yield from self._dataproxy_page(column_url, homepage, hops, proxy, number + 1)

    def _gkmlpt_page(
        self, base_url: str, homepage: str, hops: int, sid: str, number: int
    ) -> Iterator[Request]:
        if number > self.settings.getint("NIANBAO_MAX_LIST_PAGES"):
            return
        url = gkmlpt.api_url(base_url, sid, number)
        cb_kwargs = {"hops": hops, "sid": sid, "number": number}
        request = (
            self._later_page(url, homepage, self.parse_gkmlpt, cb_kwargs, guessed=False)
            if number > 1
            else self._page_request(url, homepage, self.parse_gkmlpt, cb_kwargs=cb_kwargs)
        )
        if request is not None:
            yield request

    def parse_gkmlpt(
        self, response: Response, hops: int, sid: str, number: int
    ) -> Iterator[Request | FetchFailure]:
        """A gkmlpt list API answer: JSON articles, and the page count."""
        readable = self._readable(response)
        if isinstance(readable, Request):
            yield readable
        if not isinstance(readable, TextResponse):
            return
        response = readable
        homepage = response.meta["homepage"]
        try:
            page = gkmlpt.parse_api_page(response.text)
        except ValueError as error:
            yield FetchFailure(response.url, Stage.DISCOVERY, str(error), homepage)
            return
        links = [Link(a.url, a.title) for a in page.articles if is_same_site(a.url, homepage)]
        yield from self._follow_reports(links, homepage)
        dates = [day for a in page.articles if (day := a.published_on) is not None]
        more = (
            page.has_page_after(number)
            and self._has_new_items(links, homepage)
            and not self._is_too_old(dates)
        )
        if more and not self._is_unchanged(response):
            yield from self._gkmlpt_page(response.url, homepage, hops, sid, number + 1)

    @functools.cached_property
    def recent_year(self) -> int:
        return recent_report_year(self.settings.getint("NIANBAO_SAFETY_NET_YEARS_BACK"))

    def note_report(self, item: Any) -> None:
        """Remember the year of each report a portal gave, and credit the safety net with the
        reports its exploration fetched."""
        if not isinstance(item, ReportPage) or item.verdict is None or not item.verdict.is_report:
            return
        homepage = item.portal_homepage
        if item.extracted is not None and item.extracted.report_year is not None:
            self.report_years[homepage].add(item.extracted.report_year)
        exploration = self.explorations.get(homepage)
        if exploration is not None and item.url in exploration.tried_reports:
            exploration.found.append(item.url)
            self._publish(homepage, exploration)

    def _safety_net_reason(self, homepage: str) -> str | None:
        """Why the portal needs exploring, or None: no recent report, or a broken pager."""
        if homepage not in self.reached or homepage in self.explorations:
            return None
        if homepage in self.archive.earlier.explored_lately:
            return None  # explored within the interval: the same search would cost the same
        if (column := self.broken_paging.get(homepage)) is not None:
            return f"paging of {column} broke"
        recent = any(year >= self.recent_year for year in self.report_years[homepage])
        if not recent and homepage not in self.archive.earlier.recent_reports:
            return f"no report on {self.recent_year} or later"
        return None

    def start_safety_net(self) -> None:
        """Once the regular crawl is done: explore the portals that need it."""
        budget = self.settings.getint("NIANBAO_SAFETY_NET_PAGES")
        if budget <= 0 or self.crawler.engine is None:
            return
        started = False
        for portal in self.portals:
            homepage = portal.homepage
            if (reason := self._safety_net_reason(homepage)) is None:
                continue
            exploration = Exploration(reason, budget)
            self.explorations[homepage] = exploration
            for link, on_catalogue in self.seen_links[homepage].values():
                exploration.offer([link], on_catalogue)
            self.logger.info("safety net for %s: %s", homepage, reason)
            for request in self._explore_next(homepage):
                self.crawler.engine.crawl(request)
                started = True
            self._publish(homepage, exploration)
        if started:
            raise DontCloseSpider

    def _explore_next(self, homepage: str) -> Iterator[Request]:
        """The next best lead of the portal's exploration, while its budget lasts."""
        exploration = self.explorations[homepage]
        while (lead := exploration.take(self.requested)) is not None:
            request = self._explore_request(homepage, lead)
            if request is not None:
                yield request
                return

    def _explore_request(self, homepage: str, lead: Lead) -> Request | None:
        cb_kwargs: dict[str, Any] = {"anchor": lead.link.text}
        if lead.is_report:
            if self.crawl_state.is_known(lead.link.url):
                self._count_known(lead.link.url, homepage)
                return None
            self.explorations[homepage].tried_reports.add(lead.link.url)
            callback: Any = self.parse_explored_report
        else:
            callback = self.parse_explore
            cb_kwargs["score"] = lead.score
        # dont_filter: `requested` already keeps the exploration off pages asked before, and a
        # request the duplicate filter dropped silently would end the exploration.
        return self._request(
            lead.link.url,
            homepage,
            callback,
            cb_kwargs=cb_kwargs,
            errback=self.on_explore_error,
            dont_filter=True,
        )

    def on_explore_error(self, failure: Failure) -> Iterator[FetchFailure | Request]:
        yield from self.on_error(failure)
        homepage = failure.request.meta["homepage"]  # type: ignore[attr-defined]
        yield from self._explore_next(homepage)

    def parse_explored_report(
        self, response: Response, anchor: str
    ) -> Iterator[ReportPage | Request]:
        yield from self.parse_report(response, anchor)
        yield from self._explore_next(response.meta["homepage"])

    def parse_explore(self, response: Response, anchor: str, score: int) -> Iterator[Request]:
        """A page the safety net chose: its links join the frontier, the best goes next."""
        homepage = response.meta["homepage"]
        if isinstance(response, TextResponse):
            page = self._read_list_page(response, homepage)
            on_catalogue = is_catalogue(anchor, page.links)
            exploration = self.explorations[homepage]
            exploration.offer(page.links, on_catalogue)
            # The best guess only: a wrong one here is a failure row, not a tried mechanism.
            for guess in next_page_guesses(response.url, response.text, page.links, 1)[:1]:
                exploration.offer_scored(Link(guess.url, anchor), score)
        yield from self._explore_next(homepage)
        self._publish(homepage, self.explorations[homepage])

    def _publish(self, homepage: str, exploration: Exploration) -> None:
        """Hand the exploration's outcome so far to the health extension."""
        self.archive.portal(homepage).safety_net = exploration.outcome()

    def parse_report(self, response: Response, anchor: str = "") -> Iterator[ReportPage]:
        if response.status == 304:
            # A revisited report page, unchanged: its capture row (status 304) records that it
            # was seen again; nothing to parse, no new version.
            return
        yield ReportPage(
            url=response.url,
            status=response.status,
            body=response.body,
            portal_homepage=response.meta["homepage"],
            content_type=header_text(response, "Content-Type"),
            last_modified=header_text(response, "Last-Modified"),
            anchor_text=anchor,
        )

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        """Every request that came to nothing is a failure row with its reason (redirect loop,
        size or decompression cap, HTTP status, network error, disk full), except the one
        drop that is our own choice: robots.txt forbids the URL."""
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        if isinstance(error, IgnoreRequest) and is_robots_refusal(error):
            self.logger.debug("not fetched: %s: %s", request.url, failure.getErrorMessage())
            return
        is_report_page = request.meta.get(REPORT_PAGE_META, False)
        stage = Stage.FETCH if is_report_page else Stage.DISCOVERY
        message = f"{error_kind(error)}: {failure.getErrorMessage()}"
        if isinstance(error, HttpError):
            message = error_kind(error)
        if isinstance(error, FetchRefused | CaptureNotKept):
            message = str(error)
        if isinstance(error, CaptureNotKept):
            # Fetched, but its WARC record or capture row could not be written; list pages
            # keep their discovery stage, so that they are retried as lists.
            stage = Stage.STORE if is_report_page else stage
        # The failure belongs to the URL discovery followed, not to where redirects led.
        url = next(iter(request.meta.get("redirect_urls", [])), request.url)
        if url != request.url:
            message += f" (at {request.url})"
        # The guard logged its refusal already, the archive context the storage failure.
        if not isinstance(error, FetchRefused | CaptureNotKept):
            self.logger.error("fetch failed: %s [%s]", describe_fetch_failure(url, failure), stage)
        yield FetchFailure(
            url=url,
            stage=stage,
            message=message,
            portal_homepage=request.meta.get("homepage", ""),
        )


# Scrapy's RobotsTxtMiddleware refuses with a plain IgnoreRequest carrying this message.
ROBOTS_REFUSAL = "Forbidden by robots.txt"


def _portal_of(url: str, homepages: dict[str, str]) -> str | None:
    """The homepage of the portal whose site (host or a parent domain) holds `url`."""
    sites = host_and_parents(site_host(url))
    return next((homepages[site] for site in sites if site in homepages), None)


def is_robots_refusal(error: IgnoreRequest) -> bool:
    return type(error) is IgnoreRequest and str(error) == ROBOTS_REFUSAL
