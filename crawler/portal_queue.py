"""The scheduler's priority queue: Scrapy's per-host queue (the idlest host goes next, so many
hosts download in parallel), with two changes in choosing among equally idle hosts:

- a host whose DOWNLOAD_DELAY has run out goes before one still waiting it out. A request
  handed to the downloader for a host that must wait sits in the host's slot holding one of the
  CONCURRENT_REQUESTS, while ready hosts wait in the scheduler; over hundreds of hosts that,
  not the hosts' delays, set the pace of a crawl. When no host is ready, the one ready soonest
  goes first.
- among ready hosts, the portal due first (the highest request priority, set by the spider from
  the portal order) goes first instead of the host name that sorts first. Without this a run
  cut short would always reach the same alphabetically early hosts, and the rest of the
  registry never."""

from __future__ import annotations

import time

from scrapy.pqueues import DownloaderAwarePriorityQueue


class PortalOrderQueue(DownloaderAwarePriorityQueue):
    def _next_slot(self, stats: list[tuple[int, str]], *, update_state: bool) -> str:
        least_active = min(active for active, _ in stats)
        idlest = [slot for active, slot in stats if active == least_active]
        now = time.monotonic()
        # curprio is the negated priority of the slot's next request: lowest goes first.
        slot = min(
            idlest, key=lambda slot: (self._wait(slot, now), self.pqueues[slot].curprio or 0, slot)
        )
        if update_state:
            self._last_selected_slot = slot
        return slot

    def _wait(self, slot: str, now: float) -> float:
        """Seconds until the host's delay since its last request runs out (0: ready)."""
        downloader_slot = self._downloader_interface.downloader.slots.get(slot)
        if downloader_slot is None or not downloader_slot.delay:
            return 0.0
        return max(0.0, downloader_slot.lastseen + downloader_slot.delay - now)
