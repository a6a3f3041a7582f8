"""OCR of scanned reports: a page image made from a seed text is read back almost exactly, by
RapidOCR's bundled models on this machine; a scan with no text stays flagged needs_ocr."""

from __future__ import annotations

import functools
import io
import unicodedata
from pathlib import Path

from crawler.extraction.attachments import AttachmentText, extract_attachment_text
from crawler.extraction.ocr import pdf_page_images
from crawler.items import ReportPage
from tests.fixtures.attachments.documents import build_scanned_pdf
from tests.test_attachments import run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "attachments"
SCAN = (FIXTURES / "scan_lanzhou_2023.pdf").read_bytes()
PRINTED = (FIXTURES / "scan_lanzhou_2023.txt").read_text(encoding="utf-8")


def comparable(text: str) -> str:
    """Full- and half-width punctuation alike (NFKC), spaces and line breaks ignored."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ch in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch != other))
            )
        previous = current
    return previous[-1]


def character_accuracy(recognised: str, truth: str) -> float:
    truth = comparable(truth)
    return 1 - edit_distance(comparable(recognised), truth) / len(truth)


@functools.cache
def read_scan() -> AttachmentText:
    return extract_attachment_text(SCAN, "pdf", ocr_max_pages=5)


def test_scanned_pdf_is_read_by_ocr_to_95_percent_of_its_characters() -> None:
    result = read_scan()
    assert not result.needs_ocr and result.ocr_confidence is not None
    assert character_accuracy(result.text, PRINTED) >= 0.95


def test_image_file_is_read_by_ocr() -> None:
    (page,) = pdf_page_images(SCAN, max_pages=1)
    top = page.crop((0, 0, page.width, 390))  # the first six printed lines, 46 px apart
    png = io.BytesIO()
    top.save(png, "PNG")
    result = extract_attachment_text(png.getvalue(), "png", ocr_max_pages=1)
    assert character_accuracy(result.text, "".join(PRINTED.split("\n")[:6])) >= 0.95


def test_scan_without_text_stays_flagged_for_ocr() -> None:
    result = extract_attachment_text(build_scanned_pdf(pages=1), "pdf", ocr_max_pages=5)
    assert (result.text, result.needs_ocr, result.ocr_confidence) == ("", True, None)


def test_ocr_switched_off_leaves_the_scan_flagged() -> None:
    result = extract_attachment_text(SCAN, "pdf", ocr_max_pages=0)
    assert (result.text, result.needs_ocr) == ("", True)


def test_pipeline_takes_the_recognised_text_as_the_report_text() -> None:
    item = run_pipeline({"report.pdf": SCAN}, ocr_max_pages=5)
    assert isinstance(item, ReportPage)
    assert item.text_source == "ocr" and not item.needs_ocr
    assert item.extracted is not None and item.extracted.text == read_scan().text
    (record,) = [r for r in item.attachments if r.url.endswith("report.pdf")]
    assert record.ocr_confidence is not None and record.ocr_confidence > 0.9
