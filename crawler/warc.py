"""Raw captures: every response as served (and its request) written to gzipped WARC files,
and its capture row written right after, through the crawl's archive context.

A downloader middleware that sits next to the downloader, so it sees bodies before
decompression and redirects before they are followed: every fetch is a capture, redirects
and retried answers included. The capture's digest is of the bytes as served (what the WARC
record holds); the middleware leaves it in `request.meta[CAPTURE_DIGEST_META]` for discovery
to compare with the last run's. A WARC or database write that fails is a storage failure:
the request fails with CaptureNotKept, and its page becomes a failure row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import socket
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Request, Response, TextResponse
from sqlalchemy.exc import SQLAlchemyError
from w3lib.encoding import http_content_type_encoding
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.crawl_state import KeptBody
from archive.db import DEFAULT_DB_PATH, resolve_db_url
from archive.store import CaptureRecord
from crawler.archive_context import ArchiveContext, archive_context
from crawler.responses import header_text

# Request meta key: the digest of the response as served, as its capture row has it.
CAPTURE_DIGEST_META = "capture_digest"
# Request meta key, on a conditional request: the kept capture (KeptBody) its validators stand
# for. A 304 to it is written as a revisit record that refers to that capture's record.
REVISIT_OF_META = "revisit_of"
# WARC 1.0's profile of a revisit record for a server's "not modified" answer.
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.0/revisit/server-not-modified"

# Credentials for a proxy must never end up in an archive that others will read.
PRIVATE_REQUEST_HEADERS = frozenset({b"proxy-authorization", b"authorization", b"cookie"})


@dataclass(frozen=True)
class WarcPointer:
    """Where one response record is: file name (relative to the WARC folder), id, offset."""

    warc_file: str
    record_id: str
    offset: int


def _header_pairs(
    headers: Headers, private: frozenset[bytes] = frozenset()
) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.lower() not in private
        for value in values
    ]


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class WarcFiles:
    """Appends request/response pairs to WARC files in one folder, starting a new file
    when the current one passes `max_bytes`. Files are never reopened: a run that was
    killed leaves at most a truncated last record that no capture row points to."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.sequence = 0
        self.stream: BinaryIO | None = None
        self.name = ""
        self.writer: WARCWriter | None = None

    def _open_next(self) -> WARCWriter:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        self.name = f"nianbao-{stamp}-{os.getpid()}-{self.sequence:05d}.warc.gz"
        self.sequence += 1
        self.stream = open(self.folder / self.name, "xb")  # noqa: SIM115 (kept open: appended to)
        self.writer = WARCWriter(self.stream, gzip=True)
        info = {"software": "nianbao", "hostname": socket.gethostname(), "format": "WARC 1.0"}
        self.writer.write_record(self.writer.create_warcinfo_record(self.name, info))
        return self.writer

    def _current(self) -> tuple[WARCWriter, BinaryIO]:
        if self.writer is None or self.stream is None or self.stream.tell() > self.max_bytes:
            self._open_next()
        assert self.writer is not None and self.stream is not None
        return self.writer, self.stream

    def write(
        self, request: Request, response: Response, revisit_of: KeptBody | None = None
    ) -> WarcPointer:
        """The response and its request; a 304 to a request made with the validators of a
        kept capture (`revisit_of`) as a revisit record referring to that capture."""
        writer, stream = self._current()
        http_headers = StatusAndHeaders(
            _status_line(response.status),
            _header_pairs(response.headers),
            protocol=response.protocol or "HTTP/1.1",
        )
        if response.status == 304 and revisit_of is not None:
            record = writer.create_warc_record(
                response.url,
                "revisit",
                http_headers=http_headers,
                warc_headers_dict=_refers_to(response.url, revisit_of),
            )
        else:
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=io.BytesIO(response.body),
                http_headers=http_headers,
            )
        offset = stream.tell()
        writer.write_record(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        writer.write_record(self._request_record(writer, request, response.url, record_id))
        # The capture row that will point here is committed after this returns: the bytes
        # must reach the disk first.
        stream.flush()
        os.fsync(stream.fileno())
        return WarcPointer(self.name, record_id, offset)

    @staticmethod
    def _request_record(writer: WARCWriter, request: Request, url: str, response_id: str) -> object:
        target = request.url.split("/", 3)[3] if request.url.count("/") >= 3 else ""
        http_headers = StatusAndHeaders(
            f"{request.method} /{target}",
            _header_pairs(request.headers, PRIVATE_REQUEST_HEADERS),
            protocol="HTTP/1.1",
            is_http_request=True,
        )
        record = writer.create_warc_record(
            url, "request", payload=io.BytesIO(request.body), http_headers=http_headers
        )
        record.rec_headers.add_header("WARC-Concurrent-To", response_id)
        return record

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.stream, self.writer = None, None


def warc_folder(configured: str, db_url: str | None) -> Path:
    """NIANBAO_WARC_DIR, else a `warc` folder next to the SQLite file (or ./data/warc)."""
    if configured:
        return Path(configured)
    url = resolve_db_url(db_url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///")).parent / "warc"
    return DEFAULT_DB_PATH.parent / "warc"


class CaptureNotKept(Exception):
    """The response could not be kept (WARC record or capture row): its page is a failure
    row, and the run's storage failed."""


def capture_digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _refers_to(url: str, kept: KeptBody) -> dict[str, str]:
    headers = {
        "WARC-Profile": SERVER_NOT_MODIFIED,
        "WARC-Refers-To": kept.record_id,
        "WARC-Refers-To-Target-URI": url,
    }
    if kept.fetched_at is not None:
        stamp = (
            kept.fetched_at.replace(tzinfo=dt.UTC)
            if kept.fetched_at.tzinfo is None
            else kept.fetched_at
        )
        headers["WARC-Refers-To-Date"] = stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return headers


def capture_record(response: Response, warc: WarcPointer | None) -> CaptureRecord:
    content_type = header_text(response, "Content-Type")
    # The body is still content-encoded here: only the header can name its charset then.
    encoded = response.headers.get("Content-Encoding") is not None
    charset = (
        response.encoding
        if isinstance(response, TextResponse) and not encoded
        else http_content_type_encoding(content_type)
        if content_type
        else None
    )
    return CaptureRecord(
        url=response.url,
        status=response.status,
        content_type=content_type,
        charset=charset,
        size=len(response.body),
        digest=capture_digest(response.body),
        etag=header_text(response, "ETag"),
        last_modified=header_text(response, "Last-Modified"),
        warc_file=warc.warc_file if warc else None,
        warc_record_id=warc.record_id if warc else None,
        warc_offset=warc.offset if warc else None,
    )


class WarcCaptureMiddleware:
    """Writes every response to the WARC folder (unless NIANBAO_WARC_ENABLED is off), then
    its capture row."""

    def __init__(self, context: ArchiveContext, files: WarcFiles | None) -> None:
        self.context = context
        self.files = files

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        files = None
        if settings.getbool("NIANBAO_WARC_ENABLED"):
            folder = warc_folder(settings.get("NIANBAO_WARC_DIR"), settings.get("NIANBAO_DB_URL"))
            files = WarcFiles(folder, settings.getint("NIANBAO_WARC_MAX_BYTES"))
        middleware = cls(archive_context(crawler), files)
        crawler.signals.connect(middleware.close_spider, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            revisit_of = request.meta.get(REVISIT_OF_META)
            warc = (
                self.files.write(request, response, revisit_of) if self.files is not None else None
            )
        except OSError as error:
            self.context.note_storage_failure(f"WARC record of {response.url}", error)
            raise CaptureNotKept(
                f"disk full or unwritable: {type(error).__name__}: {error}"
            ) from error
        capture = capture_record(response, warc)
        try:
            self.context.record_capture(capture)
        except (SQLAlchemyError, OSError) as error:
            self.context.note_storage_failure(f"capture of {response.url}", error)
            raise CaptureNotKept(f"capture not stored: {type(error).__name__}: {error}") from error
        request.meta[CAPTURE_DIGEST_META] = capture.digest
        return response

    def close_spider(self) -> None:
        if self.files is not None:
            self.files.close()
