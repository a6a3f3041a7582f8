"""The scheduler's priority queue: Scrapy's per-host queue (the idlest host goes next, so many
hosts download in parallel), changed in two ways.

- A request goes to the downloader only when its host may be asked: no request of the host in
  the downloader and its DOWNLOAD_DELAY (as AutoThrottle has stretched it) run out. Handed
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
from typing import Any

from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.utils.asyncio import CallLaterResult, call_later


class PortalOrderQueue(DownloaderAwarePriorityQueue):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake: CallLaterResult | None = None
        self._wake_due = math.inf
        self._chosen: str | None = None

    def pop(self) -> Request | None:
        stats = self._downloader_interface.stats(self.pqueues)
        if not stats:
            return None
        slot, wait = self._choose(stats)
        if wait > 0 and self._wake_engine_in(wait):
            return None
        self._chosen = slot  # Scrapy's pop takes it from there (and tidies the slot's queue)
        try:
            return super().pop()
        finally:
            self._chosen = None

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
        if least_active:
            # Every host with requests here has one in the downloader; its answer wakes the
            # engine, and the delay after it is the earliest the next may leave.
            wait = max(wait, self._delay(slot))
        return slot, wait

    def _delay(self, slot: str) -> float:
        downloader_slot = self._downloader_interface.downloader.slots.get(slot)
        return downloader_slot.delay if downloader_slot is not None else 0.0

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
