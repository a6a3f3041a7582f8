"""Worker processes for the parsing that can cost (HTML extraction, attachment reading), so the
reactor thread only schedules: a hostile document spends its own worker's time and memory,
delays only itself, and a worker past its time is killed and replaced."""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pebble
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.extraction.attachments import AttachmentText, extract_attachment_text
from crawler.extraction.page import ExtractedPage, extract_page

T = TypeVar("T")
# Workers fork from a small server process that has imported the parsers once: a replacement
# worker starts in milliseconds and never inherits the crawler's threads or open connections.
PRELOADED_MODULES = ["crawler.extraction.page", "crawler.extraction.attachments"]


class ParsingFailure(Exception):
    """A document not parsed for its cost: past a size cap, out of time, or its worker died."""


@dataclass(frozen=True)
class PoolLimits:
    workers: int
    timeout_seconds: float
    memory_bytes: int
    max_html_bytes: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PoolLimits:
        return cls(
            workers=settings.getint("NIANBAO_PARSE_WORKERS"),
            timeout_seconds=settings.getfloat("NIANBAO_PARSE_TIMEOUT"),
            memory_bytes=settings.getint("NIANBAO_PARSE_MEMORY_MB") * 1024 * 1024,
            max_html_bytes=settings.getint("NIANBAO_MAX_HTML_BYTES"),
        )


class ParsingPool:
    """A crawl's worker processes (a Scrapy extension: one per crawl, stopped when it closes);
    the pipelines await its results."""

    def __init__(self, limits: PoolLimits) -> None:
        self.limits = limits
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOADED_MODULES)
        self._pool = pebble.ProcessPool(
            max_workers=limits.workers,
            initializer=cap_memory,
            initargs=(limits.memory_bytes,),
            context=context,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParsingPool:
        pool = cls(PoolLimits.from_settings(crawler.settings))
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    def close(self) -> None:
        """Stop the workers, a running one included: the crawl is over."""
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join()

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

    async def read_attachment(self, body: bytes, kind: str) -> AttachmentText:
        return await self.call(extract_attachment_text, body, kind)

    async def call(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """function(*args, **kwargs) in a worker; its own exceptions come back as raised."""
        future = self._pool.schedule(
            function, args=args, kwargs=kwargs, timeout=self.limits.timeout_seconds
        )
        try:
            result: T = await asyncio.wrap_future(future)
        except TimeoutError as error:
            raise ParsingFailure(
                f"parsing took more than {self.limits.timeout_seconds:g} s"
                " (NIANBAO_PARSE_TIMEOUT); its worker was stopped"
            ) from error
        except pebble.ProcessExpired as error:
            raise ParsingFailure(f"the parsing worker died (exit code {error.exitcode})") from error
        except MemoryError as error:
            raise ParsingFailure(
                f"parsing needed more than the worker's {self.limits.memory_bytes // 2**20} MB"
                " (NIANBAO_PARSE_MEMORY_MB)"
            ) from error
        return result


def parsing_pool(crawler: Crawler) -> ParsingPool:
    """The crawl's pool, for the pipelines that await it."""
    pool = crawler.get_extension(ParsingPool)
    if pool is None:
        raise RuntimeError(
            "the parsing pipelines need crawler.worker_pool.ParsingPool in EXTENSIONS"
        )
    return pool


def cap_memory(memory_bytes: int) -> None:
    """In each worker: past this address space, allocations fail (MemoryError) instead of the
    machine swapping or the kernel killing the crawler."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
