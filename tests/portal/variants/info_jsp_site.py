"""A county portal on the `/info/iList.jsp` disclosure platform (Sichuan, Shaanxi, Xinjiang and
Shanghai portals run it): every column is a number. The homepage's way to the reports is named
only by its anchor, 政务公开 (`/info/nIndex.jsp?node_id=…`), whose catalogue lists categories
as `/info/iList.jsp?node_id=…&cat_id=N`; the report sits on the second page of 计划总结, in a
`div.list_div` list paged by `cur_page=N`, whose pager links only its first and last pages
(上一页/下一页 submit a form by script). The article shows its fields as `#attribute` spans and
its text in `section > article`. Unlike the other variants it is not held out: it came with
the column names and page-parameter spellings the crawl learned for it."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import mianzhu_2023

HOST = "www.mz.gov.cn"
NAME = "绵竹市人民政府"
NODE = "GKmzs"
BUREAU = "绵竹市司法局"
OFFICE = "绵竹市人民政府办公室"
REPORT_TITLE = "绵竹市2023年法治政府建设年度报告"
REPORT_PUBLISHED = datetime(2024, 3, 5, 10, 20)
PER_PAGE = 5
PLANS = 15975  # 计划总结
# The catalogue's categories, as the platform names them; only some lead anywhere.
CATEGORIES = {
    15970: "政府信息公开指南",
    15972: "政府信息公开制度",
    15973: "机构信息",
    15974: "政策文件",
    15971: "法定主动公开内容",
    PLANS: "计划总结",
    24186: "公示公告",
    15980: "政府信息公开年报",
}


def list_path(cat_id: int, page: int | None = None) -> str:
    suffix = f"&cur_page={page}" if page is not None else ""
    return f"/info/iList.jsp?node_id={NODE}&cat_id={cat_id}{suffix}"


def article_path(cat_id: int, article: Article) -> str:
    return f"/info/{cat_id}/{article.doc_id}.htm"


def categories() -> dict[int, tuple[Article, ...]]:
    report = Article(60417, REPORT_TITLE, REPORT_PUBLISHED, BUREAU, mianzhu_2023())
    plans = (
        report,
        *yearly_look_alikes(60100, "绵竹市", range(2019, 2027), OFFICE),
        look_alike(60390, filler.implementation_plan("绵竹市"), datetime(2022, 6, 8, 9, 0), BUREAU),
    )
    notices = (
        look_alike(
            60421, filler.meeting_news("绵竹市", 2024), datetime(2024, 3, 18, 15, 0), OFFICE
        ),
        look_alike(
            60433,
            filler.interpretation("绵竹市2023年法治政府建设年度报告"),
            datetime(2024, 3, 20, 9, 0),
            OFFICE,
        ),
    )
    return {PLANS: plans, 24186: notices}


def _pager(cat_id: int, count: int, total: int) -> str:
    return (
        f'<div class="page">共{total}条记录 分{count}页 '
        f'<a href="{escape(list_path(cat_id, 1))}">首页</a> '
        '<a href="javascript:void(0)" onclick="turnPage(-1)">上一页</a> '
        '<a href="javascript:void(0)" onclick="turnPage(1)">下一页</a> '
        f'<a href="{escape(list_path(cat_id, count))}">尾页</a></div>'
    )


def _list_main(cat_id: int, chunk: tuple[Article, ...], count: int, total: int) -> str:
    rows = "".join(
        f'<li><a href="{article_path(cat_id, a)}" title="{escape(a.title)}" target="_blank">{escape(a.title)}</a>'
        f"<span>{a.published:%Y-%m-%d}</span></li>"
        for a in chunk
        if a.published
    )
    return (
        f'<div class="gk_location">当前位置：<a href="/">首页</a> &gt; <a href="/info/nIndex.jsp?node_id={NODE}">政务公开</a> &gt; {CATEGORIES[cat_id]}</div>'
        f'<div class="list_div"><ul>{rows}</ul></div>{_pager(cat_id, count, total)}'
        '<form name="pageForm" method="post"><input type="hidden" name="cur_page"></form>'
    )


def _article_main(article: Article) -> str:
    assert article.published is not None
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""<section><h1>{escape(article.title)}</h1>
<div id="attribute"><span>索引号：{NODE}-{article.published:%Y}-{article.doc_id}</span><span>文号：无</span><span>发布日期：{article.published:%Y-%m-%d}</span><span>主题分类：其他</span><span>发布机构：{escape(article.source or OFFICE)}</span><span>关键词：</span></div>
<article>{body}</article>
<div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div></section>"""


def _catalogue_main() -> str:
    links = "".join(
        f'<li><a href="{escape(list_path(cat_id))}">{name}</a></li>'
        for cat_id, name in CATEGORIES.items()
    )
    return f'<div class="gk_tree"><h3>政府信息公开目录</h3><ul>{links}</ul></div>'


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/images/style.css">
</head>
<body>
<div class="top"><a href="/"><img src="/images/logo.png" alt="{NAME}"></a></div>
<div class="nav"><a href="/">网站首页</a><a href="/info/iList.jsp?cat_id=10002">新闻中心</a><a href="/info/nIndex.jsp?node_id={NODE}">政务公开</a><a href="/ggfw/fwIndex.jsp?cat_id=20001">办事服务</a><a href="/hdjl/index.jsp">互动交流</a></div>
<div class="main">{main}</div>
<div class="foot">主办：{NAME}　承办：{OFFICE}　网站标识码：5106830001　蜀ICP备05001234号</div>
</body>
</html>
""",
        "utf-8",
        last_modified,
    )


def build_info_jsp_site() -> Site:
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/admin/",))}
    news = "".join(
        f'<li><a href="/info/10002/{50000 + n}.htm">绵竹市召开第{n}次常务会议</a></li>'
        for n in range(1, 4)
    )
    pages["/"] = _render(NAME, f'<div class="news"><ul>{news}</ul></div>', None)
    pages[f"/info/nIndex.jsp?node_id={NODE}"] = _render(f"政务公开-{NAME}", _catalogue_main(), None)
    columns = categories()
    for cat_id in CATEGORIES:
        articles = columns.get(cat_id, ())
        chunks = pages_of(articles, PER_PAGE)
        for number, chunk in enumerate(chunks, start=1):
            page = _render(
                f"{CATEGORIES[cat_id]}-{NAME}",
                _list_main(cat_id, chunk, len(chunks), len(articles)),
                max((a.published for a in chunk if a.published), default=None),
            )
            pages[list_path(cat_id, number)] = page
            if number == 1:
                pages[list_path(cat_id)] = page
        for article in articles:
            pages[article_path(cat_id, article)] = _render(
                f"{article.title}-{NAME}", _article_main(article), article.published
            )
    return Site(HOST, pages)
