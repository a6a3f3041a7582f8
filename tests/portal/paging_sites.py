"""Small sites whose lists page in ways the family templates do not: a TRS column of `.shtml`
pages whose script pager names its page count `totalPage`, a county whose department reports
sit in its 部门信息公开 catalogue, and an older Hanweb column whose records are script XML
paged by `?uid=&pageNum=` and by its datastore's <nextgroup> link. Registered in
`paging_registry.csv`; the pager shapes follow real templates (see tests/test_paging.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html import escape
from urllib.parse import urlencode

from tests.portal import filler
from tests.portal.chrome import breadcrumb, footer, paragraphs_html
from tests.portal.fixtures import (
    anzhou_2022_body,
    kmdc_2018_body,
    lanzhou_2022_body,
    lanzhou_2023_body,
    qiaokou_2024_body,
)
from tests.portal.site import Article, Page, Site, SiteInfo, html_page, latest_first, robots_page

XISHUI_REPORT = "浠水县2023年度法治政府建设情况报告"
WUYUAN_REPORT = "婺源县人民政府关于2024年法治政府建设情况的报告"
WUYUAN_SFJ_REPORT = "婺源县司法局2024年法治政府建设情况报告"
YUSHAN_REPORT = "玉山县2023年度法治政府建设情况报告"
YUSHAN_NOTICE_REPORT = "玉山县人民政府关于2022年法治政府建设情况的报告"
YUSHAN_2021_REPORT = "玉山县2021年度法治政府建设情况报告"
DEXING_OLD_REPORT = "德兴市2021年度法治政府建设情况报告"
DEXING_REPORT = "德兴市2023年度法治政府建设情况报告"


def shifted(body: tuple[str, ...], years: int) -> tuple[str, ...]:
    """A seed report moved `years` on, so each site's report has its own year and text."""
    return tuple(
        re.sub(r"20[12]\d年", lambda m: f"{int(m.group(0)[:4]) + years}年", p) for p in body
    )


def _fillers(region: str, first_id: int, years: range) -> list[Article]:
    articles = []
    for offset, year in enumerate(years):
        for kind, (title, text) in enumerate(
            (filler.disclosure_report(region, year - 1), filler.work_points(region, year))
        ):
            when = datetime(year, 1 + 2 * kind, 20, 9, 0)
            articles.append(Article(first_id + 10 * offset + kind, title, when, None, text))
    return articles


def _layout(info: SiteInfo, title: str, crumbs: list[tuple[str, str]], main: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(title)}_{escape(info.name)}</title></head>
<body><div class="header"><a href="/">{escape(info.name)}</a></div>
<div class="main">{breadcrumb(crumbs) if crumbs else ""}{main}</div>
{footer(info)}</body></html>"""


def _article(info: SiteInfo, article: Article, crumbs: list[tuple[str, str]]) -> Page:
    main = (
        f"<h1>{escape(article.title)}</h1>"
        f'<div class="info">发布时间：{article.published:%Y-%m-%d %H:%M}　'
        f"来源：{escape(article.source or info.name)}</div>"
        f'<div class="content" id="zoom">{paragraphs_html(article.paragraphs)}</div>'
    )
    return html_page(_layout(info, article.title, crumbs, main), last_modified=article.published)


def _row(href: str, article: Article) -> str:
    return (
        f'<li><a href="{href}" title="{escape(article.title)}">{escape(article.title)}</a>'
        f"<span>{article.published:%Y-%m-%d}</span></li>"
    )


# --- TRS, .shtml pages, a script pager with its own variable names -------------------------


def _trs_pager(count: int, current: int) -> str:
    """A TRS pager template variant: `totalPage`/`curPage` variables and links written by
    script (after the `var countPage … document.write("index_" + …)` templates of TRS WCM)."""
    return f"""<div class="pagination"><script type="text/javascript">
