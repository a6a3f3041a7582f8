"""Attachments: text of PDF/DOCX/OFD built here and of DOC fixtures; scans, corrupt files."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.attachments import AttachmentRecord, attachments_of, store_attachment
from archive.dedupe import content_key
from archive.models import Failure, Report
from crawler import settings as project_settings
from crawler.classify import classify_report
from crawler.extraction.attachments import (
    UnreadableAttachment,
    attachment_kind,
    extract_attachment_text,
    join_wrapped_lines,
)
from crawler.extraction.page import extract_page
from crawler.extraction.word97 import read_word97
from crawler.items import FetchFailure, ReportPage
from crawler.pipelines.attachments import AttachmentPipeline
from crawler.pipelines.dedupe import near_duplicate_config
from crawler.pipelines.store import StorePipeline
from crawler.worker_pool import ParsingPool, PoolLimits
from tests.fixtures.attachments.documents import (
    build_docx,
    build_ofd,
    build_pdf,
    build_scanned_pdf,
    build_text_pdf,
)
from tests.test_archive_context import open_context

REPORT_LINE = "2023年，我区深入推进法治政府建设。"


def test_pdf_text_layer_is_read() -> None:
    result = extract_attachment_text(build_pdf(REPORT_LINE), "pdf")
    assert REPORT_LINE in result.text and not result.needs_ocr


def test_pdf_without_text_layer_needs_ocr() -> None:
    result = extract_attachment_text(build_scanned_pdf(), "pdf")
    assert result.text == "" and result.needs_ocr


def test_pdf_lines_wrapped_by_the_layout_are_joined_into_paragraphs() -> None:
    paragraphs = ["一、主要举措和成效", REPORT_LINE * 12, "（一）强化统筹", REPORT_LINE * 5]
    result = extract_attachment_text(build_text_pdf(paragraphs), "pdf")
    assert result.text.splitlines() == paragraphs


def test_full_line_before_a_heading_ends_its_paragraph() -> None:
    full = "全" * 40
    assert join_wrapped_lines([f"{full}\n（二）下一步工作安排"]) == f"{full}\n（二）下一步工作安排"


def test_lines_of_a_page_without_prose_stay_apart() -> None:
    assert join_wrapped_lines(["绵阳市安州区人民政府\n2023年1月29日"]).count("\n") == 1


def test_paragraph_continues_across_a_page_break() -> None:
    full = "法治政府建设" * 7
    assert join_wrapped_lines([f"{full}\n{full}", "建设。\n二、存在的问题"]).splitlines() == [
        f"{full}{full}建设。",
        "二、存在的问题",
    ]


def test_latin_words_split_at_a_line_end_keep_their_space() -> None:
    full = "系统" * 20 + "Office"
    assert join_wrapped_lines([f"{full}\nWPS"]) == f"{full} WPS"


def test_corrupt_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadableAttachment):
        extract_attachment_text(b"%PDF-1.4\n1 0 obj << /Type /Catalog", "pdf")


def test_docx_paragraphs_become_lines() -> None:
    result = extract_attachment_text(build_docx([REPORT_LINE, "二、存在的问题"]), "docx")
    assert result.text == f"{REPORT_LINE}\n二、存在的问题"


def test_docx_that_is_not_a_zip_is_unreadable() -> None:
    with pytest.raises(UnreadableAttachment):
        extract_attachment_text(b"<html>404</html>", "docx")


def test_ofd_pages_are_read_in_order() -> None:
    result = extract_attachment_text(build_ofd(["第一页", "第二页"]), "ofd")
    assert result.text == "第一页\n第二页"


def test_attachment_kind_from_extension() -> None:
    assert attachment_kind("https://a.gov.cn/P0201.PDF") == "pdf"
    assert attachment_kind("https://a.gov.cn/f.wps?x=1") == "wps"
    assert attachment_kind("https://a.gov.cn/f.xls") is None


def test_storing_the_same_attachment_twice_keeps_one_row(engine: Engine) -> None:
    record = AttachmentRecord(
        "https://a.gov.cn/1.html", "https://a.gov.cn/1.pdf", None, 3, "d", "t", False
    )
    with Session(engine) as session, session.begin():
        store_attachment(session, record)
        store_attachment(session, record)
        assert [row.text for row in attachments_of(session, record.page_url)] == ["t"]


PAGE_URL = "https://www.x.gov.cn/zwgk/202402/t20240201_1.html"
INTRO_PAGE = (
    "<html><head><meta charset='utf-8'><title>XX区2023年度法治政府建设情况报告</title></head>"
    "<body><h1>XX区2023年度法治政府建设情况报告</h1><div class='TRS_Editor'><p>详见附件。</p>"
    "<p><a href='report.pdf'>XX区2023年度法治政府建设情况报告.pdf</a></p>"
    "<p><a href='scan.pdf'>扫描件.pdf</a> <a href='broken.docx'>附件2.docx</a></p></div>"
    "</body></html>"
)


def run_pipeline(
    files: dict[str, bytes], page: str = INTRO_PAGE, ocr_max_pages: int = 0
) -> ReportPage | FetchFailure:
    """Run the pipeline on a page (the intro page by default) with an engine that serves
    files from memory."""

    async def download_async(request: Request) -> Response:
        name = request.url.rsplit("/", 1)[-1]
        status = 200 if name in files else 404
        return Response(request.url, status=status, body=files.get(name, b""), request=request)

    crawler = SimpleNamespace(engine=SimpleNamespace(download_async=download_async), stats=None)
    pool = ParsingPool(PoolLimits.from_settings(Settings(vars(project_settings))))
    pipeline = AttachmentPipeline(crawler, 5, 0.3, ocr_max_pages, pool)  # type: ignore[arg-type]
    item = ReportPage(url=PAGE_URL, status=200, body=page.encode(), portal_homepage="")
    item.extracted = extract_page(item.body, item.url)
    result = asyncio.run(pipeline.process_item(item))
    pool.close()
    assert isinstance(result, ReportPage | FetchFailure)
    return result


def read_report(files: dict[str, bytes], page: str = INTRO_PAGE) -> ReportPage:
    """The page as the pipeline passes it on: still a report page, not a failure."""
    item = run_pipeline(files, page)
    assert isinstance(item, ReportPage)
    return item


def test_pipeline_makes_attachment_text_the_report_text() -> None:
    files = {
        "report.pdf": build_pdf(REPORT_LINE),
        "scan.pdf": build_scanned_pdf(),
        "broken.docx": b"x",
    }
    item = read_report(files)
    assert item.extracted is not None and item.extracted.text == REPORT_LINE
    assert item.text_source == "attachment" and not item.needs_ocr
    assert item.attachment_url == "https://www.x.gov.cn/zwgk/202402/report.pdf"
    files_read = {Path(record.url).name: record for record in item.attachments}
    assert files_read["scan.pdf"].needs_ocr and files_read["report.pdf"].text == REPORT_LINE
    failed = [failure.url for failure in item.attachment_failures]
    assert failed == ["https://www.x.gov.cn/zwgk/202402/broken.docx"]


def test_pipeline_flags_scan_only_report_for_ocr() -> None:
    item = read_report({"scan.pdf": build_scanned_pdf()})
    assert item.needs_ocr and item.text_source == "page"
    messages = sorted(failure.message for failure in item.attachment_failures)
    assert messages == ["HTTP 404", "HTTP 404"]


def test_page_introducing_only_unreadable_files_fails_with_their_failures() -> None:
    failure = run_pipeline({"report.pdf": b"not a pdf"})
    assert isinstance(failure, FetchFailure)
    assert (failure.url, failure.stage, failure.message) == (
        PAGE_URL,
        "attachment",
        "no readable attachment",
    )
    failed = sorted(Path(f.url).name for f in failure.attachment_failures)
    assert failed == ["broken.docx", "report.pdf", "scan.pdf"]


def test_attachments_are_stored_with_their_page(sqlite_url: str, engine: Engine) -> None:
    item = read_report({"report.pdf": build_pdf(REPORT_LINE), "broken.docx": b"x"})
    item.content_key = content_key(REPORT_LINE)
    context = open_context(sqlite_url)
    StorePipeline(context, near_duplicate_config(context.crawler.settings)).process_item(item)
    with Session(engine) as session:
        stored = [Path(row.url).name for row in attachments_of(session, PAGE_URL)]
        failed = sorted(Path(url).name for url in session.scalars(select(Failure.url)))
        reports = session.scalars(select(Report.text)).all()
    # An unreadable file keeps its row (empty text) beside its failure row.
    assert stored == ["report.pdf", "broken.docx"]
    assert (failed, reports) == (["broken.docx", "scan.pdf"], [REPORT_LINE])


REPORT_PARAGRAPHS = [
    "2023年，我局深入推进法治政府建设，现将有关情况报告如下。",
    "一、主要举措和成效。" + REPORT_LINE * 8,
    "二、存在的问题和不足。执法队伍专业化水平有待提高。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况。" + REPORT_LINE * 4,
    "四、2024年工作打算。继续深化依法行政。",
]


def article_page(title: str, paragraphs: list[str], files: str) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
        f"<div class='TRS_Editor'>{body}<p>{files}</p></div></body></html>"
    )


def test_letter_carrying_its_report_file_gets_the_file_text() -> None:
    page = article_page(
        "关于报送2023年法治政府建设情况的函",
        [
            "市司法局：",
            "根据市委依法治市办要求，现将我局2023年法治政府建设情况予以报送。",
            "特此函告。",
        ],
        "附件：<a href='report.pdf'>2023年法治政府建设情况.pdf</a>",
    )
    item = read_report({"report.pdf": build_text_pdf(REPORT_PARAGRAPHS)}, page)
    assert item.text_source == "attachment"
    assert item.extracted is not None
    assert classify_report(item.extracted.title, item.extracted.text, item.url).is_report


def test_cover_text_under_header_lines_gives_way_to_the_file() -> None:
    cover = (
        "根据《法治政府建设与责任落实督察工作规定》和省、市有关要求，经区委、区政府同意，"
        "现将《XX区2023年度法治政府建设情况报告》予以公开，接受社会监督。"
    ) * 3
    header = ["时间：2024-03-20 来源：区司法局 作者：张三", "浏览次数：128", cover, "附件下载："]
    page = article_page(
        "XX区2023年度法治政府建设情况报告",
        header,
        "<a href='report.pdf'>XX区2023年度法治政府建设情况报告.pdf</a>",
    )
    item = read_report({"report.pdf": build_text_pdf(REPORT_PARAGRAPHS * 4)}, page)
    assert item.text_source == "attachment"


def test_report_page_keeps_its_text_beside_a_copy_of_the_file() -> None:
    page = article_page(
        "XX局2023年法治政府建设情况报告",
        REPORT_PARAGRAPHS,
        "附件下载：<a href='report.pdf'>报告.pdf</a>",
    )
    item = read_report({"report.pdf": build_text_pdf(REPORT_PARAGRAPHS)}, page)
    assert item.text_source == "page" and item.attachment_url is None


DOC_FIXTURES = Path(__file__).parent / "fixtures" / "attachments"


def test_word97_doc_text_is_read_from_its_utf16_pieces() -> None:
    text = read_word97((DOC_FIXTURES / "lanzhou_2023_report.doc").read_bytes())
    lines = text.split("\n")
    assert lines[0] == "兰州市司法局关于2023年法治政府建设情况的报告"
    assert lines[1].startswith("2023年,兰州市司法局在市委市政府的坚强领导下")
    assert lines[-2:] == ["兰州市司法局", "2024年1月26日"]


def test_word97_doc_text_is_read_from_8bit_pieces() -> None:
    text = read_word97((DOC_FIXTURES / "latin_8bit.doc").read_bytes())
    assert text == "Annual report 2023, section one.\nSecond paragraph & more."


def test_wps_attachment_is_read_as_word97() -> None:
    result = extract_attachment_text((DOC_FIXTURES / "lanzhou_2023_report.doc").read_bytes(), "wps")
    assert "法治政府建设" in result.text and not result.needs_ocr


def test_corrupt_doc_is_unreadable() -> None:
    body = (DOC_FIXTURES / "lanzhou_2023_report.doc").read_bytes()[:4096]
    with pytest.raises(UnreadableAttachment, match="unreadable DOC"):
        extract_attachment_text(body, "doc")


def test_docx_bytes_are_not_a_doc() -> None:
    with pytest.raises(UnreadableAttachment, match="unreadable DOC"):
        extract_attachment_text(b"PK\x03\x04 not ole", "doc")
