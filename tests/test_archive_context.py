"""The crawl's archive context: one run row from open to the real finish, portal rows, what
earlier runs left, and how far the run got on each portal."""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from archive.crawl_state import KeptBody
from archive.models import Capture, CrawlRun, PortalVisit
from archive.store import CaptureRecord
from archive.visits import LastCompletion
from archive.vocabulary import VisitOutcome
from crawler.archive_context import ArchiveContext
from crawler.captures import (
    CAPTURE_DIGEST_META,
    CaptureMiddleware,
    CaptureNotKept,
    capture_digest,
)
from crawler.items import FetchFailure
from crawler.registry import PortalEntry
from crawler.warc import WarcFiles, WarcPointer


def keep(middleware: CaptureMiddleware, request: Request, response: Response) -> Response:
    """The middleware's answer for one response, its writer closed after it."""
    try:
        return asyncio.run(middleware.process_response(request, response))
    finally:
        middleware.close_spider()


A = PortalEntry("甲县", "http://a.gov.cn/", "county", "")
B = PortalEntry("乙县", "http://b.gov.cn/", "county", "")
C = PortalEntry("丙县", "http://c.gov.cn/", "county", "")


def open_context(db_url: str, portals: tuple[PortalEntry, ...] = ()) -> ArchiveContext:
    """The archive context of a crawl on `portals`, open (its run started)."""
    context = ArchiveContext.from_crawler(get_crawler(settings_dict={"NIANBAO_DB_URL": db_url}))
    spider = Spider("test")
    spider.portals = list(portals)  # type: ignore[attr-defined]
    context.open(spider)
    return context


def request(homepage: str, **meta: object) -> Request:
    return Request(homepage + "x.html", meta={"homepage": homepage, **meta})


def test_open_starts_a_run_and_records_the_portals(sqlite_url: str) -> None:
    context = open_context(sqlite_url, (A, B))
    assert set(context.portal_ids) == {A.homepage, B.homepage}
    with context.session() as session:
        run = session.get_one(CrawlRun, context.run_id)
    assert run.finished_at is None


def test_a_portal_is_completed_once_nothing_of_it_is_pending(sqlite_url: str) -> None:
    context = open_context(sqlite_url, (A,))
    context.on_request_scheduled(request(A.homepage))
    context.on_request_scheduled(request(A.homepage))
    context.on_request_done(request(A.homepage))
    assert context.completion.outcome(A.homepage) == VisitOutcome.PARTIAL
    context.on_request_done(request(A.homepage))
    assert context.completion.outcome(A.homepage) == VisitOutcome.COMPLETED


def test_retries_and_redirects_stand_in_for_a_pending_request(sqlite_url: str) -> None:
    context = open_context(sqlite_url, (A,))
    context.on_request_scheduled(request(A.homepage))
    context.on_request_scheduled(request(A.homepage, retry_times=1))
    context.on_request_scheduled(request(A.homepage, redirect_times=1))
    context.on_request_done(request(A.homepage))
    assert context.is_completed(A.homepage)


def test_a_failed_download_ends_its_request(sqlite_url: str) -> None:
    context = open_context(sqlite_url, (A,))
    context.on_request_scheduled(request(A.homepage))
    context.on_item_scraped(
        FetchFailure("http://a.gov.cn/x.html", "fetch", "HTTP 500", A.homepage), None
    )
    assert context.is_completed(A.homepage)


def test_an_interrupted_run_records_how_far_it_got_on_each_portal(
    sqlite_url: str, engine: Engine
) -> None:
    context = open_context(sqlite_url, (A, B, C))
    for homepage in (A.homepage, B.homepage, B.homepage):
        context.on_request_scheduled(request(homepage))
    context.on_request_done(request(A.homepage))
    context.on_request_done(request(B.homepage))
    context.finish("shutdown")
    with Session(engine) as session:
        visits = {
            visit.portal_id: (visit.outcome, visit.completed_at is not None)
            for visit in session.scalars(select(PortalVisit))
        }
        run = session.get_one(CrawlRun, context.run_id)
    ids = context.portal_ids
    assert visits == {
        ids[A.homepage]: (VisitOutcome.COMPLETED, True),
        ids[B.homepage]: (VisitOutcome.PARTIAL, False),
        ids[C.homepage]: (VisitOutcome.NOT_VISITED, False),
    }
    assert (run.finish_reason, run.finished_at is not None) == ("shutdown", True)


def test_a_run_with_a_storage_failure_is_not_finished(sqlite_url: str, engine: Engine) -> None:
    context = open_context(sqlite_url)
    context.note_storage_failure("capture of http://a.gov.cn/", OSError(28, "No space left"))
    context.finish("finished")
    with Session(engine) as session:
        assert session.get_one(CrawlRun, context.run_id).finish_reason == "storage_failed"


def test_earlier_runs_tell_which_run_last_completed_each_portal(
    sqlite_url: str, engine: Engine
) -> None:
    first = open_context(sqlite_url, (A, B))
    first.on_request_scheduled(request(A.homepage))
    first.on_request_done(request(A.homepage))
    first.finish("shutdown")
    second = open_context(sqlite_url, (A, B))
    with Session(engine) as session:
        first_started = session.get_one(CrawlRun, first.run_id).started_at
    assert second.earlier.last_completed == {A.homepage: LastCompletion(first_started, 0)}


def test_a_capture_row_the_database_refuses_fails_the_request_and_the_storage(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = open_context(sqlite_url, (A,))

    def refuse(captures: list[CaptureRecord]) -> None:
        raise OperationalError("INSERT INTO captures", {}, Exception("database is locked"))

    monkeypatch.setattr(context, "record_captures", refuse)
    url = A.homepage + "x.html"
    with pytest.raises(CaptureNotKept, match=r"^capture not stored: OperationalError"):
        keep(CaptureMiddleware(context, None), Request(url), Response(url, body=b"<html></html>"))
    assert context.storage_failures == 1


def test_a_warc_record_the_disk_refuses_fails_the_request_and_the_storage(
    sqlite_url: str, tmp_path: Path
) -> None:
    context = open_context(sqlite_url, (A,))
    full = WarcFiles(tmp_path / "warc", max_bytes=1)

    def disk_full(
        request: Request, response: Response, revisit_of: KeptBody | None = None
    ) -> WarcPointer:
        raise OSError(errno.ENOSPC, "No space left on device")

    full.write = disk_full  # type: ignore[method-assign]
    url = A.homepage + "x.html"
    with pytest.raises(CaptureNotKept, match=r"^disk full or unwritable: OSError"):
        keep(CaptureMiddleware(context, full), Request(url), Response(url))
    assert (context.storage_failures, context.captures) == (1, 0)


def test_a_kept_response_has_its_capture_row_and_digest(sqlite_url: str, engine: Engine) -> None:
    context = open_context(sqlite_url, (A,))
    url = A.homepage + "x.html"
    request = Request(url)
    keep(CaptureMiddleware(context, None), request, Response(url, body=b"abc"))
    with Session(engine) as session:
        digest = session.scalars(select(Capture.digest)).one()
    assert request.meta[CAPTURE_DIGEST_META] == digest == capture_digest(b"abc")
