"""What earlier runs learnt that lets a re-crawl skip work: pages already processed, their last
digests and validators (ETag, Last-Modified), the URLs known to show reports, and where a
page's earlier capture is kept. Only runs that finished count: a killed, shut down or
cut-short run may have read a list page without reaching the pages behind it, and a run whose
storage failed fetched pages it could not store. A page whose processing failed at or after
its capture is not known either: the next run fetches it again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from archive.models import Capture, CrawlRun, Failure, Sighting
from archive.store import FINISHED
from archive.vocabulary import Stage

# The failure stage of homepages, column, list and search pages (any reason); failures of
# report pages name the stage they got to (fetch, extract, attachment, store).


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None


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

    def is_known(self, url: str) -> bool:
        return url in self.digests or url in self.report_urls


def load_crawl_state(session: Session) -> CrawlState:
    latest = (
        select(func.max(Capture.id))
        .where(Capture.status == 200, Capture.crawl_run_id.in_(_finished_runs()))
        .group_by(Capture.url)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Capture.url, Capture.crawl_run_id, Capture.digest, Capture.etag, Capture.last_modified
        ).where(Capture.id.in_(latest))
    )
    last_failed = _last_failed_runs(session)
    digests: dict[str, str] = {}
    validators: dict[str, Validators] = {}
    for url, run_id, digest, etag, last_modified in rows:
        if run_id is None or last_failed.get(url, -1) >= run_id:
            continue  # fetched, but its processing failed since: not known, fetched again
        digests[url] = digest
        if etag or last_modified:
            validators[url] = Validators(etag, last_modified)
    report_urls = frozenset(session.scalars(select(Sighting.url).distinct()))
    failed = last_failed.keys() - digests.keys() - report_urls
    lists = frozenset(_urls_failed_in_discovery(session) & failed)
    return CrawlState(digests, validators, report_urls, frozenset(failed - lists), lists)


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
