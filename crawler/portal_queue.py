"""The scheduler's priority queue: Scrapy's per-host queue (the idlest host goes next, so many
hosts download in parallel), with ties between equally idle hosts going to the portal due
first (the highest request priority, set by the spider from the portal order) instead of to
the host name that sorts first. Without this a run cut short would always reach the same
alphabetically early hosts, and the rest of the registry never."""

from __future__ import annotations

from scrapy.pqueues import DownloaderAwarePriorityQueue


class PortalOrderQueue(DownloaderAwarePriorityQueue):
    def _next_slot(self, stats: list[tuple[int, str]], *, update_state: bool) -> str:
        least_active = min(active for active, _ in stats)
        idlest = [slot for active, slot in stats if active == least_active]
        # curprio is the negated priority of the slot's next request: lowest goes first.
        slot = min(idlest, key=lambda slot: (self.pqueues[slot].curprio or 0, slot))
        if update_state:
            self._last_selected_slot = slot
        return slot
