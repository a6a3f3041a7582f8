"""The shared frontier: with NIANBAO_REDIS_URL set, every `scrapy crawl reports` process of a
run takes its requests from one scrapy-redis queue and request-fingerprint set, so any number
of processes on any number of machines share one crawl. Without it nothing changes.

A run's keys live under `<NIANBAO_REDIS_PREFIX>:<NIANBAO_REDIS_RUN>:` (the run defaults to
today's UTC date, so the processes a cron line starts share it). The first process to claim
`seeded` (atomically, in a Redis script) feeds the registry's portals into the queue; the
others take from the queue.
Each process keeps the requests it took in an in-flight hash until their callbacks are done
and a heartbeat key while it lives: a survivor puts the in-flight requests of a process whose
heartbeat expired back into the queue, so killing a process loses no request."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.settings import BaseSettings
from scrapy.utils.reactor import CallLaterOnce
from scrapy_redis import picklecompat
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.archive_context import archive_context
from crawler.politeness import HOLDER_SETTING, HOST_DELAY_SETTING, HOST_KEYS_SETTING
from crawler.request_done import request_done

logger = logging.getLogger(__name__)

REDIS_URL_SETTING = "NIANBAO_REDIS_URL"
# Set per process by the addon: the run's key prefix and this process's own name in it.
RUN_KEYS_SETTING = "NIANBAO_FRONTIER_KEYS"
WORKER_SETTING = "NIANBAO_FRONTIER_WORKER"
INFLIGHT_META = "frontier_inflight"
SEEDED = "done"

# KEYS[1] the run's `seeded` key, KEYS[2] the prefix of heartbeat keys; ARGV[1] this worker.
# The first process claims the seeding; a later one takes it over only from a seeder that died
# before it was done (feeding the same portals twice is harmless: the fingerprints filter them).
_CLAIM_SEEDING = """
local state = redis.call('GET', KEYS[1])
if state then
  if state == 'done' then return 0 end
  local seeder = string.sub(state, 9)
  if redis.call('EXISTS', KEYS[2] .. seeder) == 1 then return 0 end
end
redis.call('SET', KEYS[1], 'seeding' .. ':' .. ARGV[1])
return 1
"""

# KEYS[1] the queue (a scrapy-redis priority zset), KEYS[2] this process's in-flight hash,
# KEYS[3] its heartbeat; ARGV[1] the heartbeat's life in ms. Popping and recording in one
# script: a process killed between the two loses nothing. The heartbeat is renewed with it, so
# a process never holds requests that others would take for a dead process's (a process may
# take requests before its first periodic heartbeat).
_POP_INTO_INFLIGHT = """
local taken = redis.call('ZRANGE', KEYS[1], 0, 0)
if #taken == 0 then return false end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local field = redis.sha1hex(taken[1])
redis.call('HSET', KEYS[2], field, taken[1])
return {field, taken[1]}
"""


def run_keys(prefix: str, run: str = "") -> str:
    """`<prefix>:<run>:`, the key prefix of a run's queue, fingerprints and workers; the run
    defaults to today's UTC date."""
    return f"{prefix}:{run or dt.datetime.now(dt.UTC).strftime('%Y%m%d')}:"


