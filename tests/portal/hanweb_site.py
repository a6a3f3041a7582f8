"""Hanweb 大汉 JCMS-style sites: columns at /col/colN/index.html showing only the first
page of items; later pages only from POST /module/web/jpage/dataproxy.jsp (XML datastore);
articles at /art/YYYY/M/D/art_COL_ID.html with a 政府信息公开 info table and the body
between the ZJEG_RSS.content markers."""

from collections.abc import Mapping
from dataclasses import dataclass
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

DATAPROXY = "/module/web/jpage/dataproxy.jsp"


@dataclass(frozen=True)
class HanwebStyle:
    webid: int
    per_page: int = 15
    # The jsearchfront site id of the homepage's search form; None: no search form. The
    # search itself is not served: the robots.txt of Hanweb sites disallows it.
    websiteid: str | None = None


def build_hanweb_site(info: SiteInfo, columns: tuple[Column, ...], style: HanwebStyle) -> Site:
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/jsearchfront/", "/jrobot/"))}
    pages["/"] = pages["/index.html"] = html_page(
        _layout(info, columns, info.name, [], _home_main(columns, style))
    )
    records: dict[str, tuple[str, ...]] = {}
    for column in columns:
        _add_column(pages, records, info, style, columns, column, [])
    return Site(info.host, pages, {DATAPROXY: lambda fields: _dataproxy(records, fields)})


def column_path(column: Column) -> str:
    return f"/col/col{column.slug}/index.html"


def article_path(column: Column, article: Article) -> str:
    if article.published is None:
        raise ValueError(f"Hanweb article {article.doc_id} needs a date for its URL")
    day = article.published
    return f"/art/{day.year}/{day.month}/{day.day}/art_{column.slug}_{article.doc_id}.html"


def unit_id(column: Column) -> str:
    # Hanweb's unitid names the list widget on the page; deriving it keeps it stable.
    return f"3{column.slug}1"


def _add_column(
    pages: dict[str, Page],
    records: dict[str, tuple[str, ...]],
    info: SiteInfo,
    style: HanwebStyle,
    nav: tuple[Column, ...],
    column: Column,
    parent_crumbs: list[tuple[str, str]],
) -> None:
    crumbs = [*parent_crumbs, (column.name, column_path(column))]
    items = latest_first(column.articles)
    rows = tuple(_record(column, a) for a in items)
    records[column.slug] = rows
    first = items[: style.per_page]
    main = _column_main(info, style, column, rows)
    page = html_page(_layout(info, nav, column.name, crumbs, main), last_modified=newest(first))
    pages[column_path(column)] = pages[f"/col/col{column.slug}/"] = page
    for article in column.articles:
        pages[article_path(column, article)] = _article_page(info, nav, column, crumbs, article)
    for child in column.children:
        _add_column(pages, records, info, style, nav, child, crumbs)


def _record(column: Column, article: Article) -> str:
    return (
        f'<li><a href="{article_path(column, article)}" title="{escape(article.title)}" '
        f'target="_blank">{escape(article.title)}</a><span>{article.published:%Y-%m-%d}</span></li>'
    )


def _column_main(info: SiteInfo, style: HanwebStyle, column: Column, rows: tuple[str, ...]) -> str:
    subs = "".join(
        f'<li><a href="{column_path(c)}">{escape(c.name)}</a></li>' for c in column.children
    )
    if not rows:
        return f'<div class="column-title">{escape(column.name)}</div><ul class="sub">{subs}</ul>'
    unit = unit_id(column)
    params = (
        f"col=1&appid=1&webid={style.webid}&path=/&columnid={column.slug}"
        f"&sourceContentType=1&unitid={unit}&webname={info.name}&permissiontype=0"
    )
    return f"""<div class="column-title">{escape(column.name)}</div>
<ul class="sub">{subs}</ul>
<div id="{unit}" class="default_pgContainer"><ul class="list">
{"".join(rows[: style.per_page])}
</ul></div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script type="text/javascript">
var jpageParams = "{params}";
$(document).ready(function () {{
  $("#{unit}").jpage({{
    proxyUrl: "{DATAPROXY}", dataParam: jpageParams, perPage: {style.per_page},
    totalRecord: {len(rows)}, groupSize: 1, barPosition: "bottom"
  }});
}});
</script>"""


