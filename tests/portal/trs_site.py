"""TRS WCM-style sites: directory columns paged as index.html, index_1.html, … (count in
`createPageHTML(n, i, "index", "html")`), articles at ./YYYYMM/tYYYYMMDD_ID.html with the
body in div.TRS_Editor and TRS meta tags (ArticleTitle, PubDate, ContentSource, SiteIDCode);
optionally a was5 search form in the header, and retired columns only the search still finds."""

from dataclasses import dataclass
from html import escape

from tests.portal.chrome import article_tools, breadcrumb, font_switch, footer, paragraphs_html
from tests.portal.search import search_results_page
from tests.portal.site import (
    Article,
    Column,
    Page,
    Site,
    SiteInfo,
    html_page,
    latest_first,
    newest,
    robots_page,
)


@dataclass(frozen=True)
class TrsStyle:
    per_page: int = 5
    suffix: str = "html"
    # Some TRS templates print today's date above every title: a trap for date extraction.
    today_banner: str | None = None
    # The was5 channel of the header's search form; None: no search form.
    search_channel: str | None = None
    disallow: tuple[str, ...] = ("/search/", "/was5/")


SEARCH_PATH = "/was5/web/search"


def build_trs_site(
    info: SiteInfo,
    columns: tuple[Column, ...],
    style: TrsStyle,
    retired: tuple[Column, ...] = (),
) -> Site:
    """`retired` columns are still served (a redesign left them behind) but linked from
    nowhere: only the site search reaches their articles."""
    pages: dict[str, Page] = {"/robots.txt": robots_page(style.disallow)}
    home = html_page(_layout(info, style, columns, info.name, [], _home_main(columns, style)))
    pages["/"] = pages[f"/index.{style.suffix}"] = home
    articles: dict[str, Article] = {}
    for column in (*columns, *retired):
        _add_column(pages, articles, info, style, columns, column, "/", [])
    if style.search_channel is None:
        return Site(info.host, pages)
    search = {
        SEARCH_PATH: lambda f: search_results_page(info.name, articles, f.get("searchword", ""))
    }
    return Site(info.host, pages, get_handlers=search)


def _add_column(
    pages: dict[str, Page],
    articles: dict[str, Article],
    info: SiteInfo,
    style: TrsStyle,
    nav: tuple[Column, ...],
    column: Column,
    parent_path: str,
    parent_crumbs: list[tuple[str, str]],
) -> None:
    path = f"{parent_path}{column.slug}/"
    crumbs = [*parent_crumbs, (column.name, f"{path}index.{style.suffix}")]
    items = latest_first(column.articles)
    chunks = [items[i : i + style.per_page] for i in range(0, len(items), style.per_page)] or [()]
    for number, chunk in enumerate(chunks):
        main = _list_main(column, path, chunk, number, len(chunks), style)
        page = html_page(
            _layout(info, style, nav, column.name, crumbs, main), last_modified=newest(chunk)
        )
        name = "index" if number == 0 else f"index_{number}"
        pages[f"{path}{name}.{style.suffix}"] = page
    pages[path] = pages[f"{path}index.{style.suffix}"]
    for article in column.articles:
        article_path = path + article_href(article, style.suffix)[2:]
        pages[article_path] = _article_page(info, style, nav, column, crumbs, article)
        articles[article_path] = article
    for child in column.children:
        _add_column(pages, articles, info, style, nav, child, path, crumbs)


def article_href(article: Article, suffix: str = "html") -> str:
    """Link from the column directory, as TRS writes it: ./YYYYMM/tYYYYMMDD_ID.html."""
    day = article.url_date or (article.published.date() if article.published else None)
    if day is None:
        raise ValueError(f"TRS article {article.doc_id} needs a date for its URL")
    return f"./{day:%Y%m}/t{day:%Y%m%d}_{article.doc_id}.{suffix}"


def _home_main(columns: tuple[Column, ...], style: TrsStyle) -> str:
    blocks = []
    for column in columns:
        links = [
            f'<li><a href="/{column.slug}/index.{style.suffix}">{escape(column.name)}</a></li>'
        ]
        links += [
            f'<li><a href="/{column.slug}/{c.slug}/index.{style.suffix}">{escape(c.name)}</a></li>'
            for c in column.children
        ]
        blocks.append(
            f'<div class="home-block"><h3>{escape(column.name)}</h3><ul>{"".join(links)}</ul></div>'
        )
    return "\n".join(blocks)


