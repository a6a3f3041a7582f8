"""Hostile sites for the fetch guard's crawls: a county portal whose report pages link,
redirect and refresh to loopback, link-local, private and foreign hosts.

They are served by `FakeWeb`, a loopback server of their own that answers as an HTTP proxy
(absolute URIs) and as an origin server (Host header), always from the replies given to it:
like the test portal it never forwards anything. A second `FakeWeb` stands for a secret on
loopback and only counts what reaches it.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from tests.fixtures.attachments.documents import build_text_pdf
from tests.portal.fixtures import anzhou_2022_body, kmdc_2018_body
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.site import Article, Column, SiteInfo

PDF = "application/pdf"
# What a breach would leak into the archive: served by the secret server, the cloud metadata
# address and the foreign hosts, never by the portal's own pages.
SECRET_TEXT = "机密：内部网络配置清单，仅限内网使用"
SECRET_PDF = build_text_pdf([SECRET_TEXT])
WHEN = datetime(2024, 3, 20, 10, 0)


@dataclasses.dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def redirect(url: str) -> Reply:
    return Reply(302, b"", "text/html", url)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, replies: dict[str, Reply], default: Reply) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies = replies
        self.default = default
        self.requests: list[str] = []
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-response are normal in crawls."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Requests are kept in `FakeWeb.requests`."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = parts.hostname if parts.scheme else self.headers.get("Host", "").rsplit(":", 1)[0]
        key = f"{(host or '').lower()}{parts.path or '/'}" + (
            f"?{parts.query}" if parts.query else ""
        )
        with self.server.lock:
            self.server.requests.append(key)
        reply = self.server.replies.get(key, self.server.default)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.location is not None:
            self.send_header("Location", reply.location)
        self.end_headers()
        self.wfile.write(reply.body)


class FakeWeb:
    """Replies keyed by host + path (+ ?query), port ignored; unknown keys get `default`."""

    def __init__(self, replies: dict[str, Reply], default: Reply | None = None) -> None:
        self._server = _Server(replies, default or Reply(404, b"not found\n", "text/plain"))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[str]:
        """host + path of every request answered so far."""
        return self._server.requests

    def set_replies(self, replies: dict[str, Reply]) -> None:
        self._server.replies = replies

    def __enter__(self) -> FakeWeb:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def secret_server() -> FakeWeb:
    """A loopback service the crawler must never reach: every path serves the secret."""
    return FakeWeb({}, Reply(200, SECRET_PDF, PDF))


def introduction(title: str) -> tuple[str, ...]:
    return (f"现将《{title}》予以公开，详见附件。",)


def report(doc_id: int, county: str) -> Article:
    title = f"{county}2023年法治政府建设年度报告"
    return Article(doc_id, title, WHEN, f"{county}司法局", introduction(title))


def site_replies(host: str, name: str, articles: tuple[Article, ...]) -> dict[str, Reply]:
    """A generic-CMS county portal at `host`, its reports in one column."""
    info = SiteInfo(host, name, f"{name}办公室", "5399990001", "滇ICP备0000001号")
    site = build_generic_site(info, (Column("fzzf", "法治政府建设", articles),), GenericStyle())
    return {
        f"{host}{path}": Reply(200, page.body, page.content_type)
        for path, page in site.pages.items()
    }


def article_key(host: str, doc_id: int) -> str:
    return f"{host}/fzzf/content_{doc_id}.html"


def with_links(reply: Reply, links: list[tuple[str, str]]) -> Reply:
    """The page with each (href, text) link added at the end of its body."""
    html = "".join(f'<p><a href="{escape(href)}">{escape(text)}</a></p>' for href, text in links)
    return dataclasses.replace(
        reply, body=reply.body.replace(b"</body>", html.encode() + b"</body>", 1)
    )


def with_meta_refresh(reply: Reply, url: str) -> Reply:
    tag = f'<meta http-equiv="refresh" content="0; url={escape(url)}">'.encode()
    return dataclasses.replace(reply, body=reply.body.replace(b"<head>", b"<head>" + tag, 1))


def foreign_report() -> Reply:
    """A report-like page on a foreign host: a breach would archive it as a report."""
    title = "外站县2023年法治政府建设年度报告"
    body = "".join(f"<p>{escape(p)}</p>" for p in (SECRET_TEXT, *kmdc_2018_body()))
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    return Reply(200, html.encode())


# --- The portal reached through a proxy (the production setup behind a corporate proxy) ---

HOST = "www.hostile.gov.cn"
FOREIGN = "www.evil.example"
FILES = "files.cdn.example"  # a foreign file host a report page links: allowed for that file
METADATA = "169.254.169.254"
LOOPBACK_ATTACHMENTS = report(1, "安宁县")
REDIRECT_TO_LOOPBACK = report(2, "富民县")
REDIRECT_TO_METADATA = report(3, "宜良县")
REDIRECT_TO_FOREIGN = report(4, "嵩明县")
REFRESH_TO_LOOPBACK = report(5, "禄劝县")
FOREIGN_ATTACHMENTS = report(6, "寻甸县")
# Scrapy's redirects stay on http(s), but an attachment link may say file://, which
# Scrapy's own download handler reads from the local disk.
LOCAL_FILE_ATTACHMENT = report(11, "晋宁区")
# The report text the foreign file host serves for FOREIGN_ATTACHMENTS.
FILE_TEXT = anzhou_2022_body()


# Spellings of loopback a page may use; the crawl's `no_proxy` lists them so that, but for
# the guard, each would reach the secret server directly.
LOOPBACK_SPELLINGS = ("127.0.0.1", "localhost", "2130706433", "127.1", "::ffff:127.0.0.1")


def secret_links(secret_port: int) -> list[tuple[str, str]]:
    """One attachment link per loopback spelling, each a file kind the pipeline reads."""
    suffixes = ("pdf", "docx", "doc", "ofd", "pdf")
    hosts = [f"[{h}]" if ":" in h else h for h in LOOPBACK_SPELLINGS]
    return [
        (f"http://{host}:{secret_port}/secret.{suffix}", f"附件{number}")
        for number, (host, suffix) in enumerate(zip(hosts, suffixes, strict=True), start=1)
    ]


def proxied_replies(secret_port: int, secret_file: str) -> dict[str, Reply]:
    secret = f"http://127.0.0.1:{secret_port}"
    replies = site_replies(
        HOST,
        "敌意测试县人民政府",
        (
            LOOPBACK_ATTACHMENTS,
            REDIRECT_TO_LOOPBACK,
            REDIRECT_TO_METADATA,
            REDIRECT_TO_FOREIGN,
            REFRESH_TO_LOOPBACK,
            FOREIGN_ATTACHMENTS,
            LOCAL_FILE_ATTACHMENT,
        ),
    )
    key = article_key(HOST, LOCAL_FILE_ATTACHMENT.doc_id)
    replies[key] = with_links(replies[key], [(f"file://{secret_file}", "附件1")])
    key = article_key(HOST, LOOPBACK_ATTACHMENTS.doc_id)
    replies[key] = with_links(replies[key], secret_links(secret_port))
    replies[article_key(HOST, REDIRECT_TO_LOOPBACK.doc_id)] = redirect(f"{secret}/report.html")
    replies[article_key(HOST, REDIRECT_TO_METADATA.doc_id)] = redirect(
        f"http://{METADATA}/latest/meta-data/"
    )
    replies[article_key(HOST, REDIRECT_TO_FOREIGN.doc_id)] = redirect(
        f"http://{FOREIGN}/report.html"
    )
    key = article_key(HOST, REFRESH_TO_LOOPBACK.doc_id)
    replies[key] = with_meta_refresh(replies[key], f"{secret}/refresh.html")
    key = article_key(HOST, FOREIGN_ATTACHMENTS.doc_id)
    files = [(f"http://{FILES}/report.pdf", "附件1"), (f"http://{FILES}/moved.pdf", "附件2")]
    replies[key] = with_links(replies[key], files)
    # What the proxy would hand over if the guard let the request through.
    replies[f"{FILES}/report.pdf"] = Reply(200, build_text_pdf(list(FILE_TEXT)), PDF)
    replies[f"{FILES}/moved.pdf"] = redirect(f"http://{FOREIGN}/stolen.pdf")
    replies[f"{FOREIGN}/report.html"] = foreign_report()
    replies[f"{FOREIGN}/stolen.pdf"] = Reply(200, SECRET_PDF, PDF)
    replies[f"{METADATA}/latest/meta-data/"] = Reply(200, SECRET_TEXT.encode(), "text/plain")
    return replies


# --- The portal fetched directly, its names answered by a fake resolver ---

DIRECT_HOST = "www.direct.gov.cn"
# Registry subdomains whose names resolve to internal addresses (see `fake_dns`).
INTRANET = "intranet.direct.gov.cn"
METADATA_NAME = "metadata.direct.gov.cn"
FILES_NAME = "files.direct.gov.cn"
FAKE_DNS = {
    DIRECT_HOST: "127.0.0.1",
    INTRANET: "10.0.0.5",
    METADATA_NAME: "169.254.169.254",
    FILES_NAME: "100.64.0.7",
}
DIRECT_REPORT = Article(
    7, "晋宁区2018年度法治政府建设情况报告", WHEN, "晋宁区司法局", kmdc_2018_body()
)
REDIRECT_TO_METADATA_NAME = report(8, "石林县")
INTERNAL_ATTACHMENT = report(9, "安州区")
INTRANET_REPORT = report(10, "呈贡区")  # linked on the homepage, served by the intranet host


def direct_replies(port: int) -> dict[str, Reply]:
    replies = site_replies(
        DIRECT_HOST,
        "直连测试县人民政府",
        (DIRECT_REPORT, REDIRECT_TO_METADATA_NAME, INTERNAL_ATTACHMENT),
    )
    home = f"{DIRECT_HOST}/"
    intranet_url = f"http://{INTRANET}:{port}/fzzf/content_{INTRANET_REPORT.doc_id}.html"
    replies[home] = with_links(replies[home], [(intranet_url, INTRANET_REPORT.title)])
    replies[article_key(DIRECT_HOST, REDIRECT_TO_METADATA_NAME.doc_id)] = redirect(
        f"http://{METADATA_NAME}:{port}/latest/meta-data/"
    )
    key = article_key(DIRECT_HOST, INTERNAL_ATTACHMENT.doc_id)
    replies[key] = with_links(replies[key], [(f"http://{FILES_NAME}:{port}/report.pdf", "附件1")])
    return replies
