"""One readable line per failed fetch: the host and the HTTP status or the error's class,
never a traceback (dead hosts, refusals and timeouts are what a registry crawl expects)."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


def error_kind(error: BaseException | None) -> str:
    """`HTTP 404` for an HTTP error, else the exception's class (DownloadTimeoutError, …)."""
    if error is None:
        return "unknown error"
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    return type(error).__name__


def describe_fetch_failure(url: str, failure: Failure) -> str:
    """`www.x.gov.cn: HTTP 500 (http://…)`; the exception's message only when it adds to it."""
    error = failure.value
    kind = error_kind(error)
    detail = "" if isinstance(error, HttpError) else failure.getErrorMessage().strip()
    host = urlsplit(url).hostname or url
    return f"{host}: {kind}{': ' + detail if detail else ''} ({url})"