def _list_main(
    column: Column, path: str, chunk: tuple[Article, ...], number: int, count: int, style: TrsStyle
) -> str:
    subs = "".join(
        f'<li><a href="{path}{child.slug}/index.{style.suffix}">{escape(child.name)}</a></li>'
        for child in column.children
    )
    rows = "".join(
        f'<li><a href="{article_href(a, style.suffix)}" title="{escape(a.title)}" target="_blank">'
        f"{escape(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>"
        for a in chunk
        if a.published is not None
    )
    pager = (
        f'<div class="page"><script type="text/javascript">'
        f'createPageHTML({count}, {number}, "index", "{style.suffix}");</script></div>'
        if column.articles
        else ""
    )
    sub_block = f'<ul class="sub-columns">{subs}</ul>' if subs else ""
    return (
        f'<div class="column-title">{escape(column.name)}</div>{sub_block}'
        f'<ul class="list">{rows}</ul>{pager}'
    )


def _article_page(
    info: SiteInfo,
    style: TrsStyle,
    nav: tuple[Column, ...],
    column: Column,
    crumbs: list[tuple[str, str]],
    article: Article,
) -> Page:
    if article.raw is not None:
        return Page(article.raw, "text/html; charset=utf-8", article.published)
    pub = f"{article.published:%Y-%m-%d %H:%M}" if article.published else ""
    source = article.source or info.name
    meta = (
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{pub}">\n'
        f'<meta name="ContentSource" content="{escape(source)}">\n'
        f'<meta name="ColumnName" content="{escape(column.name)}">'
    )
    # The visible source is the short form editors type; the meta tag holds the full name.
    short_source = source.removeprefix(info.name.removesuffix("人民政府"))
    main = (
        f'<div class="article"><h1 class="article-title">{escape(article.title)}</h1>'
        f'<div class="article-info">来源：{escape(short_source)}　发布时间：{pub}　'
        f'浏览次数：<span id="hits"></span>　{font_switch()}</div>'
        f'<div class="article-content"><div class="TRS_Editor">'
        f"{paragraphs_html(article.paragraphs)}</div></div>{article_tools()}</div>"
    )
    text = _layout(info, style, nav, article.title, crumbs, main, meta)
    return html_page(text, last_modified=article.published)


def _layout(
    info: SiteInfo,
    style: TrsStyle,
    nav: tuple[Column, ...],
    title: str,
    crumbs: list[tuple[str, str]],
    main: str,
    meta: str = "",
) -> str:
    banner = f'<span class="today">{style.today_banner}</span>' if style.today_banner else ""
    links = "".join(
        f'<li><a href="/{c.slug}/index.{style.suffix}">{escape(c.name)}</a></li>' for c in nav
    )
    head_title = title if title == info.name else f"{title}_{info.name}"
    search = (
        f'<form class="search" action="{SEARCH_PATH}" method="get" target="_blank">'
        f'<input type="hidden" name="channelid" value="{style.search_channel}">'
        '<input type="text" name="searchword" placeholder="请输入关键字">'
        '<input type="submit" value="搜索"></form>'
        if style.search_channel
        else ""
    )
    position = breadcrumb(crumbs) if crumbs else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(head_title)}</title>
<meta name="SiteName" content="{escape(info.name)}">
<meta name="SiteDomain" content="{info.host}">
<meta name="SiteIDCode" content="{info.id_code}">
{meta}
<link rel="stylesheet" href="/images/style.css">
<script src="/images/page.js"></script>
</head>
<body>
<div class="header">
<div class="top-bar">{banner}<a href="/">首页</a> | 无障碍浏览 | 长者模式</div>
<div class="logo"><a href="/">{escape(info.name)}</a></div>
{search}
<ul class="nav"><li><a href="/">首页</a></li>{links}</ul>
</div>
<div class="main">
{position}
{main}
</div>
{footer(info)}
</body>
</html>
"""
