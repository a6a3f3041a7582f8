"""Reading Scrapy responses: header values as text."""

from __future__ import annotations

from scrapy.http import Response


def header_text(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