var totalPage = {count}; //共多少页
var curPage = {current}; //当前页，从0开始
document.write("共" + totalPage + "页 ");
if (curPage + 1 < totalPage) {{
  document.write('<a href="index_' + (curPage + 1) + '.shtml">下一页</a>');
}}
</script></div>"""


# Variant (`Portal.set_variant`): an item title on the first list page edited, later pages as
# they were (they answer 304 to a conditional request).
EDITED_FIRST_PAGE = "edited_first_page"


def build_xishui(variant: str = "") -> Site:
    info = SiteInfo("www.xishui.gov.cn", "浠水县人民政府", "浠水县人民政府办公室", "4211250001", "")
    report = Article(
        8812,
        XISHUI_REPORT,
        datetime(2024, 2, 26, 10, 0),
        "浠水县司法局",
        shifted(anzhou_2022_body(), 1),
    )
    items = latest_first((report, *_fillers("浠水县", 9000, range(2024, 2027))))
    if variant == EDITED_FIRST_PAGE:
        newest = items[0]
        edited = Article(newest.doc_id, newest.title + "（修订）", newest.published, None, ())
        items = (edited, *items[1:])
    per_page = 2
    pages: dict[str, Page] = {"/robots.txt": robots_page(())}
    column = "/zwgk/fzzfjs/"
    crumbs = [("政务公开", "/zwgk/"), ("法治政府建设", column)]
    nav = '<ul class="nav"><li><a href="/zwgk/">政务公开</a></li></ul>'
    pages["/"] = html_page(_layout(info, info.name, [], nav))
    zwgk = (
        f'{nav}<ul class="sub"><li><a href="{column}">法治政府建设</a></li>'
        '<li><a href="/zwgk/tzgg/">通知公告</a></li></ul>'
    )
    # A column whose pager promises three pages that were never published: its paging breaks.
    notices = _fillers("浠水县", 9500, range(2025, 2026))
    rows = "".join(_row(f"./content_{a.doc_id}.shtml", a) for a in notices)
    pager = '<script>createPageHTML(3, 0, "index", "shtml");</script>'
    main = f'<ul class="list">{rows}</ul>{pager}'
    pages["/zwgk/tzgg/"] = html_page(_layout(info, "通知公告", crumbs[:1], main))
    # Its second page file answers 200 with an error page, as many portals do; the third 404.
    missing = "<h2>您访问的页面不存在或已被删除</h2>"
    pages["/zwgk/tzgg/index_1.shtml"] = html_page(_layout(info, "页面不存在", [], missing))
    pages["/zwgk/"] = html_page(_layout(info, "政务公开", crumbs[:1], zwgk))
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    for number, chunk in enumerate(chunks):
        rows = "".join(
            _row(f"./{a.published:%Y%m}/t{a.published:%Y%m%d}_{a.doc_id}.shtml", a) for a in chunk
        )
        main = f'<ul class="list">{rows}</ul>{_trs_pager(len(chunks), number)}'
        name = "index.shtml" if number == 0 else f"index_{number}.shtml"
        pages[column + name] = html_page(_layout(info, "法治政府建设", crumbs, main))
    pages[column] = pages[column + "index.shtml"]
    for a in items:
        path = f"{column}{a.published:%Y%m}/t{a.published:%Y%m%d}_{a.doc_id}.shtml"
        pages[path] = _article(info, a, crumbs)
    return Site(info.host, pages)


# --- A county with a catalogue of departments (部门信息公开) --------------------------------

WUYUAN_DEPARTMENTS = (
    ("fgw", "县发展和改革委员会"),
    ("jtj", "县教育体育局"),
    ("gaj", "县公安局"),
    ("mzj", "县民政局"),
    ("sfj", "县司法局"),
    ("czj", "县财政局"),
    ("rsj", "县人力资源和社会保障局"),
    ("zrzyj", "县自然资源局"),
    ("zjj", "县住房和城乡建设局"),
    ("jtysj", "县交通运输局"),
    ("nyncj", "县农业农村局"),
    ("wjw", "县卫生健康委员会"),
)


def build_wuyuan() -> Site:
    info = SiteInfo("www.wuyuan.gov.cn", "婺源县人民政府", "婺源县人民政府办公室", "3611300001", "")
    pages: dict[str, Page] = {"/robots.txt": robots_page(())}
    nav = '<ul class="nav"><li><a href="/xxgk/">政府信息公开</a></li></ul>'
    pages["/"] = html_page(_layout(info, info.name, [], nav))
    xxgk = [("政府信息公开", "/xxgk/")]
    subs = (
        '<ul class="sub"><li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li>'
        '<li><a href="/xxgk/bmxxgk/">部门信息公开</a></li></ul>'
    )
    pages["/xxgk/"] = html_page(_layout(info, "政府信息公开", xxgk, nav + subs))
    own = Article(
        7301,
        WUYUAN_REPORT,
        datetime(2025, 3, 20, 9, 0),
        "婺源县司法局",
        shifted(lanzhou_2023_body(), 1),
    )
    _add_list(pages, info, "/xxgk/fdzdgknr/", "法定主动公开内容", (own,), xxgk)
    catalogue = [*xxgk, ("部门信息公开", "/xxgk/bmxxgk/")]
    departments = "".join(
        f'<li><a href="/xxgk/bmxxgk/{slug}/">{name}</a></li>' for slug, name in WUYUAN_DEPARTMENTS
    )
    main = f'<ul class="departments">{departments}</ul>'
    pages["/xxgk/bmxxgk/"] = html_page(_layout(info, "部门信息公开", catalogue, main))
    for slug, name in WUYUAN_DEPARTMENTS:
        folder = f"/xxgk/bmxxgk/{slug}/"
        crumbs = [*catalogue, (name, folder)]
        columns = (
            f'<ul class="columns"><li><a href="{folder}jggk/">机构概况</a></li>'
            f'<li><a href="{folder}zcwj/">政策文件</a></li>'
            f'<li><a href="{folder}gknr/">法定主动公开内容</a></li></ul>'
        )
        pages[folder] = html_page(_layout(info, name, crumbs, columns))
        articles = _fillers("婺源" + name, 7400 + 100 * len(pages), range(2025, 2026))
        if slug == "sfj":
            report = Article(
                7399,
                WUYUAN_SFJ_REPORT,
                datetime(2025, 3, 1, 9, 0),
                "婺源县司法局",
                qiaokou_2024_body(),
            )
            articles.append(report)
        _add_list(pages, info, f"{folder}gknr/", "法定主动公开内容", tuple(articles), crumbs)
        _add_list(pages, info, f"{folder}jggk/", "机构概况", (), crumbs)
        _add_list(pages, info, f"{folder}zcwj/", "政策文件", (), crumbs)
    return Site(info.host, pages)


def _add_list(
    pages: dict[str, Page],
    info: SiteInfo,
    folder: str,
    name: str,
    articles: tuple[Article, ...],
    crumbs: list[tuple[str, str]],
    sub_columns: str = "",
) -> None:
    crumbs = [*crumbs, (name, folder)]
    rows = "".join(_row(f"{folder}content_{a.doc_id}.html", a) for a in latest_first(articles))
    main = f'{sub_columns}<ul class="list">{rows}</ul>'
    pages[folder] = html_page(_layout(info, name, crumbs, main))
    for a in articles:
        pages[f"{folder}content_{a.doc_id}.html"] = _article(info, a, crumbs)


# --- An older Hanweb column: records as script XML, paged by uid/pageNum or <nextgroup> -------

YUSHAN_PROXY = "/module/web/jpage/dataproxy.jsp"


def _records(rows: tuple[str, ...]) -> str:
    return "".join(f"<record><![CDATA[{row}]]></record>" for row in rows)


def _hanweb_column(
    column: str, unit: str, rows: tuple[str, ...], start: int, per_page: int, total: int
) -> str:
    """A column page with one page of records embedded as script XML (the shape of real JCMS
    columns on jiangsu.gov.cn and gxj.yancheng.gov.cn), and the jpage call that pages it."""
    group = urlencode(
        {"page": 1, "appid": 1, "webid": 7, "path": "/", "columnid": column, "unitid": unit}
    )
    return f"""<div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{YUSHAN_PROXY}?{group}"></a>]]></nextgroup>
