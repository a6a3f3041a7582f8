"""Raw captures as WARC: every response as served (and its request) appended to gzipped WARC
files, a 304 to a conditional request as a revisit record of the capture it confirms. The
capture rows that point into these files are crawler.captures' business."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO

from scrapy.http import Headers, Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.crawl_state import KeptBody
from archive.db import DEFAULT_DB_PATH, resolve_db_url

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
            if self.stream is not None:
                self.sync()  # the full file's last records may not be on disk yet
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
        return WarcPointer(self.name, record_id, offset)

    def sync(self) -> None:
        """Puts what was written on disk: the capture rows that point here are committed only
        after this returns."""
        if self.stream is not None:
            self.stream.flush()
            os.fsync(self.stream.fileno())

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
