"""Bounded cost per document: zip bombs, long PDFs, link farms and huge pages end as a typed
failure or a bounded result, before they cost gigabytes."""

from __future__ import annotations

import logging

import pytest
from lxml import html as lxml_html
from parsel import Selector

from crawler.discovery import links
from crawler.discovery.links import page_links
from crawler.extraction import attachments
from crawler.extraction.attachments import UnreadableAttachment, extract_attachment_text
from crawler.extraction.body import extract_attachments
from tests.fixtures.attachments.documents import build_ofd
from tests.fixtures.hostile import (
    MB,
    docx_bomb,
    link_farm_page,
    many_members_zip,
    ofd_bomb,
    slow_pdf,
)

PAGE_URL = "http://www.x.gov.cn/fzzf/index.html"


def test_docx_bomb_is_refused_by_its_declared_size() -> None:
    with pytest.raises(UnreadableAttachment, match=r"word/document.xml inflates past 50 MB"):
        extract_attachment_text(docx_bomb(), "docx")


def test_docx_bomb_lying_about_its_size_stops_at_the_declared_size() -> None:
    with pytest.raises(UnreadableAttachment, match=r"word/document.xml is corrupt: Bad CRC"):
        extract_attachment_text(docx_bomb(declared=10_000), "docx")


def test_ofd_bomb_is_refused_by_its_declared_size() -> None:
    with pytest.raises(UnreadableAttachment, match=r"Page_0/Content.xml inflates past 50 MB"):
        extract_attachment_text(ofd_bomb(), "ofd")


def test_ofd_bomb_lying_about_its_size_stops_at_the_declared_size() -> None:
    with pytest.raises(UnreadableAttachment, match=r"Page_0/Content.xml is corrupt: Bad CRC"):
        extract_attachment_text(ofd_bomb(declared=1000), "ofd")


def test_member_under_the_size_cap_but_past_the_ratio_is_refused() -> None:
    with pytest.raises(UnreadableAttachment, match="past a ratio of 200:1"):
        extract_attachment_text(docx_bomb(inflated=32 * MB), "docx")


def test_zip_of_too_many_members_is_refused() -> None:
    with pytest.raises(UnreadableAttachment, match="more than 5000 members"):
        extract_attachment_text(many_members_zip(), "docx")


def test_ofd_pages_share_one_inflation_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "MAX_INFLATED_BYTES", 1 * MB)
    page = "法治" * 100_000  # 600 kB of UTF-8 a page: the second page passes the budget
    with pytest.raises(UnreadableAttachment, match=r"Page_1/Content.xml inflates past"):
        extract_attachment_text(build_ofd([page, page]), "ofd")


def test_pdf_of_too_many_pages_is_refused() -> None:
    pages = attachments.MAX_PDF_PAGES + 1
    with pytest.raises(UnreadableAttachment, match=f"PDF of {pages} pages"):
        extract_attachment_text(slow_pdf(pages=pages, operators_per_page=1), "pdf")


def test_link_farm_gives_the_first_links_and_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    hrefs = [f"/fzzf/content_{n}.html" for n in range(100_000)]
    page = link_farm_page("XX县2023年法治政府建设年度报告", hrefs)
    with caplog.at_level(logging.WARNING, logger=links.__name__):
        found = page_links(Selector(body=page, type="html"), PAGE_URL)
    assert [link.url for link in found] == [
        f"http://www.x.gov.cn/fzzf/content_{n}.html" for n in range(links.MAX_LINKS_PER_PAGE)
    ]
    assert len(caplog.records) == 1


def test_page_at_the_link_cap_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    hrefs = [f"/fzzf/content_{n}.html" for n in range(links.MAX_LINKS_PER_PAGE)]
    page = link_farm_page("XX县2023年法治政府建设年度报告", hrefs)
    with caplog.at_level(logging.WARNING, logger=links.__name__):
        found = page_links(Selector(body=page, type="html"), PAGE_URL)
    assert len(found) == links.MAX_LINKS_PER_PAGE and not caplog.records


def test_attachment_links_of_a_link_farm_are_kept_once_in_page_order() -> None:
    hrefs = [f"/files/{n % 50_000}.pdf" for n in range(100_000)]
    tree = lxml_html.document_fromstring(link_farm_page("附件", hrefs))
    found = extract_attachments(tree, PAGE_URL)
    assert found == tuple(f"http://www.x.gov.cn/files/{n}.pdf" for n in range(50_000))
