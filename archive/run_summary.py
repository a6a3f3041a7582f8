"""What one crawl run did, read back from the archive for the end-of-run summary: its
counts, the portals it completed, its failures by stage and kind, and the portals whose
health rows carry warnings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.health import HealthView, list_health
from archive.models import CrawlRun, Failure
from archive.visits import visit_outcomes
from archive.vocabulary import VisitOutcome

# "HTTP 404" wherever a message names a status; else the exception class that leads it.
HTTP_STATUS = re.compile(r"\bHTTP (\d{3})\b")
LEADING_CLASS = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*:(?:\s|$)")
# "unreadable DOCX: File is not a zip file", "refused: 127.0.0.1 is a loopback address": a
# short phrase of a few words before ": " names the kind.
LEADING_PHRASE = re.compile(r"^\s*((?:[^\s:]+ ){0,3}[^\s:]+):\s")


@dataclass(frozen=True)
class FailureCount:
    stage: str
    kind: str
    count: int


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    finish_reason: str
    pages_fetched: int
    reports_new: int
    sightings_new: int
    failures: tuple[FailureCount, ...]
    warned_portals: tuple[HealthView, ...]
    # Portals the run completed, of those it was given (0 of 0 before visits are recorded).
    portals_completed: int = 0
    portals_total: int = 0


def failure_kind(message: str) -> str:
    """`HTTP 500`, the error class (`DownloadTimeoutError`), the few words before the detail
    (`unreadable DOCX`) or, failing all, `other`."""
    if status := HTTP_STATUS.search(message):
        return f"HTTP {status.group(1)}"
    if leading := LEADING_CLASS.match(message) or LEADING_PHRASE.match(message):
        return leading.group(1)
    return "other"


def failure_counts(session: Session, run_id: int) -> tuple[FailureCount, ...]:
    """The run's failures by stage and kind, most frequent first."""
    rows = session.execute(
        select(Failure.stage, Failure.message).where(Failure.crawl_run_id == run_id)
    )
    counts = Counter((stage, failure_kind(message)) for stage, message in rows)
    return tuple(
        FailureCount(stage, kind, count)
        for (stage, kind), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def summarize_run(session: Session, run_id: int) -> RunSummary | None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        return None
    outcomes = visit_outcomes(session, run_id)
    return RunSummary(
        run_id=run.id,
        finish_reason=run.finish_reason or "",
        pages_fetched=run.pages_fetched,
        reports_new=run.reports_new,
        sightings_new=run.sightings_new,
        failures=failure_counts(session, run_id),
        warned_portals=tuple(view for view in list_health(session, run_id) if view.warnings),
        portals_completed=sum(o == VisitOutcome.COMPLETED for o in outcomes.values()),
        portals_total=len(outcomes),
    )
