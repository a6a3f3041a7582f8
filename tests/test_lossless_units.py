"""The pieces behind "nothing lost quietly", one behaviour each: corrupt files give the typed
failure, pages without text never dedupe, deep pages are read whole, failed pages are not
known, a failing pipeline still leaves a failure row."""

from __future__ import annotations

import bz2
import io
import zipfile

import pytest
from scrapy.exceptions import IgnoreRequest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from twisted.python.failure import Failure as TwistedFailure

from archive.crawl_state import load_crawl_state
from archive.models import Failure, Report
from archive.store import (
    STORAGE_FAILED,
    CaptureRecord,
    finish_run,
    record_capture,
    record_failure,
    start_run,
    store_report,
)
from crawler.archive_context import ArchiveContext
from crawler.extraction.attachments import UnreadableAttachment, extract_attachment_text
from crawler.extraction.page import MAX_NESTING, extract_page, nesting_depth, parse_page
from crawler.items import ReportPage
from crawler.pipelines.dedupe import near_duplicate_config
from crawler.pipelines.store import StorePipeline
from crawler.spiders.reports import is_robots_refusal
from tests.portal import lossless_site
from tests.test_archive import record, store
from tests.test_archive_context import open_context

DOCX_TEXT = lossless_site._paragraphs("弥渡县")


def _bzip2_docx_with_bad_stream() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", "<w:document/>" * 200)
    data = out.getvalue()
    start = data.index(bz2.compress(b"")[:3])  # the member's bzip2 stream
    return data[: start + 10] + b"\x00" * 40 + data[start + 50 :]


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        *(
            (f.kind, f.body(repaired=False))
            for f in lossless_site.BROKEN_FILES  # bad CRC, bad deflate, method 99, encrypted
        ),
        ("docx", _bzip2_docx_with_bad_stream()),
        ("docx", lossless_site._docx(DOCX_TEXT)[:200]),  # cut off mid-upload
        ("ofd", b"PK\x03\x04" + b"\xff" * 100),
        ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # OLE header, no body
    ],
)
def test_a_corrupt_file_raises_only_unreadable_attachment(kind: str, body: bytes) -> None:
    with pytest.raises(UnreadableAttachment):
        extract_attachment_text(body, kind)