class SharedFrontier:
    """The add-on (ADDONS in settings.py) that turns the shared frontier on when a Redis URL
    is set (the setting or $NIANBAO_REDIS_URL)."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get(REDIS_URL_SETTING) or os.environ.get(REDIS_URL_SETTING, "")
        if not url:
            return
        keys = run_keys(settings.get("NIANBAO_REDIS_PREFIX"), settings.get("NIANBAO_REDIS_RUN"))
        worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        shared = {
            "REDIS_URL": url,
            "SCHEDULER": "crawler.frontier.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,  # a run outlives each of its processes
            "SCHEDULER_QUEUE_KEY": _literal(keys) + "requests",
            "SCHEDULER_DUPEFILTER_KEY": _literal(keys) + "fingerprints",
            RUN_KEYS_SETTING: keys,
            WORKER_SETTING: worker,
            HOST_DELAY_SETTING: settings.getfloat("DOWNLOAD_DELAY"),
            HOST_KEYS_SETTING: f"{settings.get('NIANBAO_REDIS_PREFIX')}:host:",
            HOLDER_SETTING: heartbeat_key(keys, worker),
            # The safety net decides from what one process saw of a portal; a process sees
            # only part of the run, so it would explore portals that others found reports on.
            "NIANBAO_SAFETY_NET_PAGES": 0,
        }
        for name, value in shared.items():
            settings.set(name, value, priority="addon")
        # Politeness moves to Redis (crawler/politeness.py); a process-local delay or
        # AutoThrottle on top would only slow a host down further. Over `-s`.
        for name, value in (("DOWNLOAD_DELAY", 0), ("AUTOTHROTTLE_ENABLED", False)):
            settings.set(name, value, priority=max(settings.getpriority(name) or 0, 40))
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.politeness.HostLeaseMiddleware"] = 770
        # robots.txt read once per run, not once per process (crawler/shared_robots.py).
        robots = settings["DOWNLOADER_MIDDLEWARES"].get("crawler.robots.QuietRobotsTxtMiddleware")
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.robots.QuietRobotsTxtMiddleware"] = None
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.shared_robots.SharedRobotsTxtMiddleware"] = (
            robots
        )
        settings["SPIDER_MIDDLEWARES"]["crawler.frontier.SeedOnceMiddleware"] = 20
        settings["EXTENSIONS"]["crawler.frontier.FrontierWorker"] = 200


def _literal(text: str) -> str:
    """scrapy-redis %-formats its keys with the spider name."""
    return text.replace("%", "%%")


def _server(settings: BaseSettings) -> Redis:
    return Redis.from_url(settings.get("REDIS_URL"))


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler (0.9.1 works on Scrapy 2.19; only its stats calls use an
    argument 2.19 deprecates), with each popped request recorded in this process's in-flight
    hash in the same Redis script."""

    inflight_key = ""
    heartbeat_key = ""
    heartbeat_ms = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        scheduler: SharedScheduler = super().from_crawler(crawler)
        settings = crawler.settings
        keys, worker = settings.get(RUN_KEYS_SETTING), worker_of(settings)
        scheduler.inflight_key = inflight_key(keys, worker)
        scheduler.heartbeat_key = heartbeat_key(keys, worker)
        scheduler.heartbeat_ms = dead_after_ms(settings)
        scheduler.pop_into_inflight = scheduler.server.register_script(_POP_INTO_INFLIGHT)
        return scheduler

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's own, without the `spider` argument Scrapy 2.19 deprecates in stats."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        keys = [self.queue.key, self.inflight_key, self.heartbeat_key]
        taken = self.pop_into_inflight(keys=keys, args=[self.heartbeat_ms])
        if not taken:
            return None
        field, encoded = taken
        request: Request = self.queue._decode_request(encoded)
        request.meta[INFLIGHT_META] = field.decode()
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


def dead_after_ms(settings: BaseSettings) -> int:
    """How long a heartbeat lives: a process silent for longer is taken for dead."""
    return round(settings.getfloat("NIANBAO_FRONTIER_DEAD_AFTER") * 1000)


def worker_of(settings: BaseSettings) -> str:
    return str(settings.get(WORKER_SETTING))


def inflight_key(keys: str, worker: str) -> str:
    return f"{keys}inflight:{worker}"


def heartbeat_key(keys: str, worker: str) -> str:
    return f"{keys}alive:{worker}"


