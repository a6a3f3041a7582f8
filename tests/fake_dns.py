"""Made-up names for a direct-mode crawl, and a tripwire that keeps it on loopback.

`FakeDnsResolver` (TWISTED_DNS_RESOLVER) answers the names in the JSON setting
NIANBAO_TEST_FAKE_DNS and fails every other lookup: no real DNS query is made. `Tripwire`
(a downloader middleware placed last, after the fetch guard) refuses and logs any request
whose host is not on loopback, so that even a broken guard never connects anywhere else.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from crawler.fetch_guard import literal_address

logger = logging.getLogger(__name__)
SETTING = "NIANBAO_TEST_FAKE_DNS"
TRIPWIRE = "TRIPWIRE"


def _table(crawler: Crawler) -> dict[str, str]:
    return {name.lower(): address for name, address in crawler.settings.getdict(SETTING).items()}


@implementer(IResolverSimple)
class FakeDnsResolver:
    def __init__(self, reactor: Any, table: dict[str, str]) -> None:
        self.reactor = reactor
        self.table = table

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> FakeDnsResolver:
        return cls(reactor, _table(crawler))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        if (address := literal_address(name)) is not None:
            return defer.succeed(str(address))
        if name.lower() in self.table:
            return defer.succeed(self.table[name.lower()])
        return defer.fail(DNSLookupError(f"{name}: not in the fake DNS table"))


class Tripwire:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Tripwire:
        return cls(_table(crawler))

    def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        address = literal_address(host) or ipaddress.ip_address(self.table.get(host, "0.0.0.0"))
        if not address.is_loopback:
            logger.error("%s: %s (%s) got past the fetch guard", TRIPWIRE, request.url, address)
            raise IgnoreRequest(f"{TRIPWIRE}: {host} is not on loopback")
