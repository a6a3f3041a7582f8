"""The scheduler's priority queue: Scrapy's per-host queue (the idlest host goes next, so many
hosts download in parallel), changed in two ways.

- A request goes to the downloader only when its host may be asked: fewer of the host's
  requests in the downloader than CONCURRENT_REQUESTS_PER_DOMAIN (1), and its DOWNLOAD_DELAY
  (as AutoThrottle has stretched it) run out. Handed
  over earlier, it would sit in the host's downloader slot holding one of the
  CONCURRENT_REQUESTS while requests for ready hosts wait here; over hundreds of hosts, some
  slowed to a delay of many seconds, that and not the hosts' delays would set the pace. When
  no host is ready, the queue answers nothing and wakes the engine when the first one is.
- Among ready hosts the portal due first goes first (the highest request priority, set by the
  spider from the portal order), instead of the host name that sorts first. Without this a run
  cut short would always reach the same alphabetically early hosts, and the rest of the
  registry never."""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.utils.asyncio import CallLaterResult, call_later

# When every host is busy, the queue looks again after this long at the latest (an answer
# usually wakes it sooner).
BUSY_RECHECK = 0.5


class PortalOrderQueue(DownloaderAwarePriorityQueue):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake: CallLaterResult | None = None
        self._wake_due = math.inf
        self._chosen: str | None = None

    def pop(self) -> Request | None:
        if not self.pqueues:
            return None
        slot, wait = self._choose(self._busy_hosts())
        if wait > 0 and self._wake_engine_in(wait):
            return None
        self._chosen = slot  # Scrapy's pop takes it from there (and tidies the slot's queue)
        try:
            return super().pop()
        finally:
            self._chosen = None

    def _busy_hosts(self) -> list[tuple[int, str]]:
        """(requests in the downloader, host) for every host with requests here. Scrapy counts
        the requests in the host's downloader slot; those still in the middlewares before it
        (all of a host's first requests wait there for its robots.txt) count too, and so do
        those sent past the scheduler (attachments)."""
        downloader = self._downloader_interface.downloader
        in_downloader = Counter(downloader.get_slot_key(r) for r in downloader.active)
        return [(in_downloader[slot], slot) for slot in self.pqueues]

    def _next_slot(self, stats: list[tuple[int, str]], *, update_state: bool) -> str:
        return self._chosen or self._choose(stats)[0]

    def _choose(self, stats: list[tuple[int, str]]) -> tuple[str, float]:
        """The host to ask next and how long before it may be asked."""
        least_active = min(active for active, _ in stats)
        idlest = [slot for active, slot in stats if active == least_active]
        now = time.monotonic()
        # curprio is the negated priority of the slot's next request: lowest goes first.
        wait, _, slot = min(
            (self._wait(slot, now), self.pqueues[slot].curprio or 0, slot) for slot in idlest
        )
        if least_active and least_active >= self._concurrency(slot):
            # Every host with requests here is busy in the downloader; an answer wakes the
            # engine, and a delay after it is the earliest the next may leave. Held back even
            # without a delay: Scrapy's downloader (2.19) would start every request queued in
            # a slot at once when its delay is 0, whatever its concurrency.
            wait = max(wait, self._delay(slot), BUSY_RECHECK)
        return slot, wait

    def _delay(self, slot: str) -> float:
        downloader_slot = self._downloader_interface.downloader.slots.get(slot)
        return downloader_slot.delay if downloader_slot is not None else 0.0

    def _concurrency(self, slot: str) -> int:
        downloader_slot = self._downloader_interface.downloader.slots.get(slot)
        return downloader_slot.concurrency if downloader_slot is not None else 1

    def _wait(self, slot: str, now: float) -> float:
        """Seconds until the host's delay since its last request runs out (0: ready)."""
        downloader_slot = self._downloader_interface.downloader.slots.get(slot)
        if downloader_slot is None or not downloader_slot.delay:
            return 0.0
        return max(0.0, downloader_slot.lastseen + downloader_slot.delay - now)

    def _wake_engine_in(self, seconds: float) -> bool:
        """Have the engine ask for requests again in `seconds` (sooner if something else wakes
        it); False where the engine cannot be reached, so the request is handed over now."""
        engine_slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        next_call = getattr(engine_slot, "nextcall", None)
        if next_call is None:
            return False
        due = time.monotonic() + seconds
        if self._wake is not None and self._wake_due <= due:
            return True
        if self._wake is not None:
            self._wake.cancel()

        def wake() -> None:
            self._wake, self._wake_due = None, math.inf
            next_call.schedule()

        self._wake, self._wake_due = call_later(seconds, wake), due
        return True

    def close(self) -> dict[str, list[int]]:
        if self._wake is not None:
            self._wake.cancel()
        return super().close()
