"""Two TRS WCM portals whose column pagers are not the `createPageHTML(n, i, "index", "html")`
call of the main portal's TRS sites:

- 孝南区 (a Hubei template): pages index.shtml, index_1.shtml, … counted by
  `pageControl(n, i, "index", "shtml", 10, 'pages-nav')` from page_control.js;
- 丹徒区 (a Zhenjiang template): pages xxgk_list.shtml, xxgk_list_2.shtml, … (1-based, no
  "index") counted by `createPageHTML('page_div', n, i, 'xxgk_list', 'shtml', total)`, the
  container id first.

Both write articles at ./YYYYMM/tYYYYMMDD_ID.shtml with the TRS meta tags."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import dantu_2024, xiaonan_2022

XIAONAN_TITLE = "孝南区2022年度法治政府建设年度报告"
DANTU_TITLE = "丹徒区2024年度法治政府建设情况报告"


@dataclass(frozen=True)
class TrsPortal:
    host: str
    name: str
    id_code: str
    column_path: str  # the column's directory, e.g. /zwgk/fdzdgknr/fzzfjs/
    column_name: str
    per_page: int
    # The file name of list page `number` (0-based) and the pager script of a page.
    page_name: Callable[[int], str]
    pager: Callable[[int, int, int], str]
    list_row: Callable[[Article], str]
    body_class: str


def article_href(article: Article) -> str:
    day = article.published
    assert day is not None
    return f"./{day:%Y%m}/t{day:%Y%m%d}_{article.doc_id}.shtml"


def _article_page(portal: TrsPortal, article: Article) -> Page:
    assert article.published is not None
    meta = (
        f'<meta name="ArticleTitle" content="{escape(article.title)}">'
        f'<meta name="PubDate" content="{article.published:%Y-%m-%d %H:%M}">'
        f'<meta name="ContentSource" content="{escape(article.source or portal.name)}">'
        f'<meta name="ColumnName" content="{portal.column_name}">'
    )
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    main = f"""<div class="article"><h1>{escape(article.title)}</h1>
<div class="info"><span>发布时间：{article.published:%Y-%m-%d %H:%M}</span><span>信息来源：{escape(article.source or portal.name)}</span><span>【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</span></div>
<div class="article-content" id="zoomcon"><div class="{portal.body_class}">{body}</div></div></div>"""
    return _layout(portal, article.title, main, meta, article.published)


def _layout(
    portal: TrsPortal, title: str, main: str, meta: str, last_modified: datetime | None
) -> Page:
    return html_page(
        f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{escape(title)}_{portal.name}</title>
<meta name="SiteName" content="{portal.name}"><meta name="SiteDomain" content="{portal.host}">
<meta name="SiteIDCode" content="{portal.id_code}">{meta}
<script src="/images/newsList/page_control.js"></script></head>
<body>
<div class="header"><a href="/">{portal.name}</a>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="{portal.column_path}{portal.page_name(0)}">{portal.column_name}</a></li></ul></div>
<div class="main">{main}</div>
<div class="footer">主办：{portal.name}办公室　网站标识码：{portal.id_code}</div>
</body></html>
""",
        last_modified=last_modified,
    )


def _build(portal: TrsPortal, articles: tuple[Article, ...]) -> Site:
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/was5/", "/search/", "/trssearch/"))}
    column = f'<a href="{portal.column_path}{portal.page_name(0)}">{portal.column_name}</a>'
    pages["/"] = pages["/index.shtml"] = _layout(portal, portal.name, column, "", None)
    chunks = pages_of(articles, portal.per_page)
    for number, chunk in enumerate(chunks):
        rows = "".join(portal.list_row(a) for a in chunk)
        main = (
            f'<div class="lm-title">{portal.column_name}</div><ul class="pageList newsList">{rows}</ul>'
            f'<div class="page" id="page_div">{portal.pager(len(chunks), number, len(articles))}</div>'
        )
        newest = max(a.published for a in chunk if a.published)
        pages[portal.column_path + portal.page_name(number)] = _layout(
            portal, portal.column_name, main, "", newest
        )
    pages[portal.column_path] = pages[portal.column_path + portal.page_name(0)]
    for article in articles:
        pages[portal.column_path + article_href(article)[2:]] = _article_page(portal, article)
    return Site(portal.host, pages)


