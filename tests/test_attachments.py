"""Attachments: text from PDF/DOCX/OFD bytes built here, scans, corrupt files, the pipeline."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.attachments import AttachmentRecord, attachments_of, store_attachment
from archive.models import Failure
from crawler.extraction.attachments import (
    UnreadableAttachment,
    attachment_kind,
    extract_attachment_text,
    is_introduction,
)
from crawler.extraction.page import extract_page
from crawler.items import ReportPage
from crawler.pipelines.attachments import AttachmentPipeline

REPORT_LINE = "2023年，我区深入推进法治政府建设。"


def build_pdf(text: str) -> bytes:
    """A one-page PDF whose Type0 font maps each glyph id to a character via ToUnicode."""
    chars = sorted(set(text))
    gids = {ch: index + 1 for index, ch in enumerate(chars)}
    cmap_lines = "".join(f"<{gids[ch]:04X}> <{ord(ch):04X}>\n" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{cmap_lines}endbfchar\nendcmap end end\n"
    )
    shown = "".join(f"{gids[ch]:04X}" for ch in text)
    content = f"BT /F1 12 Tf 72 720 Td <{shown}> Tj ET" if text else ""
    return assemble_pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            " /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream(content),
            "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H"
            " /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun"
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            stream(cmap),
        ]
    )


def stream(data: str) -> str:
    return f"<< /Length {len(data.encode('latin-1'))} >>\nstream\n{data}\nendstream"


def assemble_pdf(objects: list[str]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out.write(trailer.encode())
    return out.getvalue()


def build_zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def build_docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    return build_zip({"word/document.xml": document})


def build_ofd(pages: list[str]) -> bytes:
    ns = "http://www.ofdspec.org/2016"
    return build_zip(
        {
            f"Doc_0/Pages/Page_{n}/Content.xml": f'<ofd:Page xmlns:ofd="{ns}"><ofd:Content>'
            f"<ofd:Layer><ofd:TextObject><ofd:TextCode X='0' Y='0'>{text}</ofd:TextCode>"
            "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
            for n, text in enumerate(pages)
        }
    )


def test_pdf_text_layer_is_read() -> None:
    result = extract_attachment_text(build_pdf(REPORT_LINE), "pdf")
    assert REPORT_LINE in result.text and not result.needs_ocr


def test_pdf_without_text_layer_needs_ocr() -> None:
    result = extract_attachment_text(build_pdf(""), "pdf")
    assert result.text == "" and result.needs_ocr


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


def test_short_page_only_introduces_its_file() -> None:
    assert is_introduction("详见附件。", 300)
    assert not is_introduction(REPORT_LINE * 30, 300)


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


def run_pipeline(sqlite_url: str, files: dict[str, bytes]) -> ReportPage:
    """Run the pipeline on the intro page with an engine that serves files from memory."""

    async def download_async(request: Request) -> Response:
        name = request.url.rsplit("/", 1)[-1]
        status = 200 if name in files else 404
        return Response(request.url, status=status, body=files.get(name, b""), request=request)

    crawler = SimpleNamespace(engine=SimpleNamespace(download_async=download_async), stats=None)
    pipeline = AttachmentPipeline(crawler, sqlite_url, 5, 300)  # type: ignore[arg-type]
    pipeline.open_spider()
    item = ReportPage(url=PAGE_URL, status=200, body=INTRO_PAGE.encode(), portal_homepage="")
    item.extracted = extract_page(item.body, item.url)
    asyncio.run(pipeline.process_item(item))
    pipeline.close_spider()
    return item


def test_pipeline_makes_attachment_text_the_report_text(sqlite_url: str, engine: Engine) -> None:
    files = {"report.pdf": build_pdf(REPORT_LINE), "scan.pdf": build_pdf(""), "broken.docx": b"x"}
    item = run_pipeline(sqlite_url, files)
    assert item.extracted is not None and item.extracted.text == REPORT_LINE
    assert item.text_source == "attachment" and not item.needs_ocr
    with Session(engine) as session:
        rows = {Path(row.url).name: row for row in attachments_of(session, PAGE_URL)}
        failures = session.scalars(select(Failure.url)).all()
    assert rows["scan.pdf"].needs_ocr and rows["report.pdf"].text == REPORT_LINE
    assert failures == ["https://www.x.gov.cn/zwgk/202402/broken.docx"]


def test_pipeline_flags_scan_only_report_for_ocr(sqlite_url: str, engine: Engine) -> None:
    item = run_pipeline(sqlite_url, {"scan.pdf": build_pdf("")})
    assert item.needs_ocr and item.text_source == "page"
    with Session(engine) as session:
        failures = session.scalars(select(Failure.message)).all()
    assert sorted(failures) == ["HTTP 404", "HTTP 404"]
