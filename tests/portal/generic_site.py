"""Generic-CMS sites: columns paged as list.html, list_2.html, … linked by 下一页/尾页
(or list.html?page=N linked only by page numbers and 尾页), articles at
/<column>/content_ID.html with inline 发布时间/来源 labels and no meta tags;
optionally served in a legacy charset (GBK bytes labelled gb2312), or redesigned to render
its lists in the browser."""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from tests.portal.chrome import article_tools, breadcrumb, font_switch, footer, paragraphs_html
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
class GenericStyle:
    per_page: int = 5
    charset: str = "utf-8"
    # Page links as ?page=N with numbers and 尾页 only: no 下一页 to follow.
    query_paging: bool = False
    disallow: tuple[str, ...] = ("/search/",)
    # A redesign that renders lists in the browser: the HTML holds neither items nor pager.
    lists_by_script: bool = False


def build_generic_site(info: SiteInfo, columns: tuple[Column, ...], style: GenericStyle) -> Site:
    pages: dict[str, Page] = {"/robots.txt": robots_page(style.disallow)}
    home = _render(info, style, columns, info.name, [], _home_main(columns))
    pages["/"] = pages["/index.html"] = home
    for column in columns:
        _add_column(pages, info, style, columns, column, "/", [])
    return Site(info.host, pages)


def list_name(number: int, query_paging: bool = False) -> str:
    if number == 1:
        return "list.html"
    return f"list.html?page={number}" if query_paging else f"list_{number}.html"


def _add_column(
    pages: dict[str, Page],
    info: SiteInfo,
    style: GenericStyle,
    nav: tuple[Column, ...],
    column: Column,
    parent_path: str,
    parent_crumbs: list[tuple[str, str]],
) -> None:
    path = f"{parent_path}{column.slug}/"
    crumbs = [*parent_crumbs, (column.name, f"{path}list.html")]
    items = latest_first(column.articles)
    chunks = [items[i : i + style.per_page] for i in range(0, len(items), style.per_page)] or [()]
    for number, chunk in enumerate(chunks, start=1):
        main = (
            _script_list_main(column, path)
            if style.lists_by_script
            else _list_main(column, path, chunk, number, len(chunks), style.query_paging)
        )
        page = _render(info, style, nav, column.name, crumbs, main, newest(chunk))
        pages[f"{path}{list_name(number, style.query_paging)}"] = page
    pages[path] = pages[f"{path}list.html"]
    for article in column.articles:
        page = _article_page(info, style, nav, crumbs, article)
        pages[f"{path}content_{article.doc_id}.html"] = page
    for child in column.children:
        _add_column(pages, info, style, nav, child, path, crumbs)


def _home_main(columns: tuple[Column, ...]) -> str:
    links = "".join(f'<li><a href="/{c.slug}/list.html">{escape(c.name)}</a></li>' for c in columns)
    return f'<ul class="home-columns">{links}</ul>'


def _pager(number: int, count: int, query_paging: bool) -> str:
    if query_paging:
        numbers = [f'<a href="{list_name(n, True)}">{n}</a>' for n in range(1, min(count, 5) + 1)]
        last = f'<a href="{list_name(count, True)}">尾页</a>'
        return f'<div class="pager">{" ".join(numbers)} {last} 共{count}页</div>'
    links = [f'<a href="{list_name(1)}">首页</a>']
    if number > 1:
        links.append(f'<a href="{list_name(number - 1)}">上一页</a>')
    if number < count:
        links.append(f'<a href="{list_name(number + 1)}">下一页</a>')
    links.append(f'<a href="{list_name(count)}">尾页</a>')
    return f'<div class="pager">{" ".join(links)} 第{number}页/共{count}页</div>'


def _list_main(
    column: Column,
    path: str,
    chunk: tuple[Article, ...],
    number: int,
    count: int,
    query_paging: bool,
) -> str:
    subs = _sub_columns(column, path)
    rows = "".join(
        f'<li><a href="content_{a.doc_id}.html" target="_blank">{escape(a.title)}</a>'
        f'<span class="date">{a.published:%Y-%m-%d}</span></li>'
        if a.published
        else f'<li><a href="content_{a.doc_id}.html" target="_blank">{escape(a.title)}</a></li>'
        for a in chunk
    )
    pager = _pager(number, count, query_paging) if column.articles else ""
    return (
        f'<h2 class="lm-title">{escape(column.name)}</h2><ul class="sub">{subs}</ul>'
        f'<ul class="news-list">{rows}</ul>{pager}'
    )


def _sub_columns(column: Column, path: str) -> str:
    return "".join(
        f'<li><a href="{path}{c.slug}/list.html">{escape(c.name)}</a></li>' for c in column.children
    )


def _script_list_main(column: Column, path: str) -> str:
    subs = _sub_columns(column, path)
    return (
        f'<h2 class="lm-title">{escape(column.name)}</h2><ul class="sub">{subs}</ul>'
        f'<div id="news-list" data-column="{path}"></div>'
        '<script src="/js/list.js"></script>'
    )


def _article_page(
    info: SiteInfo,
    style: GenericStyle,
    nav: tuple[Column, ...],
    crumbs: list[tuple[str, str]],
    article: Article,
) -> Page:
    labels = []
    if article.updated:
        labels.append(f"更新时间：{article.updated:%Y-%m-%d %H:%M}")
    if article.published:
        labels.append(f"发布时间：{article.published:%Y-%m-%d %H:%M}")
    if article.source:
        labels.append(f"来源：{escape(article.source)}")
    labels.append(font_switch())
    # Table layout, as older department sites still use: title row, body cell, tools row.
    main = f"""<table class="article" width="100%">
<tr><td class="title"><h1>{escape(article.title)}</h1></td></tr>
<tr><td class="info">{"　".join(labels)}</td></tr>
<tr><td class="content" id="zoom">{paragraphs_html(article.paragraphs)}</td></tr>
<tr><td>{article_tools()}</td></tr>
</table>"""
    return _render(info, style, nav, article.title, crumbs, main, article.published)


def _render(
    info: SiteInfo,
    style: GenericStyle,
    nav: tuple[Column, ...],
    title: str,
    crumbs: list[tuple[str, str]],
    main: str,
    last_modified: datetime | None = None,
) -> Page:
    links = "".join(f'<a href="/{c.slug}/list.html">{escape(c.name)}</a>' for c in nav)
    position = breadcrumb(crumbs) if crumbs else ""
    text = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={style.charset}">
<title>{escape(title)}</title>
</head>
<body>
<div id="header"><div class="site-name">{escape(info.name)}</div>
<div class="nav"><a href="/">首页</a>{links}</div></div>
<div id="content">
{position}
{main}
</div>
{footer(info)}
</body>
</html>
"""
    return html_page(text, style.charset, last_modified)