def _hubei_row(article: Article) -> str:
    return (
        f'<li><a href="{article_href(article)}" title="{escape(article.title)}" target="_blank">'
        f'{escape(article.title)}</a><span class="date">{article.published:%Y/%m/%d}</span></li>'
    )


def _zhenjiang_row(article: Article) -> str:
    return (
        f'<li><a href="{article_href(article)}" title="{escape(article.title)}" target="_blank">'
        f'{escape(article.title)}</a><span class="time">{article.published:%Y-%m-%d}</span></li>'
    )


_XIAONAN = TrsPortal(
    host="www.xiaonan.gov.cn",
    name="孝感市孝南区人民政府",
    id_code="4209020001",
    column_path="/zwgk/fdzdgknr/fzzfjs/",
    column_name="法治政府建设",
    per_page=5,
    page_name=lambda n: "index.shtml" if n == 0 else f"index_{n}.shtml",
    pager=lambda count, current, _total: (
        '<div id="pages-nav"></div><script type="text/javascript">'
        f'pageControl({count}, {current}, "index", "shtml", 10, \'pages-nav\');</script>'
    ),
    list_row=_hubei_row,
    body_class="TRS_UEDITOR trs_paper_default trs_web",
)
_DANTU = TrsPortal(
    host="www.dantu.gov.cn",
    name="镇江市丹徒区人民政府",
    id_code="3211120001",
    column_path="/dtq/fzzfjs/",
    column_name="法治政府建设",
    per_page=2,
    page_name=lambda n: "xxgk_list.shtml" if n == 0 else f"xxgk_list_{n + 1}.shtml",
    pager=lambda count, current, total: (
        f"<script>createPageHTML('page_div',{count}, {current + 1},'xxgk_list','shtml',{total});"
        "</script>"
    ),
    list_row=_zhenjiang_row,
    body_class="TRS_Editor",
)


def xiaonan_articles() -> tuple[Article, ...]:
    bureau = "孝南区司法局"
    return (
        Article(4012877, XIAONAN_TITLE, datetime(2023, 3, 20, 16, 2), bureau, xiaonan_2022()),
        look_alike(
            4013001, filler.interpretation(XIAONAN_TITLE), datetime(2023, 3, 24, 9, 0), bureau
        ),
        look_alike(
            3900012, filler.implementation_plan("孝南区"), datetime(2022, 1, 6, 9, 0), bureau
        ),
        *yearly_look_alikes(4100000, "孝南区", range(2021, 2026), bureau),
    )


def dantu_articles() -> tuple[Article, ...]:
    bureau = "丹徒区司法局"
    return (
        Article(4802832, DANTU_TITLE, datetime(2025, 3, 18, 15, 40), bureau, dantu_2024()),
        look_alike(
            4803010, filler.meeting_news("丹徒区", 2025), datetime(2025, 3, 25, 17, 0), bureau
        ),
        look_alike(
            4450021, filler.implementation_plan("丹徒区"), datetime(2022, 5, 9, 9, 0), bureau
        ),
        *yearly_look_alikes(4600000, "丹徒区", range(2022, 2027), bureau),
    )


def article_urls() -> list[tuple[str, str]]:
    """(host, path) of every article both portals serve."""
    return [
        (portal.host, portal.column_path + article_href(article)[2:])
        for portal, articles in ((_XIAONAN, xiaonan_articles()), (_DANTU, dantu_articles()))
        for article in articles
    ]


def build_xiaonan_site() -> Site:
    return _build(_XIAONAN, xiaonan_articles())


def build_dantu_site() -> Site:
    return _build(_DANTU, dantu_articles())
