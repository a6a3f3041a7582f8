"""Progress lines, portal completion and the end-of-run summary, without a crawl."""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.health import HealthRecord, record_health
from archive.models import CrawlRun, Portal
from archive.run_summary import failure_kind, summarize_run
from archive.store import PortalRecord, finish_run, record_failure, start_run, upsert_portals
from archive.visits import VisitRecord, record_visits
from archive.vocabulary import VisitOutcome
from crawler.portal_completion import PortalTracker
from crawler.progress import Progress, summary_lines
from crawler.request_done import (
    IgnoredRequestMiddleware,
    ResponseProcessedMiddleware,
    request_done,
)


def test_progress_line_has_rate_and_eta() -> None:
    progress = Progress(2, 10, 120, 3, 1, elapsed_seconds=60.0)
    assert progress.line() == (
        "progress: 2/10 portals done, 120 pages, 3 reports, 1 failures, 120 pages/min, ETA 0:04:00"
    )


def test_eta_unknown_before_the_first_portal_is_done() -> None:
    assert Progress(0, 10, 5, 0, 0, elapsed_seconds=30.0).line().endswith("ETA unknown")


def test_portal_is_done_when_nothing_is_pending() -> None:
    tracker = PortalTracker()
    tracker.scheduled("http://a.gov.cn/")
    tracker.scheduled("http://a.gov.cn/")
    tracker.scheduled("http://b.gov.cn/")
    tracker.finished("http://a.gov.cn/")
    tracker.finished("http://b.gov.cn/")
    assert tracker.done() == 1
    tracker.finished("http://a.gov.cn/")
    assert tracker.done() == 2


def test_failure_kind() -> None:
    assert failure_kind("fetch failed: HTTP 503 at http://x/") == "HTTP 503"
    assert failure_kind("DownloadTimeoutError: took longer than 30 s") == "DownloadTimeoutError"
    assert failure_kind("unreadable DOCX") == "other"
    assert failure_kind("unreadable DOCX: File is not a zip file") == "unreadable DOCX"
    assert failure_kind("refused: 127.0.0.1 is a loopback address") == "refused"
    assert failure_kind("http://x.gov.cn/a.html: gone") == "other"


def test_summary_groups_failures_and_lists_warned_portals(tmp_path: Path) -> None:
    engine = open_archive(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with Session(engine) as session, session.begin():
        run = CrawlRun(pages_fetched=40, reports_new=3, sightings_new=4, finish_reason="finished")
        session.add_all(
            [
                run,
                Portal(
                    name="甲县",
                    homepage="http://a.gov.cn/",
                    host="a.gov.cn",
                    level="county",
                    division_code="",
                ),
            ]
        )
        session.flush()
        for message in ("HTTP 500", "HTTP 500", "DownloadTimeoutError: slow"):
            record_failure(session, run.id, "http://a.gov.cn/x", "fetch", message)
        record_health(session, run.id, [HealthRecord("http://a.gov.cn/", 4, 0, 2, ("no report",))])
        run_id = run.id
    with Session(engine) as session:
        summary = summarize_run(session, run_id)
    engine.dispose()
    assert summary is not None
    lines = summary_lines(summary, portals=7, elapsed_seconds=65)
    assert lines[0] == (
        f"crawl run {run_id} finished after 0:01:05: 7 portals, 40 pages, "
        "3 new reports, 4 new sightings"
    )
    assert lines[1].startswith("failures: 3")
    assert lines[2].split() == ["2", "fetch", "HTTP", "500"]
    assert lines[3].split() == ["1", "fetch", "DownloadTimeoutError"]
    assert lines[4].startswith("portals with warnings: 1")
    assert lines[5] == "  甲县 http://a.gov.cn/: no report"


def test_summary_says_how_many_portals_the_run_completed(tmp_path: Path) -> None:
    engine = open_archive(f"sqlite:///{tmp_path / 'a.sqlite'}")
    portals = [
        PortalRecord(name, f"http://{host}/", host, "county", "")
        for name, host in (("甲县", "a.gov.cn"), ("乙县", "b.gov.cn"))
    ]
    with Session(engine) as session, session.begin():
        run_id = start_run(session)
        ids = upsert_portals(session, portals)
        visits = [
            VisitRecord("http://a.gov.cn/", VisitOutcome.COMPLETED),
            VisitRecord("http://b.gov.cn/", VisitOutcome.NOT_VISITED),
        ]
        record_visits(session, run_id, visits, ids)
        finish_run(session, run_id, "shutdown", 3)
    with Session(engine) as session:
        summary = summarize_run(session, run_id)
    engine.dispose()
    assert summary is not None
    first = summary_lines(summary, portals=2, elapsed_seconds=5)[0]
    assert first.startswith(f"crawl run {run_id} shutdown after 0:00:05: 1/2 portals completed,")


def test_response_counts_as_processed_once_its_output_is_used_up() -> None:
    crawler = get_crawler()
    processed: list[str] = []

    def note(request: Request) -> None:  # a named function: signals hold weak references
        processed.append(request.url)

    crawler.signals.connect(note, signal=request_done)
    middleware = ResponseProcessedMiddleware.from_crawler(crawler)
    response = Response("http://a.gov.cn/", request=Request("http://a.gov.cn/"))
    output = middleware.process_spider_output(response, iter(["request 1", "request 2"]))
    assert next(output) == "request 1" and processed == []
    assert list(output) == ["request 2"] and processed == ["http://a.gov.cn/"]


def test_request_dropped_by_a_middleware_is_done() -> None:
    crawler = get_crawler()
    done: list[str] = []

    def note(request: Request) -> None:
        done.append(request.url)

    crawler.signals.connect(note, signal=request_done)
    middleware = IgnoredRequestMiddleware.from_crawler(crawler)
    middleware.process_exception(Request("http://a.gov.cn/x"), IgnoreRequest("robots.txt"))
    middleware.process_exception(Request("http://a.gov.cn/y"), TimeoutError())
    assert done == ["http://a.gov.cn/x"]
