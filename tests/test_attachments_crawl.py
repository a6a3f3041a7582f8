"""Attachments end to end: one real `scrapy crawl reports` on the local portal, where the city
site publishes district reports as a text PDF, a scan and a broken annex."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.attachments import attachments_of
from archive.db import open_archive
from archive.models import Attachment, Capture, Failure, Report
from tests.portal.attachment_site import (
    JIANG_AN_2023_TITLE,
    QIAOKOU_2023_TITLE,
    build_attachment_site,
    qiaokou_2023_body,
)
from tests.portal.server import start_portal
from tests.test_end_to_end import crawl

SITE = "http://www.wuhan.gov.cn"
COLUMN = f"{SITE}/zwgk/fdzdgknr/fzzfjs"
QIAOKOU_PAGE = f"{COLUMN}/202403/t20240320_5012.html"
QIAOKOU_PDF = f"{COLUMN}/202403/P020240320501201.pdf"
BROKEN_DOCX = f"{COLUMN}/202403/P020240320501202.docx"
JIANG_AN_PAGE = f"{COLUMN}/202403/t20240325_5020.html"
JIANG_AN_SCAN = f"{COLUMN}/202403/P020240325502001.pdf"
DISCLOSURE_PDF = f"{COLUMN}/202401/P020240130498801.pdf"

# (method, URL, status) the portal answered during the crawl; filled by `archived`.
REQUESTS: list[tuple[str, str, int]] = []


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("attachments")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(portal, db_url, folder / "crawl.log")
        REQUESTS[:] = portal.requests
    engine = open_archive(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def report_titled(session: Session, title: str) -> Report:
    report = session.scalar(select(Report).where(Report.title == title))
    assert report is not None, f"{title} not archived"
    return report


def served_bytes(url: str) -> bytes:
    return build_attachment_site().pages[url.removeprefix(SITE)].body


def test_attachment_text_becomes_the_report_text(archived: Session) -> None:
    report = report_titled(archived, QIAOKOU_2023_TITLE)
    assert report.text_source == "attachment" and not report.needs_ocr
    # The PDF's wrapped lines come back as the report's paragraphs.
    assert report.text == "\n".join(qiaokou_2023_body())


def test_report_is_sighted_at_its_page_and_its_file(archived: Session) -> None:
    report = report_titled(archived, QIAOKOU_2023_TITLE)
    assert sorted(s.url for s in report.sightings) == sorted([QIAOKOU_PAGE, QIAOKOU_PDF])


def test_attachment_row_keeps_the_file_and_its_text(archived: Session) -> None:
    rows = {row.url: row for row in attachments_of(archived, QIAOKOU_PAGE)}
    pdf = rows[QIAOKOU_PDF]
    assert pdf.digest == "sha256:" + hashlib.sha256(served_bytes(QIAOKOU_PDF)).hexdigest()
    assert pdf.content_type == "application/pdf" and pdf.size == len(served_bytes(QIAOKOU_PDF))
    assert pdf.text == report_titled(archived, QIAOKOU_2023_TITLE).text


def test_attachment_bytes_are_captured(archived: Session) -> None:
    captured = archived.scalars(select(Capture.url).where(Capture.url == QIAOKOU_PDF)).all()
    assert captured == [QIAOKOU_PDF]


def test_scanned_report_is_archived_and_needs_ocr(archived: Session) -> None:
    report = report_titled(archived, JIANG_AN_2023_TITLE)
    assert report.needs_ocr and report.text_source == "page"
    (scan,) = attachments_of(archived, JIANG_AN_PAGE)
    assert (scan.url, scan.needs_ocr, scan.text) == (JIANG_AN_SCAN, True, "")


def test_broken_annex_is_a_failure_and_the_crawl_goes_on(archived: Session) -> None:
    failures = archived.execute(
        select(Failure.url, Failure.message).where(Failure.stage == "attachment")
    ).all()
    assert [url for url, _ in failures] == [BROKEN_DOCX]
    assert "DOCX" in failures[0].message
    # The broken file is still kept, without text, and is not taken for a scan.
    (row,) = archived.scalars(select(Attachment).where(Attachment.url == BROKEN_DOCX))
    assert (row.text, row.needs_ocr, row.size) == ("", False, len(served_bytes(BROKEN_DOCX)))


def test_files_of_non_reports_are_never_fetched() -> None:
    requested = {url for _, url, _ in REQUESTS}
    assert QIAOKOU_PDF in requested and DISCLOSURE_PDF not in requested


@pytest.fixture(autouse=True)
def _needs_crawl(archived: Session) -> None:
    """Every test reads what the one crawl left, REQUESTS included."""
