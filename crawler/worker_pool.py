"""Worker processes for the parsing that can cost (HTML extraction, attachment reading), so the
reactor thread only schedules: each document is parsed in a process of its own, with a time
limit and a memory cap, so a hostile document delays only itself and a runaway is killed."""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.extraction.attachments import AttachmentText, extract_attachment_text
from crawler.extraction.page import ExtractedPage, extract_page
from crawler.file_kinds import IMAGE_KINDS

T = TypeVar("T")
# The kinds of file that may be a scan, read by OCR.
SCAN_KINDS = frozenset({*IMAGE_KINDS, "pdf"})
# Processes fork from a server that has imported this module (and so the parsers) once: a
# document's process costs ~30 ms and never inherits the crawler's threads or connections.
PRELOADED_MODULES = ["crawler.worker_pool"]


class ParsingFailure(Exception):
    """A document not parsed for its cost: past a size cap, out of time, or its worker died."""


@dataclass(frozen=True)
class PoolLimits:
    workers: int
    timeout_seconds: float
    ocr_timeout_seconds: float
    memory_bytes: int
    ocr_memory_bytes: int
    max_html_bytes: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PoolLimits:
        return cls(
            workers=settings.getint("NIANBAO_PARSE_WORKERS"),
            timeout_seconds=settings.getfloat("NIANBAO_PARSE_TIMEOUT"),
            ocr_timeout_seconds=settings.getfloat("NIANBAO_OCR_TIMEOUT"),
            memory_bytes=settings.getint("NIANBAO_PARSE_MEMORY_MB") * 1024 * 1024,
            ocr_memory_bytes=settings.getint("NIANBAO_OCR_MEMORY_MB") * 1024 * 1024,
            max_html_bytes=settings.getint("NIANBAO_MAX_HTML_BYTES"),
        )


class ParsingPool:
    """A crawl's parsing processes, at most `workers` at a time (a Scrapy extension: one per
    crawl, those still running killed when it closes); the pipelines await their results.
    A process per document, not long-lived workers: nothing a hostile file did to one (memory
    it grew, a half-written pipe) can outlive its document."""

    def __init__(self, limits: PoolLimits) -> None:
        self.limits = limits
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOADED_MODULES)
        self._slots = asyncio.Semaphore(limits.workers)
        self._running: set[multiprocessing.process.BaseProcess] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParsingPool:
        pool = cls(PoolLimits.from_settings(crawler.settings))
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    def close(self) -> None:
        """Stop the workers still running: the crawl is over."""
        for process in list(self._running):
            process.kill()
            process.join()

    async def extract_page(
        self, body: bytes, url: str, *, declared_charset: str | None, last_modified: str | None
    ) -> ExtractedPage:
        if len(body) > self.limits.max_html_bytes:
            raise ParsingFailure(
                f"page of {len(body)} bytes is past the {self.limits.max_html_bytes}-byte"
                " extraction cap (NIANBAO_MAX_HTML_BYTES)"
            )
        return await self.call(
            extract_page, body, url, declared_charset=declared_charset, last_modified=last_modified
        )

    async def read_attachment(self, body: bytes, kind: str, ocr_max_pages: int) -> AttachmentText:
        """A file's text, read under the usual limits. A PDF without a text layer or an image is
        a scan: it is then OCR'd in a second worker, at seconds a page by models that map
        ~1.8 GB of address space, under the OCR limits."""
        result = await self.call(extract_attachment_text, body, kind, 0)
        if not result.needs_ocr or ocr_max_pages <= 0 or kind not in SCAN_KINDS:
            return result
        return await self.call(
            extract_attachment_text,
            body,
            kind,
            ocr_max_pages,
            timeout=max(self.limits.timeout_seconds, self.limits.ocr_timeout_seconds),
            memory_bytes=max(self.limits.memory_bytes, self.limits.ocr_memory_bytes),
        )

    async def call(
        self,
        function: Callable[..., T],
        *args: object,
        timeout: float | None = None,
        memory_bytes: int | None = None,
        **kwargs: object,
    ) -> T:
        """function(*args, **kwargs) in a worker; its own exceptions come back as raised."""
        timeout = timeout or self.limits.timeout_seconds
        memory_bytes = memory_bytes or self.limits.memory_bytes
        async with self._slots:
            receiver, sender = self._context.Pipe(duplex=False)
            process = self._context.Process(
                target=run_in_worker,
                args=(sender, memory_bytes, function, args, kwargs),
                daemon=True,
            )
            process.start()
            sender.close()  # the worker holds the only writing end: its death ends the pipe
            self._running.add(process)
            try:
                outcome = await asyncio.wait_for(asyncio.to_thread(receive, receiver), timeout)
            except TimeoutError as error:
                raise ParsingFailure(
                    f"parsing took more than {timeout:g} s"
                    " (NIANBAO_PARSE_TIMEOUT, NIANBAO_OCR_TIMEOUT); its worker was stopped"
                ) from error
            finally:
                process.kill()  # a no-op for a worker that has finished
                await asyncio.to_thread(process.join)
                self._running.discard(process)
                receiver.close()
        result: T = unwrap(outcome, process.exitcode, memory_bytes)
        return result


def unwrap(outcome: tuple[bool, Any] | None, exitcode: int | None, memory_bytes: int) -> Any:
    """The worker's result, or its exception raised here; a typed failure when it died."""
    if outcome is None:
        raise ParsingFailure(f"the parsing worker died (exit code {exitcode})")
    succeeded, value = outcome
    if succeeded:
        return value
    if isinstance(value, MemoryError):
        raise ParsingFailure(
            f"parsing needed more than the worker's {memory_bytes // 2**20} MB"
            " (NIANBAO_PARSE_MEMORY_MB)"
        ) from value
    raise value


def receive(receiver: Connection) -> tuple[bool, Any] | None:
    """What the worker sent, or None when it died first (its end of the pipe closed)."""
    try:
        return receiver.recv()  # type: ignore[no-any-return]
    except EOFError:
        return None


def run_in_worker(
    sender: Connection,
    memory_bytes: int,
    function: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> None:
    """In the worker: cap the address space (past it an allocation raises MemoryError here,
    not in the crawler), run, send back (True, result) or (False, exception)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome: tuple[bool, object] = (True, function(*args, **kwargs))
    except Exception as error:  # sent back for the caller to raise
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception:  # lxml's exceptions carry an error log that does not pickle
        value = outcome[1]
        sender.send((False, RuntimeError(f"{type(value).__name__}: {value}")))


def parsing_pool(crawler: Crawler) -> ParsingPool:
    """The crawl's pool, for the pipelines that await it."""
    pool = crawler.get_extension(ParsingPool)
    if pool is None:
        raise RuntimeError(
            "the parsing pipelines need crawler.worker_pool.ParsingPool in EXTENSIONS"
        )
    return pool
