"""Raw captures: every response as served (and its request) kept in the WARC files, and its
capture row in the archive, through the crawl's archive context.

A downloader middleware that sits next to the downloader, so it sees bodies before
decompression and redirects before they are followed: every fetch is a capture, redirects and
retried answers included. The capture's digest is of the bytes as served (what the WARC record
holds); the middleware leaves it in `request.meta[CAPTURE_DIGEST_META]` for discovery to
compare with the last run's. A WARC or database write that fails is a storage failure: the
request fails with CaptureNotKept, and its page becomes a failure row.

The writing happens off the reactor, on a thread of its own, a batch at a time. Written on the
reactor, every response cost a gzip of its body, an fsync and a transaction of its own: at
registry scale a quarter of the reactor's time, during which no other portal was served. The
thread takes whatever responses are waiting, appends their records, makes the WARC file
durable once, then commits their rows in one transaction, so that no row points at bytes not
yet on disk. Each response waits for its own outcome before it goes on to the spider.
"""

from __future__ import annotations

import asyncio
import hashlib
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from sqlalchemy.exc import SQLAlchemyError
from w3lib.encoding import http_content_type_encoding

from archive.crawl_state import KeptBody
from archive.store import CaptureRecord
from crawler.archive_context import ArchiveContext, archive_context
from crawler.responses import header_text
from crawler.warc import WarcFiles, WarcPointer, warc_folder

# Request meta key: the digest of the response as served, as its capture row has it.
CAPTURE_DIGEST_META = "capture_digest"
# Request meta key, on a conditional request: the kept capture (KeptBody) its validators stand
# for. A 304 to it is written as a revisit record that refers to that capture's record.
REVISIT_OF_META = "revisit_of"
# Responses kept in one batch at most: bounds the bodies a batch holds.
MOST_PER_BATCH = 64


class CaptureNotKept(Exception):
    """The response could not be kept (WARC record or capture row): its page is a failure
    row, and the run's storage failed. `part` names what failed, `error` why."""

    def __init__(self, part: str, error: BaseException) -> None:
        problem = "disk full or unwritable" if part == "WARC record" else "capture not stored"
        super().__init__(f"{problem}: {type(error).__name__}: {error}")
        self.part = part
        self.error = error
        self.__cause__ = error


def capture_digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


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


@dataclass
class _Waiting:
    request: Request
    response: Response
    revisit_of: KeptBody | None
    outcome: Future[CaptureRecord] = field(default_factory=Future)


class CaptureWriter:
    """The thread that keeps responses: WARC records (unless `files` is None), then rows."""

    def __init__(self, context: ArchiveContext, files: WarcFiles | None) -> None:
        self.context = context
        self.files = files
        self._waiting: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="nianbao-captures", daemon=True)
        self._thread.start()

    async def keep(
        self, request: Request, response: Response, revisit_of: KeptBody | None = None
    ) -> CaptureRecord:
        """The response's capture, once its record is on disk and its row committed; raises
        CaptureNotKept when it could not be kept."""
        waiting = _Waiting(request, response, revisit_of)
        self._waiting.put(waiting)
        return await asyncio.wrap_future(waiting.outcome)

    def close(self) -> None:
        """Keeps what is waiting, then stops the thread."""
        self._waiting.put(None)
        self._thread.join()
        if self.files is not None:
            self.files.close()

    def _run(self) -> None:
        stop = False
        while not stop:
            batch, stop = self._next_batch()
            try:
                self._keep(batch)
            except BaseException as error:  # a bug fails its responses instead of hanging them
                for waiting in batch:
                    if not waiting.outcome.done():
                        waiting.outcome.set_exception(error)

    def _next_batch(self) -> tuple[list[_Waiting], bool]:
        """What is waiting (after blocking for the first), and whether close() was called."""
        batch: list[_Waiting] = []
        waiting = self._waiting.get()
        while waiting is not None:
            batch.append(waiting)
            if len(batch) == MOST_PER_BATCH:
                return batch, False
            try:
                waiting = self._waiting.get_nowait()
            except queue.Empty:
                return batch, False
        return batch, True

    def _keep(self, batch: list[_Waiting]) -> None:
        written: list[tuple[_Waiting, CaptureRecord]] = []
        for waiting in batch:
            if not waiting.outcome.set_running_or_notify_cancel():
                continue  # its request was cancelled while it waited: nothing to keep
            try:
                pointer = (
                    self.files.write(waiting.request, waiting.response, waiting.revisit_of)
                    if self.files is not None
                    else None
                )
            except OSError as error:
                waiting.outcome.set_exception(CaptureNotKept("WARC record", error))
                continue
            written.append((waiting, capture_record(waiting.response, pointer)))
        if not written:
            return
        try:
            if self.files is not None:
                self.files.sync()
        except OSError as error:
            _fail(written, "WARC record", error)
            return
        try:
            self.context.record_captures([capture for _, capture in written])
        except (SQLAlchemyError, OSError) as error:
            _fail(written, "capture", error)
            return
        for waiting, capture in written:
            waiting.outcome.set_result(capture)


def _fail(written: list[tuple[_Waiting, CaptureRecord]], part: str, error: Exception) -> None:
    for waiting, _ in written:
        waiting.outcome.set_exception(CaptureNotKept(part, error))


class CaptureMiddleware:
    """Keeps every response (its WARC record unless NIANBAO_WARC_ENABLED is off, and its
    capture row) before it goes on to the spider."""

    def __init__(self, context: ArchiveContext, files: WarcFiles | None) -> None:
        self.context = context
        self.writer = CaptureWriter(context, files)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMiddleware:
        settings = crawler.settings
        files = None
        if settings.getbool("NIANBAO_WARC_ENABLED"):
            folder = warc_folder(settings.get("NIANBAO_WARC_DIR"), settings.get("NIANBAO_DB_URL"))
            files = WarcFiles(folder, settings.getint("NIANBAO_WARC_MAX_BYTES"))
        middleware = cls(archive_context(crawler), files)
        crawler.signals.connect(middleware.close_spider, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response:
        try:
            capture = await self.writer.keep(request, response, request.meta.get(REVISIT_OF_META))
        except CaptureNotKept as error:
            self.context.note_storage_failure(f"{error.part} of {response.url}", error.error)
            raise
        request.meta[CAPTURE_DIGEST_META] = capture.digest
        return response

    def close_spider(self) -> None:
        self.writer.close()