<recordset>{_records(rows[start : start + per_page])}</recordset></datastore></script></div>
<script type="text/javascript">
var param_{unit} = {{col: 1, webid: 7, path: '/', columnid: {column}, unitid: '{unit}'}};
$('#{unit}').jpage({{dataStore: param_{unit}, perPage: {per_page}, totalRecord: {total},
  groupSize: 1, proxyUrl: '{YUSHAN_PROXY}', barPosition: 'bottom'}});
</script>"""


def build_yushan() -> Site:
    info = SiteInfo("www.yushan.gov.cn", "玉山县人民政府", "玉山县人民政府办公室", "3611230001", "")
    per_page = 3
    pages: dict[str, Page] = {"/robots.txt": robots_page(())}
    nav = (
        '<ul class="nav"><li><a href="/col/col5231/index.html">法治政府建设</a></li>'
        '<li><a href="/col/col5240/index.html">通知公告</a></li>'
        '<li><a href="/col/col5250/index.html">依法行政</a></li></ul>'
    )
    pages["/"] = pages["/index.html"] = html_page(_layout(info, info.name, [], nav))
    report = Article(
        61204,
        YUSHAN_REPORT,
        datetime(2024, 3, 8, 10, 0),
        "玉山县司法局",
        shifted(kmdc_2018_body(), 5),
    )
    notice = Article(
        55102,
        YUSHAN_NOTICE_REPORT,
        datetime(2023, 2, 27, 10, 0),
        "玉山县司法局",
        lanzhou_2022_body(),
    )
    earlier = Article(
        45301,
        YUSHAN_2021_REPORT,
        datetime(2022, 1, 28, 10, 0),
        "玉山县司法局",
        shifted(kmdc_2018_body(), 3),
    )
    columns = {
        # The static pages: index.html?uid=UNIT&pageNum=N (the report is on page 3).
        "5231": ("法治政府建设", "41231", (report, *_fillers("玉山县", 60000, range(2024, 2028)))),
        # Only the <nextgroup> proxy pages it; ?uid=&pageNum= just shows page 1 again.
        "5240": ("通知公告", "41240", (notice, *_fillers("玉山县", 50000, range(2024, 2026)))),
        # Only the POST proxy (startrecord/endrecord) pages it: <nextgroup> answers 404.
        "5250": ("依法行政", "41250", (earlier, *_fillers("玉山县", 40000, range(2022, 2024)))),
    }
    records: dict[str, tuple[str, ...]] = {}
    for column, (name, unit, articles) in columns.items():
        items = latest_first(articles)
        rows = tuple(_row(_art_path(column, a), a) for a in items)
        records[column] = rows
        crumbs = [(name, f"/col/col{column}/index.html")]
        path = f"/col/col{column}/index.html"
        pages_count = -(-len(rows) // per_page)
        for number in range(1, pages_count + 1):
            main = _hanweb_column(column, unit, rows, (number - 1) * per_page, per_page, len(rows))
            page = html_page(_layout(info, name, crumbs, nav + main))
            if number == 1:
                pages[path] = pages[f"/col/col{column}/"] = page
            elif column == "5231":
                pages[f"{path}?{urlencode({'uid': unit, 'pageNum': number})}"] = page
        for a in items:
            pages[_art_path(column, a)] = _article(info, a, crumbs)
    by_group = {column: rows for column, rows in records.items() if column != "5250"}
    group = {YUSHAN_PROXY: lambda fields: _next_group(by_group, per_page, fields)}
    post = {YUSHAN_PROXY: lambda fields: _record_range(records, fields)}
    return Site(info.host, pages, post_handlers=post, get_handlers=group)


def _art_path(column: str, article: Article) -> str:
    day = article.published
    assert day is not None
    return f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{article.doc_id}.html"


def _next_group(
    records: Mapping[str, tuple[str, ...]], per_page: int, fields: Mapping[str, str]
) -> Page | None:
    """The proxy's answer to ?page=K: the K-th page after the first, as a datastore."""
    rows = records.get(fields.get("columnid", ""))
    page = fields.get("page", "")
    if rows is None or not page.isdigit():
        return None
    start = int(page) * per_page
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore>'
        f"<totalrecord>{len(rows)}</totalrecord>"
        f"<recordset>{_records(rows[start : start + per_page])}</recordset></datastore>"
    )
    return Page(xml.encode("utf-8"), "text/xml; charset=utf-8")


