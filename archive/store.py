"""The write API the crawler calls: runs, captures, failures, reports and their sightings.

Every function takes a session opened by the caller, so one page is stored in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from archive.dedupe import content_key, page_key
from archive.models import Capture, CrawlRun, Failure, Portal, Report, Sighting, utcnow
from archive.near_duplicates import (
    DEFAULT_NEAR_DUPLICATES,
    NearDuplicateConfig,
    ReportIdentity,
    find_near_duplicate,
    index_report,
    sign_text,
)
from archive.report_structure import record_structure
from archive.store_locks import lock_portal_rows, lock_report_identity
from archive.vocabulary import Match, TextSource

# Finish reasons: Scrapy's (finished, shutdown, closespider_timeout, …), and ours for a run
# whose writes failed (database error, disk full). Only a FINISHED run's captures make pages
# known (archive/crawl_state.py), so the next run fetches what this one could not store.
FINISHED = "finished"
STORAGE_FAILED = "storage_failed"


@dataclass(frozen=True)
class ReportRecord:
    """What one page showed of a report; page_dates are (source, ISO date) pairs."""

    url: str
    host: str
    title: str
    text: str
    report_year: int | None
    published_at: dt.date | None
    written_at: dt.date | None
    publisher: str | None
    issuer: str | None
    host_site: str | None
    page_dates: tuple[tuple[str, str], ...] = ()
    text_source: str = TextSource.PAGE  # or ATTACHMENT/OCR, when the page only introduced its file
    needs_ocr: bool = False
    # The file whose text is the report text (text_source "attachment"): sighted there too.
    attachment_url: str | None = None


@dataclass(frozen=True)
class CaptureRecord:
    url: str
    status: int
    content_type: str | None
    charset: str | None
    size: int
    digest: str
    etag: str | None = None
    last_modified: str | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    warc_offset: int | None = None


@dataclass(frozen=True)
class PortalRecord:
    name: str
    homepage: str
    host: str
    level: str
    division_code: str


@dataclass(frozen=True)
class StoreOutcome:
    """What storing a page did (match: a Match)."""

    report_id: int
    is_new_report: bool
    is_new_sighting: bool
    match: str = Match.NEW
    similarity: float | None = None


@dataclass(frozen=True)
class _Match:
    report: Report | None
    kind: str
    similarity: float | None = None
    previous_version_id: int | None = None


def start_run(session: Session) -> int:
    run = CrawlRun()
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, reason: str, pages_fetched: int) -> CrawlRun:
    run = session.get_one(CrawlRun, run_id)
    run.finished_at = utcnow()
    run.finish_reason = reason
    run.pages_fetched = pages_fetched
    return run


def record_capture(session: Session, run_id: int | None, capture: CaptureRecord) -> None:
    record_captures(session, run_id, [capture])


def record_captures(
    session: Session, run_id: int | None, captures: Sequence[CaptureRecord]
) -> None:
    """Capture rows in one statement: a crawl keeps its responses a batch at a time."""
    if captures:
        session.execute(insert(Capture), [{"crawl_run_id": run_id, **asdict(c)} for c in captures])


def set_capture_charset(
    session: Session, run_id: int | None, url: str, charset: str, source: str, confident: bool
) -> None:
    """Record the charset extraction actually used (it may overrule a wrong label), how it
    was chosen and whether the choice is certain."""
    capture = session.scalar(
        select(Capture)
        .where(Capture.crawl_run_id == run_id, Capture.url == url)
        .order_by(Capture.id.desc())
        .limit(1)
    )
    if capture is not None:
        capture.charset = charset
        capture.charset_source = source
        capture.charset_confident = confident


def record_failure(
    session: Session,
    run_id: int | None,
    url: str,
    stage: str,
    message: str,
    page_url: str | None = None,
) -> None:
    """A failure row; `page_url`, for a file, names the page that links it."""
    session.add(
        Failure(crawl_run_id=run_id, url=url, stage=stage, message=message, page_url=page_url)
    )
    if run_id is not None:
        session.get_one(CrawlRun, run_id).failures += 1


def upsert_portals(session: Session, portals: list[PortalRecord]) -> dict[str, int]:
    """Make sure every registry row has a portal row; return portal ids by homepage."""
    lock_portal_rows(session)
    known = {p.homepage: p for p in session.scalars(select(Portal))}
    for record in portals:
        row = known.get(record.homepage)
        if row is None:
            row = Portal(homepage=record.homepage)
            session.add(row)
            known[record.homepage] = row
        row.name, row.host = record.name, record.host
        row.level, row.division_code = record.level, record.division_code
    session.flush()
    return {homepage: row.id for homepage, row in known.items()}


def store_report(
    session: Session,
    record: ReportRecord,
    key: str | None = None,
    run_id: int | None = None,
    portal_id: int | None = None,
    near: NearDuplicateConfig = DEFAULT_NEAR_DUPLICATES,
    signature: bytes | None = None,
) -> StoreOutcome:
    """Store a page that shows a report: a sighting of its canonical report, found by
    exact key, else by near-duplicate signature; a new report (or a new version of the
    report at this URL) when neither matches. Storing the same page again changes nothing
    but the sighting's last_seen."""
    text_key = key or content_key(record.text)
    # A page without text (a scan) is stored under a key of its own URL: never merged.
    key = text_key or page_key(record.url)
    # Another process may be storing this page or this report right now: wait for it.
    lock_report_identity(session, record.url, key, None, near)
    latest = _latest_sighting(session, record.url)
    if latest is not None and _page_key(latest) == key:
        latest.last_seen = utcnow()
        seen_again = _Match(latest.report, Match.EXACT, latest.similarity)
        _sight_attachment(session, record, latest.report_id, portal_id, key, seen_again)
        return StoreOutcome(latest.report_id, False, False, Match.EXACT, latest.similarity)
    if text_key is None:
        signature = None  # no text to compare: no near-duplicate either
    elif signature is None:
        signature = sign_text(record.text, near)
    if signature is not None:  # ... or a near duplicate of it
        lock_report_identity(session, record.url, key, signature, near)
    match = _match(session, record, key, signature, latest, near)
    report = match.report
    if report is None:
        report = _new_report(session, record, key, signature, match.previous_version_id, near)
    elif _is_earlier(record.published_at, report.published_at):
        _take_metadata(report, record)
        record_structure(session, report)  # the covered year tells a plan from a review
    sighting = session.scalar(
        select(Sighting).where(Sighting.report_id == report.id, Sighting.url == record.url)
    )
    is_new_sighting = sighting is None
    if sighting is None:
        session.add(_new_sighting(record, report.id, portal_id, key, match))
    else:
        sighting.last_seen = utcnow()
        sighting.page_content_key = key
    _sight_attachment(session, record, report.id, portal_id, key, match)
    _count(session, run_id, match.report is None, is_new_sighting)
    return StoreOutcome(
        report.id, match.report is None, is_new_sighting, match.kind, match.similarity
    )