class SeedOnceMiddleware:
    """A spider middleware: the process that claims the run's `seeded` key passes the
    spider's start requests (the registry's portals and earlier runs' failures) on; the
    others drop theirs and work from the queue (a seeder killed half-way is replaced by the
    next process that starts)."""

    def __init__(self, server: Redis, keys: str, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.seeded_key = f"{keys}seeded"
        self.claim = server.register_script(_CLAIM_SEEDING)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnceMiddleware:
        keys = crawler.settings.get(RUN_KEYS_SETTING)
        if not keys:
            raise NotConfigured("no shared frontier")
        return cls(_server(crawler.settings), keys, worker_of(crawler.settings))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        heartbeats = heartbeat_key(self.keys, "")
        if not self.claim(keys=[self.seeded_key, heartbeats], args=[self.worker]):
            logger.info("the run's portals are seeded by another process; taking from the queue")
            return
        async for request in start:
            yield request
        self.server.set(self.seeded_key, SEEDED)


class FrontierWorker:
    """One process's part in the shared run: a heartbeat, the in-flight hash cleared as
    callbacks finish, recovery of dead processes' in-flight requests, and staying open while
    the run has work anywhere (an idle process may get new requests from a busy one)."""

    def __init__(self, crawler: Crawler, server: Redis, keys: str, worker: str) -> None:
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker = worker
        self.inflight_key = inflight_key(keys, worker)
        self.heartbeat_key = heartbeat_key(keys, worker)
        settings = crawler.settings
        self.interval = settings.getfloat("NIANBAO_FRONTIER_HEARTBEAT")
        self.dead_after_ms = dead_after_ms(settings)
        self.beat = LoopingCall(self.heartbeat)
        # Requests whose callback is done but whose items may still be in the pipelines.
        self.finished_fields: list[str] = []
        self.release_soon = CallLaterOnce(self._release_finished)
        self.run_registered = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierWorker:
        settings = crawler.settings
        keys = settings.get(RUN_KEYS_SETTING)
        if not keys:
            raise NotConfigured("no shared frontier")
        worker = cls(crawler, _server(settings), keys, worker_of(settings))
        crawler.signals.connect(worker.opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.done, signal=request_done)
        for item_finished in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(worker.item_finished, signal=item_finished)
        crawler.signals.connect(worker.idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.closed, signal=signals.spider_closed)
        return worker

    def opened(self) -> None:
        self.beat.start(self.interval, now=True)
        logger.info("shared frontier %s: process %s", self.keys, self.worker)

    def heartbeat(self) -> None:
        self.server.set(self.heartbeat_key, "1", px=self.dead_after_ms)
        self._register_run()
        self._release_finished()
        self.recover_dead_workers()

    def _register_run(self) -> None:
        """The union of a run's rows (`python -m crawler.frontier_cli status`): this process's
        run row, once the archive context has started it."""
        context = archive_context(self.crawler)
        if not self.run_registered and context.is_open:
            self.server.sadd(f"{self.keys}runs", context.run_id)
            self.run_registered = True

    def recover_dead_workers(self) -> None:
        """Put back the requests a process took and never finished; the RENAME claims them
        for this process alone."""
        for key in self.server.scan_iter(match=_literal_glob(self.keys) + "inflight:*"):
            worker = key.decode().removeprefix(f"{self.keys}inflight:")
            if worker == self.worker or self.server.exists(heartbeat_key(self.keys, worker)):
                continue
            claimed = f"{self.keys}recovering:{self.worker}"
            try:
                self.server.rename(key, claimed)
            except ResponseError:  # another survivor claimed it first
                continue
            requeued = self._requeue(claimed)
            logger.warning("requeued %d requests of stopped process %s", requeued, worker)

    def _requeue(self, claimed: str) -> int:
        """Move a claimed in-flight hash's requests back into the queue, at the priority
        scrapy-redis gives them (the request's own, negated)."""
        encoded = [bytes(value) for value in self.server.hvals(claimed)]  # type: ignore[arg-type]
        if encoded:
            scores = {e: -int(picklecompat.loads(e).get("priority", 0)) for e in encoded}
            self.server.zadd(f"{self.keys}requests", scores)
        self.server.delete(claimed)
        return len(encoded)

    def done(self, request: Request) -> None:
        if (field := request.meta.get(INFLIGHT_META)) is not None:
            self.finished_fields.append(field)
        self._release_finished()

    def item_finished(self) -> None:
        # Scrapy counts the item out of its pipelines just after this signal: look then.
        self.release_soon.schedule()

    def _release_finished(self) -> None:
        """Take finished requests off the in-flight hash only while no item is in the
        pipelines: a report page still on its way to the archive must be fetched again by
        whoever survives this process."""
        if not self.finished_fields or self._items_in_pipelines():
            return
        self.server.hdel(self.inflight_key, *self.finished_fields)
        self.finished_fields.clear()

    def _items_in_pipelines(self) -> int:
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        return slot.itemproc_size if slot is not None else 0

    def idle(self) -> None:
        """Idle here means nothing of ours is in flight (what the hash still holds are
        requests that redirects or retries replaced); close only when the run is done."""
        self.server.delete(self.inflight_key)
        self.finished_fields.clear()
        self.recover_dead_workers()
        if not self.is_run_done():
            raise DontCloseSpider

    def is_run_done(self) -> bool:
        if self.server.zcard(f"{self.keys}requests") > 0:
            return False
        if self.server.get(f"{self.keys}seeded") != SEEDED.encode():
            return False
        pattern = _literal_glob(self.keys) + "inflight:*"
        return not any(self.server.hlen(key) for key in self.server.scan_iter(match=pattern))

    def closed(self, reason: str) -> None:
        if self.beat.running:
            self.beat.stop()
        if reason == "finished":
            self.server.delete(self.inflight_key)
        # Otherwise (shutdown, an error) the other processes put what is still in flight
        # back into the queue as soon as the heartbeat is gone.
        self.server.delete(self.heartbeat_key)


def _literal_glob(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)
