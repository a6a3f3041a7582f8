"""Which portals a crawl has completed: a portal is completed once it had requests and none of
them is pending (scheduled, not yet answered, failed or dropped); the safety net may reopen it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from archive.models import utcnow
from archive.vocabulary import VisitOutcome


class PortalTracker:
    def __init__(self, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.clock = clock
        self.pending: Counter[str] = Counter()
        self.started: set[str] = set()
        self.reached: set[str] = set()  # at least one of its requests was done
        self.completed_at: dict[str, dt.datetime] = {}

    def scheduled(self, homepage: str) -> None:
        self.started.add(homepage)
        self.pending[homepage] += 1
        self.completed_at.pop(homepage, None)

    def finished(self, homepage: str) -> None:
        self.reached.add(homepage)
        self.pending[homepage] = max(self.pending[homepage] - 1, 0)
        if homepage in self.started and self.pending[homepage] == 0:
            self.completed_at[homepage] = self.clock()

    def is_completed(self, homepage: str) -> bool:
        return homepage in self.started and self.pending[homepage] == 0

    def done(self) -> int:
        return sum(1 for homepage in self.started if self.pending[homepage] == 0)

    def outcome(self, homepage: str) -> VisitOutcome:
        if self.is_completed(homepage):
            return VisitOutcome.COMPLETED
        if homepage in self.reached:
            return VisitOutcome.PARTIAL
        return VisitOutcome.NOT_VISITED