def _dataproxy(records: Mapping[str, tuple[str, ...]], fields: Mapping[str, str]) -> Page:
    rows = records.get(fields.get("columnid", ""), ())
    # Hanweb answers an unknown column or bad range with an empty datastore, not an error.
    try:
        start, end = int(fields["startrecord"]), int(fields["endrecord"])
    except (KeyError, ValueError):
        start, end = 1, 0
    chosen = "".join(f"<record><![CDATA[{r}]]></record>" for r in rows[max(start, 1) - 1 : end])
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<datastore><totalrecord>{len(rows)}</totalrecord>"
        f"<recordset>{chosen}</recordset></datastore>"
    )
    return Page(xml.encode("utf-8"), "text/xml; charset=utf-8")


def _home_main(columns: tuple[Column, ...], style: HanwebStyle) -> str:
    search = (
        '<form action="/jsearchfront/search.do" method="get" target="_blank">'
        f'<input type="hidden" name="websiteid" value="{style.websiteid}">'
        '<input type="hidden" name="pg" value="1"><input type="hidden" name="p" value="1">'
        '<input type="text" name="q"><input type="submit" value="搜索"></form>'
        if style.websiteid
        else ""
    )
    links = "".join(
        f'<li><a href="{column_path(c)}">{escape(c.name)}</a></li>'
        + "".join(f'<li><a href="{column_path(s)}">{escape(s.name)}</a></li>' for s in c.children)
        for c in columns
    )
    return f'<div class="home">{search}<ul>{links}</ul></div>'


def _article_page(
    info: SiteInfo,
    nav: tuple[Column, ...],
    column: Column,
    crumbs: list[tuple[str, str]],
    article: Article,
) -> Page:
    if article.raw is not None:
        return Page(article.raw, "text/html; charset=utf-8", article.published)
    pub = f"{article.published:%Y-%m-%d %H:%M}"
    source = escape(article.source or info.name)
    title = escape(article.title)
    table = f"""<table class="xxgk_table">
<tr><th>索引号：</th><td>{article.index_no or ""}</td>
<th>主题分类：</th><td>{escape(column.name)}</td></tr>
<tr><th>发布机构：</th><td>{source}</td><th>发布日期：</th><td>{pub}</td></tr>
<tr><th>名　　称：</th><td colspan="3">{title}</td></tr>
<tr><th>文　　号：</th><td></td><th>关键字：</th><td></td></tr>
</table>"""
    main = f"""{table}
<div class="article">
<div class="title">{title}</div>
<div class="info">发布时间：{pub}　{font_switch()}</div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
<p style="text-align:center"><strong>{title}</strong></p>
{paragraphs_html(article.paragraphs)}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
{article_tools()}
</div>"""
    return html_page(
        _layout(info, nav, article.title, crumbs, main), last_modified=article.published
    )


def _layout(
    info: SiteInfo,
    nav: tuple[Column, ...],
    title: str,
    crumbs: list[tuple[str, str]],
    main: str,
) -> str:
    links = "".join(f'<a href="{column_path(c)}">{escape(c.name)}</a>' for c in nav)
    position = breadcrumb(crumbs) if crumbs else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title>
<meta name="Keywords" content="{escape(info.name)}">
<!-- Produced By 大汉网络 大汉版通发布系统 -->
</head>
<body>
<div class="top"><a href="javascript:void(0)" id="zzms">长者模式</a>
<a href="javascript:void(0)" id="wza">无障碍浏览</a></div>
<div class="banner">{escape(info.name)} {info.host}</div>
<div class="menu"><a href="/">首页</a>{links}</div>
<div class="container">
{position}
{main}
</div>
{footer(info)}
</body>
</html>
"""
