"""Per-host politeness shared by every crawler process of a run: before a request leaves, it
reserves its host's next free moment in Redis (one atomic script), so a host sees at most one
request per DOWNLOAD_DELAY however many processes crawl it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from urllib.parse import urlsplit

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

# KEYS[1]: the host's key; ARGV[1]: spacing in ms. The host's next free moment moves on by one
# spacing from max(now, previous reservation); the answer is how long this request must wait.
# Redis's clock, not ours: processes on several machines agree on it.
_RESERVE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local spacing = tonumber(ARGV[1])
local start = now_ms
local reserved = tonumber(redis.call('GET', KEYS[1]))
if reserved and reserved > start then start = reserved end
redis.call('SET', KEYS[1], start + spacing, 'PX', start - now_ms + 2 * spacing)
return start - now_ms
"""

logger = logging.getLogger(__name__)

# Settings the shared frontier sets: the delay each host gets across processes, and the key
# prefix its reservations live under.
HOST_DELAY_SETTING = "NIANBAO_HOST_DELAY"
HOST_KEYS_SETTING = "NIANBAO_HOST_KEY_PREFIX"


class HostSlotMiddleware:
    """A downloader middleware (after the fetch guard, so refused requests reserve nothing).
    In one process a host has one request between reservation and response at a time, so a
    reservation is never taken while the previous one is still being answered. Slots are
    DOWNLOAD_DELAY plus NIANBAO_HOST_SLOT_MARGIN apart; a request that wakes past its slot by
    more than half the margin takes a new one, so it never leaves just before the next
    slot's request."""

    def __init__(self, server: Redis, key_prefix: str, delay: float, margin: float) -> None:
        self.server = server
        self.key_prefix = key_prefix
        self.spacing_ms = round((delay + margin) * 1000)
        # Half the margin for waking late, half for the way from here onto the wire.
        self.lateness_allowed = margin / 2
        self.reserve = server.register_script(_RESERVE)
        self.host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostSlotMiddleware:
        settings = crawler.settings
        url, prefix = settings.get("REDIS_URL"), settings.get(HOST_KEYS_SETTING)
        if not url or not prefix:
            raise NotConfigured("no shared frontier")
        delay = settings.getfloat(HOST_DELAY_SETTING)
        margin = settings.getfloat("NIANBAO_HOST_SLOT_MARGIN")
        return cls(Redis.from_url(url), prefix, delay, margin)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        await self.host_locks[host].acquire()
        request.meta["host_slot"] = host
        while not await self._wait_for_slot(host):
            logger.debug("woke too late for a slot of %s; reserving again", host)

    async def _wait_for_slot(self, host: str) -> bool:
        """Reserve the host's next slot and sleep until it; False when the process woke so
        late (a stalled reactor) that a later reservation may be due about now."""
        wait_ms = int(self.reserve(keys=[f"{self.key_prefix}{host}"], args=[self.spacing_ms]))
        due = time.monotonic() + wait_ms / 1000
        if wait_ms > 0:
            await asyncio.sleep(wait_ms / 1000)
        return time.monotonic() - due <= self.lateness_allowed

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        host = request.meta.pop("host_slot", None)
        if host is not None and self.host_locks[host].locked():
            self.host_locks[host].release()