def test_pages_without_text_at_two_urls_are_two_reports(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html", ""), record("http://b.gov.cn/2.html", ""))
    with Session(engine) as session:
        assert len(session.scalars(select(Report)).all()) == 2


def test_a_page_without_text_stored_again_stays_one_report(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html", "详见附件"))
    store(engine, record("http://a.gov.cn/1.html", "详见附件"))
    with Session(engine) as session:
        assert len(session.scalars(select(Report)).all()) == 1


def test_a_short_text_is_never_a_near_duplicate(engine: Engine) -> None:
    store(
        engine, record("http://a.gov.cn/1.html", "图片"), record("http://b.gov.cn/2.html", "图片。")
    )
    with Session(engine) as session:
        assert {r.minhash for r in session.scalars(select(Report))} == {None}


def deep_page(depth: int) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in DOCX_TEXT)
    html = f"<html><body><div id='zoom'>{'<div>' * depth}{body}{'</div>' * depth}</div></body>"
    return f"<title>弥渡县2023年法治政府建设年度报告</title>{html}</html>".encode()


@pytest.mark.parametrize("depth", [300, 3000, 30000])
def test_a_page_nested_past_lxml_depth_limit_is_extracted_whole(depth: int) -> None:
    page = extract_page(deep_page(depth), "http://www.a.gov.cn/1.html")
    assert page.text.splitlines() == list(DOCX_TEXT)


def test_flattening_keeps_a_page_within_the_nesting_limit() -> None:
    _, tree = parse_page(deep_page(3000).decode())
    assert nesting_depth(tree) <= MAX_NESTING + 1


def test_an_image_only_body_counts_its_images() -> None:
    html = "<html><body><div id='zoom'><p><img src='1.jpg'></p><img src='2.jpg'></div></body>"
    page = extract_page(html.encode(), "http://www.a.gov.cn/1.html")
    assert (page.text, page.images) == ("", 2)


def test_only_a_robots_refusal_is_a_silent_skip() -> None:
    assert is_robots_refusal(IgnoreRequest("Forbidden by robots.txt"))
    assert not is_robots_refusal(IgnoreRequest("max redirections reached"))


def _capture(session: Session, run_id: int, url: str) -> None:
    record_capture(session, run_id, CaptureRecord(url, 200, "text/html", "utf-8", 1, "sha256:x"))


def test_a_page_that_failed_after_its_capture_is_not_known(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        run = start_run(session)
        _capture(session, run, "http://a.gov.cn/ok.html")
        _capture(session, run, "http://a.gov.cn/bad.html")
        record_failure(session, run, "http://a.gov.cn/bad.html", "extract", "no text")
        finish_run(session, run, "finished", 2)
    with Session(engine) as session:
        state = load_crawl_state(session)
    assert state.is_known("http://a.gov.cn/ok.html")
    assert not state.is_known("http://a.gov.cn/bad.html")
    assert state.failed_pages == {"http://a.gov.cn/bad.html"}


def test_a_stored_page_whose_file_failed_is_read_again_until_the_file_is(engine: Engine) -> None:
    page, docx = "http://a.gov.cn/report.html", "http://a.gov.cn/report.docx"
    with Session(engine) as session, session.begin():
        run = start_run(session)
        _capture(session, run, page)
        _capture(session, run, docx)
        store_report(session, record(url=page))
        record_failure(session, run, docx, "attachment", "unreadable DOCX", page_url=page)
        finish_run(session, run, "finished", 2)
    with Session(engine) as session:
        state = load_crawl_state(session)
    assert state.is_known(page) and state.pages_of_failed_files == {page}
    with Session(engine) as session, session.begin():
        run = start_run(session)
        _capture(session, run, page)
        _capture(session, run, docx)
        finish_run(session, run, "finished", 2)
    with Session(engine) as session:
        assert load_crawl_state(session).pages_of_failed_files == set()


@pytest.mark.parametrize("reason", [STORAGE_FAILED, "shutdown", None])
def test_pages_of_a_run_that_did_not_finish_are_not_known(engine: Engine, reason: str) -> None:
    with Session(engine) as session, session.begin():
        run = start_run(session)
        _capture(session, run, "http://a.gov.cn/1.html")
        if reason is not None:
            finish_run(session, run, reason, 1)
    with Session(engine) as session:
        assert not load_crawl_state(session).is_known("http://a.gov.cn/1.html")


def store_pipeline(context: ArchiveContext) -> StorePipeline:
    return StorePipeline(context, near_duplicate_config(context.crawler.settings))


def test_a_pipeline_error_still_leaves_a_failure_row(sqlite_url: str, engine: Engine) -> None:
    pipeline = store_pipeline(open_context(sqlite_url))
    page = ReportPage("http://a.gov.cn/1.html", 200, b"<html></html>", "http://a.gov.cn/")
    pipeline.record_item_error(page, TwistedFailure(KeyError("boom")))
    with Session(engine) as session:
        row = session.scalars(select(Failure)).one()
    assert (row.url, row.stage, row.message) == (page.url, "process", "KeyError: 'boom'")


def test_a_database_error_in_a_pipeline_fails_the_runs_storage(
    sqlite_url: str, engine: Engine
) -> None:
    context = open_context(sqlite_url)
    pipeline = store_pipeline(context)
    page = ReportPage("http://a.gov.cn/1.html", 200, b"<html></html>", "http://a.gov.cn/")
    pipeline.record_item_error(page, TwistedFailure(OSError(28, "No space left on device")))
    with Session(engine) as session:
        assert session.scalars(select(Failure.stage)).one() == "store"
    assert context.storage_failures == 1