def _record_range(records: Mapping[str, tuple[str, ...]], fields: Mapping[str, str]) -> Page:
    """The POST proxy's answer: records startrecord..endrecord of the column, as a datastore."""
    rows = records.get(fields.get("columnid", ""), ())
    start, end = fields.get("startrecord", ""), fields.get("endrecord", "")
    chosen = rows[int(start) - 1 : int(end)] if start.isdigit() and end.isdigit() else ()
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore>'
        f"<totalrecord>{len(rows)}</totalrecord><recordset>{_records(chosen)}</recordset></datastore>"
    )
    return Page(xml.encode("utf-8"), "text/xml; charset=utf-8")


PAGING_EXPECTED = {
    XISHUI_REPORT: "http://www.xishui.gov.cn/zwgk/fzzfjs/202402/t20240226_8812.shtml",
    WUYUAN_REPORT: "http://www.wuyuan.gov.cn/xxgk/fdzdgknr/content_7301.html",
    WUYUAN_SFJ_REPORT: "http://www.wuyuan.gov.cn/xxgk/bmxxgk/sfj/gknr/content_7399.html",
    YUSHAN_REPORT: "http://www.yushan.gov.cn/art/2024/3/8/art_5231_61204.html",
    YUSHAN_NOTICE_REPORT: "http://www.yushan.gov.cn/art/2023/2/27/art_5240_55102.html",
    YUSHAN_2021_REPORT: "http://www.yushan.gov.cn/art/2022/1/28/art_5250_45301.html",
    DEXING_OLD_REPORT: "http://www.dexing.gov.cn/xxgk/fdzdgknr/content_5101.html",
    DEXING_REPORT: "http://www.dexing.gov.cn/xxgk/fdzdgknr/qtgk/ndbg/content_5301.html",
}


