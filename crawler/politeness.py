"""Per-host politeness shared by every crawler process of a run: a host has at most one request
in flight across all processes, and the next one leaves DOWNLOAD_DELAY after the previous
answer came back. A request leases its host in Redis before it leaves and gives the lease back
with its response; both steps are atomic scripts on Redis's clock, so processes on several
machines agree on it.

Measuring the delay from the previous answer rather than from a booked departure makes the
spacing hold whatever happens between a process's decision and the wire (a stalled reactor, a
slow proxy): the earlier request has reached the server before its answer came back, and the
next one cannot leave until a delay after that."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from urllib.parse import urlsplit

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

# KEYS[1] the host's lease, KEYS[2] the moment (ms, Redis time) the host is free again;
# ARGV[1] the taker's heartbeat key, ARGV[2] the lease's life in ms, ARGV[3] the delay in ms.
# Returns how many ms to wait before asking again, or 0 when the lease is taken. A lease whose
# holder's heartbeat has expired belongs to a dead process and is taken over.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] and redis.call('EXISTS', holder) == 1 then
  return tonumber(ARGV[3])
end
local free = tonumber(redis.call('GET', KEYS[2]))
if free and free > now_ms then return free - now_ms end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0
"""

# KEYS and ARGV[1] as above, ARGV[2] the delay in ms. The host is free a delay from now (never
# earlier than another process already set it).
_RELEASE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local free = now_ms + tonumber(ARGV[2])
local earlier = tonumber(redis.call('GET', KEYS[2]))
if earlier and earlier > free then free = earlier end
redis.call('SET', KEYS[2], free, 'PX', free - now_ms + 1000)
return free
"""

logger = logging.getLogger(__name__)

# Settings the shared frontier sets: the delay each host gets across processes, the key prefix
# its leases live under, and this process's heartbeat key (a lease names its holder by it).
HOST_DELAY_SETTING = "NIANBAO_HOST_DELAY"
HOST_KEYS_SETTING = "NIANBAO_HOST_KEY_PREFIX"
HOLDER_SETTING = "NIANBAO_HOST_LEASE_HOLDER"


class HostLeaseMiddleware:
    """A downloader middleware (after the fetch guard, so refused requests lease nothing). In
    one process, requests to a host also wait for each other on a local lock, so they ask
    Redis one at a time. A lease lives as long as a download may take; a process that dies
    holding one frees it when its heartbeat expires."""

    def __init__(self, server: Redis, key_prefix: str, holder: str, delay: float, timeout: float):
        self.server = server
        self.key_prefix = key_prefix
        self.holder = holder
        self.delay_ms = round(delay * 1000)
        self.lease_ms = round((timeout + delay) * 1000)
        self.acquire = server.register_script(_ACQUIRE)
        self.release = server.register_script(_RELEASE)
        self.host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostLeaseMiddleware:
        settings = crawler.settings
        url, prefix = settings.get("REDIS_URL"), settings.get(HOST_KEYS_SETTING)
        if not url or not prefix:
            raise NotConfigured("no shared frontier")
        return cls(
            Redis.from_url(url),
            prefix,
            settings.get(HOLDER_SETTING),
            settings.getfloat(HOST_DELAY_SETTING),
            settings.getfloat("DOWNLOAD_TIMEOUT"),
        )

    def _keys(self, host: str) -> list[str]:
        return [f"{self.key_prefix}{host}:lease", f"{self.key_prefix}{host}:free"]

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        await self.host_locks[host].acquire()
        request.meta["host_lease"] = host
        args: list[str | int] = [self.holder, self.lease_ms, self.delay_ms]
        while wait_ms := int(self.acquire(keys=self._keys(host), args=args)):
            await asyncio.sleep(wait_ms / 1000)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        host = request.meta.pop("host_lease", None)
        if host is None:
            return
        self.release(keys=self._keys(host), args=[self.holder, self.delay_ms])
        if self.host_locks[host].locked():
            self.host_locks[host].release()
