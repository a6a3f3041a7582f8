"""An old ASP county portal (GBK): lists at /news/list.asp?classid=N paged as &page=N by a
"共 N 条记录 页次：1/3" bar with 首页/上一页/下一页/尾页 links, articles at
/news/show.asp?id=N in a table layout with unpadded dates ("2024-3-15 9:30:12") and 来源.
Its report went out as a letter: "关于报送2023年法治政府建设情况的函", the report being the
letter's body."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import yunxi_2023_letter

HOST = "www.yunxi.gov.cn"
NAME = "岳阳市云溪区人民政府"
OFFICE = "云溪区人民政府办公室"
BUREAU = "云溪区司法局"
REPORT_TITLE = "关于报送2023年法治政府建设情况的函"
PER_PAGE = 3
CHARSET = "gb2312"
CLASSES = {12: "法治政府", 3: "通知公告"}


def list_url(classid: int, page: int = 1) -> str:
    return f"/news/list.asp?classid={classid}" + (f"&page={page}" if page > 1 else "")


def show_url(article: Article) -> str:
    return f"/news/show.asp?id={article.doc_id}"


def _unpadded(moment: datetime) -> str:
    return f"{moment.year}-{moment.month}-{moment.day} {moment.hour}:{moment.minute:02d}:{moment.second:02d}"


def classes() -> dict[int, tuple[Article, ...]]:
    report = Article(
        3456, REPORT_TITLE, datetime(2024, 3, 15, 9, 30, 12), OFFICE, yunxi_2023_letter()
    )
    fzzf = (
        report,
        look_alike(
            3301, filler.implementation_plan("云溪区"), datetime(2021, 11, 26, 10, 0), BUREAU
        ),
        *yearly_look_alikes(3100, "云溪区", range(2018, 2027), BUREAU),
    )
    notices = (
        look_alike(3470, filler.meeting_news("云溪区", 2024), datetime(2024, 3, 20, 16, 0), OFFICE),
        look_alike(
            3481,
            filler.interpretation("云溪区2023年法治政府建设情况报告"),
            datetime(2024, 3, 22, 9, 0),
            OFFICE,
        ),
    )
    return {12: fzzf, 3: notices}


def _pager(classid: int, number: int, count: int, total: int) -> str:
    def link(text: str, page: int, active: bool) -> str:
        return (
            f'<a href="list.asp?classid={classid}&amp;page={page}">{text}</a>' if active else text
        )

    return (
        f'<table width="100%"><tr><td align="center" class="page">共 {total} 条记录&nbsp;&nbsp;'
        f"页次：{number}/{count}&nbsp;&nbsp;每页 {PER_PAGE} 条&nbsp;&nbsp;"
        f"{link('首页', 1, number > 1)} {link('上一页', number - 1, number > 1)} "
        f"{link('下一页', number + 1, number < count)} {link('尾页', count, number < count)}"
        "</td></tr></table>"
    )


def _list_main(
    classid: int, chunk: tuple[Article, ...], number: int, count: int, total: int
) -> str:
    rows = "".join(
        f'<tr><td width="20"><img src="/images/dot.gif"></td>'
        f'<td class="list"><a href="show.asp?id={a.doc_id}" target="_blank">{escape(a.title)}</a></td>'
        f'<td width="90" class="date">{a.published:%Y-%m-%d}</td></tr>'
        for a in chunk
        if a.published
    )
    return (
        f'<table width="100%" class="lm"><tr><td class="lm_title">当前位置：<a href="/">首页</a> &gt;&gt; '
        f"{CLASSES[classid]}</td></tr></table>"
        f'<table width="100%" cellpadding="0" cellspacing="0">{rows}</table>{_pager(classid, number, count, total)}'
    )


def _show_main(article: Article) -> str:
    assert article.published is not None
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""<table width="100%" cellpadding="0" cellspacing="0" class="show">
<tr><td align="center" class="show_title"><b>{escape(article.title)}</b></td></tr>
<tr><td align="center" class="show_info">发布时间：{_unpadded(article.published)}&nbsp;&nbsp;来源：{escape(article.source or OFFICE)}&nbsp;&nbsp;点击：<script src="/news/count.asp?id={article.doc_id}"></script>次</td></tr>
<tr><td class="show_content">{body}</td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印此文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>"""


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    nav = "".join(f'<a href="{list_url(c)}">{name}</a> | ' for c, name in CLASSES.items())
    return html_page(
        f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={CHARSET}">
<title>{escape(title)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
</head>
<body topmargin="0" leftmargin="0">
<table width="980" align="center" cellpadding="0" cellspacing="0"><tr><td class="top"><a href="/">{NAME}</a></td></tr>
<tr><td class="nav"><a href="/">网站首页</a> | {nav}</td></tr>
<tr><td>{main}</td></tr>
<tr><td class="bottom">版权所有：{NAME}　承办：{OFFICE}　湘ICP备05001234号</td></tr></table>
</body>
</html>
""",
        CHARSET,
        last_modified,
    )


def build_asp_site() -> Site:
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/admin/", "/inc/", "/database/"))}
    # An editor's link left on the homepage to the back office, which robots.txt closes.
    draft = '<a href="/admin/show.asp?id=3457">待审核稿件</a>'
    pages["/"] = pages["/index.asp"] = _render(NAME, draft, None)
    for classid, articles in classes().items():
        chunks = pages_of(articles, PER_PAGE)
        for number, chunk in enumerate(chunks, start=1):
            main = _list_main(classid, chunk, number, len(chunks), len(articles))
            newest = max(a.published for a in chunk if a.published)
            pages[f"/news/list.asp?classid={classid}&page={number}"] = _render(
                f"{CLASSES[classid]}-{NAME}", main, newest
            )
        pages[list_url(classid)] = pages[f"/news/list.asp?classid={classid}&page=1"]
        for article in articles:
            pages[show_url(article)] = _render(
                f"{article.title}-{NAME}", _show_main(article), article.published
            )
    letter = Article(3457, REPORT_TITLE, datetime(2024, 3, 13, 8, 0), OFFICE, yunxi_2023_letter())
    pages["/admin/show.asp?id=3457"] = _render(REPORT_TITLE, _show_main(letter), letter.published)
    return Site(HOST, pages)