# --- A county whose recent report sits deeper than the hop limit reaches -------------------


def build_dexing() -> Site:
    """Home > 政府信息公开 > 法定主动公开内容 (the 2021 report) > 其他法定主动公开内容 >
    法治政府建设年度报告 (the 2023 report): one level past the regular crawl's hop limit."""
    info = SiteInfo("www.dexing.gov.cn", "德兴市人民政府", "德兴市人民政府办公室", "3611810001", "")
    pages: dict[str, Page] = {"/robots.txt": robots_page(())}
    nav = '<ul class="nav"><li><a href="/xxgk/">政府信息公开</a></li></ul>'
    pages["/"] = html_page(_layout(info, info.name, [], nav))
    crumbs = [("政府信息公开", "/xxgk/")]
    sub = '<ul class="sub"><li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li></ul>'
    pages["/xxgk/"] = html_page(_layout(info, "政府信息公开", crumbs, nav + sub))
    old = Article(
        5101,
        DEXING_OLD_REPORT,
        datetime(2022, 2, 10, 9, 0),
        "德兴市司法局",
        shifted(anzhou_2022_body(), -1),
    )
    deeper = '<ul class="sub"><li><a href="/xxgk/fdzdgknr/qtgk/">其他法定主动公开内容</a></li></ul>'
    _add_list(pages, info, "/xxgk/fdzdgknr/", "法定主动公开内容", (old,), crumbs, deeper)
    crumbs = [*crumbs, ("法定主动公开内容", "/xxgk/fdzdgknr/")]
    deepest = (
        '<ul class="sub"><li><a href="/xxgk/fdzdgknr/qtgk/ndbg/">法治政府建设年度报告</a></li></ul>'
    )
    _add_list(pages, info, "/xxgk/fdzdgknr/qtgk/", "其他法定主动公开内容", (), crumbs, deepest)
    crumbs = [*crumbs, ("其他法定主动公开内容", "/xxgk/fdzdgknr/qtgk/")]
    report = Article(
        5301,
        DEXING_REPORT,
        datetime(2024, 3, 15, 9, 0),
        "德兴市司法局",
        shifted(qiaokou_2024_body(), -1),
    )
    _add_list(pages, info, "/xxgk/fdzdgknr/qtgk/ndbg/", "法治政府建设年度报告", (report,), crumbs)
    return Site(info.host, pages)


def build_paging_sites(variant: str = "") -> tuple[Site, ...]:
    return build_xishui(variant), build_wuyuan(), build_yushan(), build_dexing()