def _latest_sighting(session: Session, url: str) -> Sighting | None:
    statement = select(Sighting).where(Sighting.url == url)
    return session.scalar(statement.order_by(Sighting.last_seen.desc(), Sighting.id.desc()))


def _page_key(sighting: Sighting) -> str:
    # Sightings stored before page keys were kept showed their report's own text.
    return sighting.page_content_key or sighting.report.content_key


def _match(
    session: Session,
    record: ReportRecord,
    key: str,
    signature: bytes | None,
    latest: Sighting | None,
    near: NearDuplicateConfig,
) -> _Match:
    exact = session.scalar(select(Report).where(Report.content_key == key))
    if exact is not None:
        return _Match(exact, Match.EXACT, 1.0)
    if latest is not None:
        # The text at a known URL changed: a new version; the old one stays.
        return _Match(None, Match.VERSION, previous_version_id=latest.report_id)
    if signature is None:  # no text to compare
        return _Match(None, Match.NEW)
    identity = ReportIdentity(record.report_year, record.issuer)
    found = find_near_duplicate(session, signature, identity, near)
    if found is not None:
        return _Match(session.get_one(Report, found.report_id), Match.NEAR, found.similarity)
    return _Match(None, Match.NEW)


def _new_report(
    session: Session,
    record: ReportRecord,
    key: str,
    signature: bytes | None,
    previous_version_id: int | None,
    near: NearDuplicateConfig,
) -> Report:
    report = Report(
        content_key=key,
        title=record.title,
        report_year=record.report_year,
        published_at=record.published_at,
        written_at=record.written_at,
        publisher=record.publisher,
        issuer=record.issuer,
        host=record.host,
        host_site=record.host_site,
        text=record.text,
        text_source=record.text_source,
        needs_ocr=record.needs_ocr,
        previous_version_id=previous_version_id,
        minhash=signature,
    )
    session.add(report)
    session.flush()
    record_structure(session, report)
    if signature is not None:
        index_report(session, report.id, signature, near)
    return report


def _is_earlier(candidate: dt.date | None, current: dt.date | None) -> bool:
    return candidate is not None and (current is None or candidate < current)


def _take_metadata(report: Report, record: ReportRecord) -> None:
    """The earliest publication is the original; reposts come later, often with other dates."""
    report.title, report.published_at = record.title, record.published_at
    report.written_at, report.report_year = record.written_at, record.report_year
    report.publisher, report.issuer = record.publisher, record.issuer
    report.host, report.host_site = record.host, record.host_site


def _new_sighting(
    record: ReportRecord, report_id: int, portal_id: int | None, key: str, match: _Match
) -> Sighting:
    dates = [{"source": source, "date": value} for source, value in record.page_dates]
    return Sighting(
        report_id=report_id,
        url=record.url,
        portal_id=portal_id,
        page_title=record.title,
        page_published_at=record.published_at,
        page_publisher=record.publisher,
        page_dates=json.dumps(dates, ensure_ascii=False) if dates else None,
        # A new version is a new report: its sighting is "new" like any first sighting.
        match=match.kind if match.report is not None else Match.NEW,
        similarity=match.similarity,
        page_content_key=key,
    )


def _sight_attachment(
    session: Session,
    record: ReportRecord,
    report_id: int,
    portal_id: int | None,
    key: str,
    match: _Match,
) -> None:
    """The report file's own URL is a second sighting of the report its page introduced."""
    if record.attachment_url is None:
        return
    sighting = session.scalar(
        select(Sighting).where(
            Sighting.report_id == report_id, Sighting.url == record.attachment_url
        )
    )
    if sighting is None:
        as_file = dataclasses.replace(record, url=record.attachment_url)
        session.add(_new_sighting(as_file, report_id, portal_id, key, match))
    else:
        sighting.last_seen = utcnow()


def _count(session: Session, run_id: int | None, new_report: bool, new_sighting: bool) -> None:
    if run_id is None:
        return
    run = session.get_one(CrawlRun, run_id)
    run.reports_new += int(new_report)
    run.sightings_new += int(new_sighting)
