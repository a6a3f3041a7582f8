"""What earlier runs learnt that lets a re-crawl skip work: pages already processed, their last
digests and validators (ETag, Last-Modified) with where the body they stand for is kept, the
URLs known to show reports and which of them are recent enough to revisit, and in which order
the portals are due. Only runs that finished count for what is known: a killed, shut down or
cut-short run may have read a list page without reaching the pages behind it, and a run whose
storage failed fetched pages it could not store. A page whose processing failed at or after
its capture is not known either: the next run fetches it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from archive.models import Capture, CrawlRun, Failure, Report, Sighting
from archive.store import FINISHED
from archive.visits import LastCompletion
from archive.vocabulary import Stage

# The failure stage of homepages, column, list and search pages (any reason); failures of
# report pages name the stage they got to (fetch, extract, attachment, store).


@dataclass(frozen=True)
class KeptBody:
    """Where the body of a capture is kept: WARC file (relative to the WARC folder), record id
    and offset, the Content-Type it was served with, and when it was fetched."""

    warc_file: str
    record_id: str
    offset: int
    content_type: str | None
    fetched_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None
    last_modified: str | None
    # The body these validators stand for, so that a 304 can be read again without a download;
    # None when the capture kept no WARC record (WARC off).
    kept: KeptBody | None = None


@dataclass(frozen=True)
class CrawlState:
    # The digest and validators of every URL whose latest capture was processed without a
    # failure (a list page read, a page classified as not a report, a report stored).
    digests: Mapping[str, str] = field(default_factory=dict)
    validators: Mapping[str, Validators] = field(default_factory=dict)
    report_urls: frozenset[str] = frozenset()
    # URLs whose processing failed and that no finished run has processed since: the next run
    # asks for them directly (discovery may not reach them: paging stops at unchanged lists),
    # list pages (failed in the discovery stage) as lists, other pages as report candidates.
    failed_pages: frozenset[str] = frozenset()
    failed_lists: frozenset[str] = frozenset()
    # Stored report pages a file of which failed since: asked again in full (parsed, not
    # answered 304), so that the file is tried again; a stored page is otherwise never read
    # again, and a file is asked only with its page.
    pages_of_failed_files: frozenset[str] = frozenset()
    # Known report pages still asked again (conditionally) to catch corrections: see
    # `recent_report_urls`.
    revisit_urls: frozenset[str] = frozenset()

    def is_known(self, url: str) -> bool:
        return url in self.digests or url in self.report_urls


def load_crawl_state(session: Session, revisit_from_year: int | None = None) -> CrawlState:
    """What finished runs left; with `revisit_from_year`, the report pages to revisit."""
    latest = (
        select(func.max(Capture.id))
        .where(Capture.status == 200, Capture.crawl_run_id.in_(_finished_runs()))
        .group_by(Capture.url)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Capture.url,
            Capture.crawl_run_id,
            Capture.digest,
            Capture.etag,
            Capture.last_modified,
            Capture.content_type,
            Capture.warc_file,
            Capture.warc_record_id,
            Capture.warc_offset,
            Capture.fetched_at,
        ).where(Capture.id.in_(latest))
    )
    last_failed = _last_failed_runs(session)
    digests: dict[str, str] = {}
    validators: dict[str, Validators] = {}
    for url, run_id, digest, etag, last_modified, content_type, file, record, offset, at in rows:
        if run_id is None or last_failed.get(url, -1) >= run_id:
            continue  # fetched, but its processing failed since: not known, fetched again
        digests[url] = digest
        if etag or last_modified:
            kept = _kept_body(content_type, file, record, offset, at)
            validators[url] = Validators(etag, last_modified, kept)
    report_urls = frozenset(session.scalars(select(Sighting.url).distinct()))
    failed = last_failed.keys() - digests.keys() - report_urls
    lists = frozenset(_urls_failed_in_discovery(session) & failed)
    revisit = (
        recent_report_urls(session, revisit_from_year)
        if revisit_from_year is not None
        else frozenset()
    )
    return CrawlState(
        digests,
        validators,
        report_urls,
        failed_pages=frozenset(failed - lists),
        failed_lists=lists,
        pages_of_failed_files=_pages_of(session, failed),
        revisit_urls=revisit,
    )


def _pages_of(session: Session, files: set[str]) -> frozenset[str]:
    """The pages that link any of these (failed) files."""
    rows = session.execute(
        select(Failure.url, Failure.page_url).where(Failure.page_url.is_not(None)).distinct()
    )
    return frozenset(page for url, page in rows if url in files and page)


def _kept_body(
    content_type: str | None,
    warc_file: str | None,
    record_id: str | None,
    offset: int | None,
    fetched_at: dt.datetime | None,
) -> KeptBody | None:
    if not warc_file or not record_id:
        return None
    return KeptBody(warc_file, record_id, offset or 0, content_type, fetched_at)


def recent_report_urls(session: Session, from_year: int) -> frozenset[str]:
    """The pages of reports on `from_year` or later, or, where a report's year is unknown,
    first seen on Jan 1 of that year or later: corrections of a report come within a year or
    two of its publication, so these are the pages worth a conditional request every run."""
    since = dt.datetime(from_year, 1, 1)
    statement = (
        select(Sighting.url)
        .join(Report, Report.id == Sighting.report_id)
        .where(
            or_(
                Report.report_year >= from_year,
                and_(Report.report_year.is_(None), Sighting.first_seen >= since),
            )
        )
        .distinct()
    )
    return frozenset(session.scalars(statement))


def portal_order(
    homepages: Sequence[str],
    last_completed: Mapping[str, LastCompletion],
    last_visited: Mapping[str, dt.datetime],
) -> list[str]:
    """The homepages in the order a run should visit them: portals never completed first (those
    no run reached before those a run cut short had begun), then the least recently completed,
    by the run that completed them (`archive.visits`). Repeated runs that are cut short thus
    cover the whole registry in turn, and a portal too big to finish in one short run does not
    keep the others waiting.

    Among portals completed by the same run, the one that took most pages goes first: its
    requests are a download delay apart however idle the crawler is, so started last (as it
    would be by when it was completed: it finished last) it alone would stretch every run's
    end. The given (registry) order breaks the remaining ties."""
    never = dt.datetime.min

    def due(homepage: str) -> tuple[dt.datetime, dt.datetime, int]:
        completion = last_completed.get(homepage)
        if completion is None:
            return never, last_visited.get(homepage, never), 0
        return completion.run_started_at, last_visited.get(homepage, never), -completion.pages

    return sorted(homepages, key=due)


def _finished_runs() -> Select[Any]:
    """Runs that went to their end with their storage intact."""
    return select(CrawlRun.id).where(
        CrawlRun.finished_at.is_not(None), CrawlRun.finish_reason == FINISHED
    )


def _urls_failed_in_discovery(session: Session) -> set[str]:
    return set(session.scalars(select(Failure.url).where(Failure.stage == Stage.DISCOVERY)))


def _last_failed_runs(session: Session) -> dict[str, int]:
    """The latest run in which each URL failed (fetch, extraction, attachment, storage…)."""
    rows = session.execute(
        select(Failure.url, func.max(Failure.crawl_run_id))
        .where(Failure.crawl_run_id.is_not(None))
        .group_by(Failure.url)
    )
    return {url: run_id for url, run_id in rows if run_id is not None}


@dataclass(frozen=True)
class StoredCapture:
    url: str
    crawl_run_id: int
    content_type: str | None
    warc_file: str
    warc_record_id: str
    warc_offset: int


def previous_capture(session: Session, url: str, before_run: int) -> StoredCapture | None:
    """The latest successful capture of `url` kept in a WARC file by a finished earlier run."""
    finished = select(CrawlRun.id).where(
        CrawlRun.finished_at.is_not(None), CrawlRun.id < before_run
    )
    row = session.execute(
        select(Capture)
        .where(
            Capture.url == url,
            Capture.status == 200,
            Capture.crawl_run_id.in_(finished),
            Capture.warc_file.is_not(None),
        )
        .order_by(Capture.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None or row.crawl_run_id is None or row.warc_record_id is None:
        return None
    return StoredCapture(
        row.url,
        row.crawl_run_id,
        row.content_type,
        row.warc_file or "",
        row.warc_record_id,
        row.warc_offset or 0,
    )
