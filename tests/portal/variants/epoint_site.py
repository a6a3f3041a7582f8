"""An Epoint 新点 WebBuilder district portal: columns at /<path>/<code>/city_build.html with
later pages <code>/2.html, …, articles at /<path>/<code>/YYYYMMDD/<uuid>.html with a
"时间发布：/信息来源：" detail line and an ewb-file attachment block. The report page only
introduces its PDF: a few header lines typed into the body (时间/来源/作者/附件下载) and
"全文见附件"; the report's text is in the attachment."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

import uuid
from datetime import datetime
from html import escape

from tests.fixtures.attachments.documents import build_text_pdf
from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import gongchangling_2022

HOST = "www.gcl.gov.cn"
NAME = "辽阳市弓长岭区人民政府"
BUREAU = "弓长岭区司法局"
REPORT_TITLE = "弓长岭区人民政府2022年法治政府建设年度报告"
COLUMN_DIR = "/zwgk/004002/"
COLUMN = "法治政府建设"
PER_PAGE = 4
REPORT_PUBLISHED = datetime(2023, 3, 28, 14, 5)
PDF = "application/pdf"


def _uuid(article: Article) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{HOST}/{article.doc_id}"))


def article_path(article: Article) -> str:
    assert article.published is not None
    return f"{COLUMN_DIR}{article.published:%Y%m%d}/{_uuid(article)}.html"


def attachment_path(article: Article) -> str:
    assert article.published is not None
    return f"/EpointWebBuilder/attach/{article.published:%Y%m}/{_uuid(article)[:8]}.pdf"


def list_name(number: int) -> str:
    return "city_build.html" if number == 1 else f"{number}.html"


def report_introduction() -> tuple[str, ...]:
    return (
        "时间：2023年3月28日",
        f"来源：{BUREAU}",
        "作者：刘晓东",
        "附件下载：",
        f"现将《{REPORT_TITLE}》予以公开，全文见附件。",
    )


def entries() -> tuple[tuple[Article, bytes | None], ...]:
    """Each article with the PDF its page links, if any."""
    report = Article(2293, REPORT_TITLE, REPORT_PUBLISHED, BUREAU, report_introduction())
    disclosure_title, disclosure_text = filler.disclosure_report("弓长岭区", 2022)
    disclosure = Article(
        2240, disclosure_title, datetime(2023, 1, 30, 9, 0), BUREAU, ("详见附件。",)
    )
    plain = (
        look_alike(
            2301, filler.meeting_news("弓长岭区", 2023), datetime(2023, 4, 3, 17, 0), BUREAU
        ),
        look_alike(
            2100, filler.implementation_plan("弓长岭区"), datetime(2022, 2, 14, 9, 0), BUREAU
        ),
        *yearly_look_alikes(2400, "弓长岭区", range(2023, 2026), BUREAU),
    )
    return (
        (report, build_text_pdf(list(gongchangling_2022()))),
        (disclosure, build_text_pdf(list(disclosure_text))),
        *((article, None) for article in plain),
    )


def articles() -> tuple[Article, ...]:
    return tuple(article for article, _ in entries())


def _article_main(article: Article, attached: bool) -> str:
    assert article.published is not None
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    files = (
        f'<li><a href="{attachment_path(article)}" target="_blank">{escape(article.title)}.pdf</a></li>'
        if attached
        else ""
    )
    return f"""<div class="location"><p class="location-text">当前位置：<a href="/">首页</a> &gt; <a href="{COLUMN_DIR}{list_name(1)}">{COLUMN}</a></p></div>
<div class="main row"><div class="col-md-18" id="detailContent">
<h1 class="title">{escape(article.title)}</h1>
<div class="detail clearfix"><span>时间发布：{article.published:%Y-%m-%d %H:%M}</span>
<span id="infoViewCountSpan">阅读次数: <span id="infoViewCount"></span>次</span>
<span id="laiyuan">信息来源：{escape(article.source or NAME)}</span>
<span id="detailmessage">字体：[<a class="bigger" href="javascript:;">大</a> <a class="medium" href="javascript:;">中</a> <a class="smaller" href="javascript:;">小</a>]</span>
<span><a id="print" href="javascript:void(0);">【打印文章】</a></span></div>
<div class="content">{body}
<div class="ewb-file"><div class="ewb-file-tt">附件：</div><div class="ewb-file-box"><ul id="fujian">{files}</ul></div></div>
</div><p id="xgwz">相关文章:</p><ul id="xgwzli"></ul></div></div>"""


def _list_main(chunk: tuple[Article, ...], number: int, count: int) -> str:
    rows = "".join(
        f'<li class="ewb-list-node"><a href="{article_path(a)}" title="{escape(a.title)}" target="_blank" '
        f'class="ewb-list-name">{escape(a.title)}</a><span class="ewb-list-date">{a.published:%Y-%m-%d}</span></li>'
        for a in chunk
    )
    numbers = "".join(
        f'<li class="ewb-page-li current">{n}</li>'
        if n == number
        else f'<li class="ewb-page-li"><a href="{list_name(n)}">{n}</a></li>'
        for n in range(1, count + 1)
    )
    following = (
        f'<li class="ewb-page-li ewb-page-hover"><a href="{list_name(number + 1)}">下页</a></li>'
        if number < count
        else ""
    )
    return f"""<div class="location"><p class="location-text">当前位置：<a href="/">首页</a> &gt; {COLUMN}</p></div>
<ul class="ewb-list" id="showList">{rows}</ul>
<div class="ewb-page"><ul>{numbers}{following}<li class="ewb-page-li">{number}/{count}</li></ul></div>"""


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge">
<meta name="SiteName" content="{NAME}"><meta name="SiteDomain" content="{HOST}"><meta name="SiteIDCode" content="2110050001">
<title>{escape(title)}-{NAME}</title>
<link rel="stylesheet" href="/css/common.css"><link rel="stylesheet" href="/css/info_open_detail.css">
<script src="/js/jquery.min.js"></script></head>
<body><div id="container"><div class="box">
<div id="header"><a href="/">{NAME}</a> <a href="{COLUMN_DIR}{list_name(1)}">{COLUMN}</a></div>
<div class="container clearfix">{main}</div>
<div id="footer">主办单位：{NAME}办公室　网站标识码：2110050001　辽ICP备05003311号</div>
</div></div>
<script src="/js/webbuildercommon.js"></script></body>
</html>
""",
        last_modified=last_modified,
    )


def build_epoint_site() -> Site:
    entries_ = entries()
    all_articles = articles()
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/EpointWebBuilder/rest/", "/search/"))}
    home = f'<a href="{COLUMN_DIR}{list_name(1)}">{COLUMN}</a>'
    pages["/"] = pages["/index.html"] = _render(NAME, home, None)
    chunks = pages_of(all_articles, PER_PAGE)
    for number, chunk in enumerate(chunks, start=1):
        newest = max(a.published for a in chunk if a.published)
        pages[COLUMN_DIR + list_name(number)] = _render(
            COLUMN, _list_main(chunk, number, len(chunks)), newest
        )
    for article, attachment in entries_:
        pages[article_path(article)] = _render(
            article.title, _article_main(article, attachment is not None), article.published
        )
        if attachment is not None:
            pages[attachment_path(article)] = Page(attachment, PDF, article.published)
    return Site(HOST, pages)
