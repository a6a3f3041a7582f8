"""The local test portal: a loopback HTTP forward proxy that answers every request from
the fake sites in `sites.py` (routed by host) and never forwards anything."""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from tests.portal.site import Page, Site
from tests.portal.sites import build_sites

# Fixture dates are China Standard Time; HTTP dates are GMT.
_CST = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Arrival:
    """When a request reached the portal (time.monotonic(), shared by every client on this
    machine), for checks of per-host politeness across crawler processes."""

    host: str
    url: str
    at: float


class _PortalServer(ThreadingHTTPServer):
    # One thread per connection: a response held back by the injected latency delays only
    # its own connection, as a slow remote server would.
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, port: int, sites: dict[str, Site], latency: tuple[float, float] = (0.0, 0.0)
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.sites = sites
        self.latency = latency
        self.requests: list[tuple[str, str, int]] = []
        self.arrivals: list[Arrival] = []
        # Requests of each host being answered now (from arrival until the answer starts to
        # leave: a client may send its next request the moment it has the answer, before this
        # thread runs again), and the most there ever were at once.
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-response are normal in crawls; keep stderr quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _PortalServer

    def log_message(self, format: str, *args: object) -> None:
        """Requests are logged in `Portal.requests`, not on stderr."""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def do_POST(self) -> None:
        self._answer(with_body=True)

    def do_CONNECT(self) -> None:
        # No HTTPS tunnelling: it would mean talking to the real host.
        self._send(self.path, 405, Page(b"CONNECT not supported\n", "text/plain"), True)

    def _target(self) -> tuple[str, str, str]:
        """(host, path, query) of an absolute-URI (proxy) or origin-form request."""
        parts = urlsplit(self.path)
        host = parts.hostname if parts.scheme else self.headers.get("Host", "").split(":")[0]
        return (host or "").lower(), parts.path or "/", parts.query

    def _answer(self, with_body: bool) -> None:
        host, path, query = self._target()
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        with self.server.lock:
            self.server.arrivals.append(Arrival(host, url, time.monotonic()))
            self.server.in_flight[host] += 1
            most = max(self.server.most_in_flight[host], self.server.in_flight[host])
            self.server.most_in_flight[host] = most
        self._answering = host
        try:
            self._answer_in_flight(host, path, url, query, with_body)
        finally:
            self._answered()

    def _answered(self) -> None:
        if (host := getattr(self, "_answering", None)) is not None:
            with self.server.lock:
                self.server.in_flight[host] -= 1
            self._answering = None

    def _answer_in_flight(
        self, host: str, path: str, url: str, query: str, with_body: bool
    ) -> None:
        if self.server.latency[1] > 0:
            time.sleep(random.uniform(*self.server.latency))
        form = self._read_form()
        site = self.server.sites.get(host)
        if site is None:
            page = Page(b"unknown host: the test portal never forwards\n", "text/plain")
            self._send(url, 404, page, with_body)
            return
        fields = {**dict(parse_qsl(query)), **form}
        status, page = _resolve(site, self.command, path, query, fields)
        if status == 200 and self._is_fresh(page):
            self._send(url, 304, page, with_body=False)
        else:
            self._send(url, status, page, with_body)

    def _read_form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return dict(parse_qsl(raw.decode("utf-8", "replace")))

    def _is_fresh(self, page: Page) -> bool:
        if self.command not in ("GET", "HEAD"):
            return False
        if (tag := self.headers.get("If-None-Match")) is not None:
            return page.etag in {t.strip() for t in tag.split(",")} or tag.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since is None or page.last_modified is None:
            return False
        try:
            return _gmt(page.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def _send(self, url: str, status: int, page: Page, with_body: bool) -> None:
        self._answered()
        with self.server.lock:
            self.server.requests.append((self.command, url, status))
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(page.declared_length or len(page.body)))
        for name, value in page.headers:
            self.send_header(name, value)
        if status in (200, 304):
            self.send_header("ETag", page.etag)
            if page.last_modified is not None:
                self.send_header(
                    "Last-Modified", format_datetime(_gmt(page.last_modified), usegmt=True)
                )
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(page.body)
        if page.declared_length is not None:
            self.close_connection = True  # a body cut short: the client sees the connection drop


def _gmt(moment: datetime) -> datetime:
    return moment.replace(tzinfo=_CST).astimezone(UTC)


_NOT_FOUND = Page(
    "<html><body><h1>404</h1><p>您访问的页面不存在</p></body></html>".encode(),
    "text/html; charset=utf-8",
)
_NOT_ALLOWED = Page(b"method not allowed\n", "text/plain")


def _resolve(
    site: Site, method: str, path: str, query: str, fields: dict[str, str]
) -> tuple[int, Page]:
    if method == "POST":
        handler = site.post_handlers.get(path)
        if handler is None:
            return (405, _NOT_ALLOWED) if path in site.pages else (404, _NOT_FOUND)
        page = handler(fields)
        return (200, page) if page is not None else (404, _NOT_FOUND)
    if (query_handler := site.get_handlers.get(path)) is not None:
        page = query_handler(fields)
        return (200, page) if page is not None else (404, _NOT_FOUND)
    # JSON APIs and ?page=N lists are keyed with their query; other pages ignore it.
    page = site.pages.get(f"{path}?{query}") if query else None
    page = page or site.pages.get(path)
    return (page.status, page) if page is not None else (404, _NOT_FOUND)


class Portal:
    """A running portal; use as a context manager or call `stop()`."""

    def __init__(self, server: _PortalServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """(method, absolute URL, status) of every request answered so far."""
        return self._server.requests

    @property
    def most_in_flight(self) -> Counter[str]:
        """The most requests of each host that were being answered at the same moment."""
        return self._server.most_in_flight

    @property
    def arrivals(self) -> list[Arrival]:
        """Every request as it arrived, before any injected latency."""
        return self._server.arrivals

    def set_variant(self, variant: str) -> None:
        """Serve the sites as `variant` changes them from now on (see `sites.VARIANTS`)."""
        self._server.sites = build_sites(variant)

    def edit_page(self, url: str, edit: Callable[[bytes], bytes]) -> None:
        """Change one page in place from now on, as a site correcting a published report does:
        new bytes at the same URL, so a new ETag, and Last-Modified now."""
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path or "/"
        site = self._server.sites[host]
        page = site.pages[path]
        body = edit(page.body)
        if body == page.body:
            raise ValueError(f"the edit leaves {url} as it was")
        now = datetime.now(_CST).replace(tzinfo=None)  # fixture dates are naive CST
        edited = dataclasses.replace(page, body=body, last_modified=now)
        pages = {**site.pages, path: edited}
        self._server.sites = {**self._server.sites, host: dataclasses.replace(site, pages=pages)}

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Portal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_portal(
    port: int = 0,
    sites: dict[str, Site] | None = None,
    latency: tuple[float, float] = (0.0, 0.0),
) -> Portal:
    """Serve `sites` (all of `sites.py` by default) on 127.0.0.1:`port` (0 picks a free port)
    in a background thread, each response held back a uniform `latency` (min, max seconds)."""
    return Portal(_PortalServer(port, build_sites() if sites is None else sites, latency))
