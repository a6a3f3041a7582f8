"""The `request_done` signal: sent when a request leads to nothing more — its response's
callback (or the errback of an HTTP error) has yielded everything, so what it leads to is
scheduled; or a middleware dropped it (robots.txt, offsite). Until then its portal is not
done. Two middlewares send it; the archive context counts portals completed by it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

request_done = object()


class ResponseProcessedMiddleware:
    """A spider middleware, outermost, that sends `request_done` when the output of a
    response's callback is used up (even when the callback raised)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseProcessedMiddleware:
        return cls(crawler)

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any]
    ) -> Iterator[Any]:
        try:
            yield from result
        finally:
            self._processed(response)

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        try:
            async for output in result:
                yield output
        finally:
            self._processed(response)

    def _processed(self, response: Response | None) -> None:
        if response is not None and response.request is not None:  # None: start()'s output
            self.crawler.signals.send_catch_log(request_done, request=response.request)


class IgnoredRequestMiddleware:
    """A downloader middleware that sends `request_done` for a request another middleware
    dropped with IgnoreRequest (robots.txt forbids it): no response, no failure item."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IgnoredRequestMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            self.crawler.signals.send_catch_log(request_done, request=request)
