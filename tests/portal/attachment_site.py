"""A city portal (TRS) publishing its districts' reports as attachments the page only
introduces: a text PDF, a scan without a text layer, an annex DOCX cut off mid-upload, and
a 信息公开年报 whose PDF must stay unfetched (files of non-reports are not downloaded)."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from html import escape

from tests.fixtures.attachments.documents import build_docx, build_scanned_pdf, build_text_pdf
from tests.portal import filler
from tests.portal.fixtures import qiaokou_2024_body
from tests.portal.site import Article, Column, Page, Site, SiteInfo
from tests.portal.trs_site import TrsStyle, article_href, build_trs_site

QIAOKOU_2023_TITLE = "硚口区2023年度法治政府建设情况报告"
JIANG_AN_2023_TITLE = "江岸区2023年度法治政府建设情况报告"
DISCLOSURE_TITLE, DISCLOSURE_PARAGRAPHS = filler.disclosure_report("武汉市", 2023)
# TRS templates print the attachment block after the editor's content, before the tools.
_CONTENT_END = '</div></div><div class="article-tools">'
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclasses.dataclass(frozen=True)
class Attachment:
    name: str  # the link text: the file's name as uploaded
    body: bytes
    content_type: str


def qiaokou_2023_body() -> tuple[str, ...]:
    """The seed holds 硚口区's 2024 report only; the portal derives the previous year's from it
    (every year one earlier), as `lanzhou_2022_body` does: a text no other site serves."""
    return tuple(
        re.sub(r"20(1\d|2\d)年", lambda m: f"{int(m.group(0)[:4]) - 1}年", p)
        for p in qiaokou_2024_body()
    )


def introduction(title: str) -> tuple[str, ...]:
    return (f"现将《{title}》予以公开，详见附件。",)


def _articles() -> tuple[tuple[Article, tuple[Attachment, ...]], ...]:
    qiaokou = Article(
        5012,
        QIAOKOU_2023_TITLE,
        datetime(2024, 3, 20, 10, 30),
        "硚口区司法局",
        introduction(QIAOKOU_2023_TITLE),
    )
    jiang_an = Article(
        5020,
        JIANG_AN_2023_TITLE,
        datetime(2024, 3, 25, 16, 5),
        "江岸区司法局",
        introduction(JIANG_AN_2023_TITLE),
    )
    disclosure = Article(
        4988,
        DISCLOSURE_TITLE,
        datetime(2024, 1, 30, 9, 0),
        "武汉市人民政府办公厅",
        DISCLOSURE_PARAGRAPHS,
    )
    annex = build_docx(["硚口区2023年度法治政府建设重点任务完成情况表", "序号 任务 完成情况"])
    return (
        (
            qiaokou,
            (
                Attachment(
                    f"{QIAOKOU_2023_TITLE}.pdf", build_text_pdf(list(qiaokou_2023_body())), PDF
                ),
                # Cut off mid-upload: a broken zip.
                Attachment("附件2：重点任务完成情况表.docx", annex[: len(annex) // 2], DOCX),
            ),
        ),
        (jiang_an, (Attachment(f"{JIANG_AN_2023_TITLE}（扫描件）.pdf", build_scanned_pdf(), PDF),)),
        (
            disclosure,
            (
                Attachment(
                    f"{DISCLOSURE_TITLE}.pdf", build_text_pdf(list(DISCLOSURE_PARAGRAPHS)), PDF
                ),
            ),
        ),
    )


def attachment_href(article: Article, number: int, name: str) -> str:
    """TRS stores uploads next to the article: ./YYYYMM/P0YYYYMMDD<id><n>.<ext>."""
    assert article.published is not None
    extension = name.rsplit(".", 1)[-1]
    return f"./P0{article.published:%Y%m%d}{article.doc_id}{number:02d}.{extension}"


def build_attachment_site() -> Site:
    info = SiteInfo(
        "www.wuhan.gov.cn",
        "武汉市人民政府",
        "武汉市人民政府办公厅",
        "4201000003",
        "鄂ICP备05002127号",
    )
    articles = _articles()
    fzzfjs = Column("fzzfjs", "法治政府建设", tuple(article for article, _ in articles))
    zwgk = Column(
        "zwgk",
        "政府信息公开",
        children=(Column("fdzdgknr", "法定主动公开内容", children=(fzzfjs,)),),
    )
    site = build_trs_site(info, (zwgk,), TrsStyle(per_page=10))
    pages = dict(site.pages)
    for article, files in articles:
        article_path = "/zwgk/fdzdgknr/fzzfjs/" + article_href(article)[2:]
        folder = article_path.rsplit("/", 1)[0] + "/"
        links = []
        for number, file in enumerate(files, start=1):
            href = attachment_href(article, number, file.name)
            pages[folder + href[2:]] = Page(file.body, file.content_type, article.published)
            links.append(f'<li><a href="{href}">{escape(file.name)}</a></li>')
        pages[article_path] = _with_attachment_block(pages[article_path], "".join(links))
    return Site(site.host, pages, site.post_handlers)


def _with_attachment_block(page: Page, links: str) -> Page:
    text = page.body.decode("utf-8")
    if _CONTENT_END not in text:
        raise ValueError("the TRS article template changed: no place for the attachment block")
    block = f'<div class="fujian">附件：<ul>{links}</ul></div>'
    content, tools = _CONTENT_END.split("<div", 1)[0], _CONTENT_END[len("</div></div>") :]
    text = text.replace(_CONTENT_END, content + block + tools, 1)
    return dataclasses.replace(page, body=text.encode("utf-8"))
