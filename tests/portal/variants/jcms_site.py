"""An older Hanweb 大汉 JCMS department site: a column page /col/colN/index.html carries its
first page of records as XML inside a <script type="text/xml"><datastore> (the jpage widget
renders it in the browser); the later pages are the same column page asked with
?uid=<unit>&pageNum=N, each carrying its own datastore, and the widget's <nextgroup> names a
dataproxy.jsp GET that answers the records after the first page. No page link exists in the
HTML: the page count is only in the widget's totalRecord/perPage. Articles at
/art/YYYY/M/D/art_COL_ID.html, body between the ZJEG_RSS.content markers."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from collections.abc import Mapping
from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, latest_first, robots_page
from tests.portal.variants.column_items import look_alike, yearly_look_alikes
from tests.portal.variants.texts import huzhou_sfj_2022

HOST = "sfj.huzhou.gov.cn"
NAME = "湖州市司法局"
REPORT_TITLE = "湖州市司法局2022年法治建设情况报告"
COLUMN_ID, UNIT_ID, WEB_ID = 1229508, 5127741, 61
COLUMN = "法治政府建设"
PER_PAGE = 3
COLUMN_PATH = f"/col/col{COLUMN_ID}/index.html"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def article_path(article: Article) -> str:
    day = article.published
    assert day is not None
    return f"/art/{day.year}/{day.month}/{day.day}/art_{COLUMN_ID}_{article.doc_id}.html"


def articles() -> tuple[Article, ...]:
    report = Article(58812, REPORT_TITLE, datetime(2023, 3, 10, 16, 21), NAME, huzhou_sfj_2022())
    items = [
        report,
        look_alike(58840, filler.interpretation(REPORT_TITLE), datetime(2023, 3, 14, 9, 0), NAME),
        look_alike(55002, filler.implementation_plan("湖州市"), datetime(2021, 12, 28, 9, 0), NAME),
        *yearly_look_alikes(50000, NAME, range(2017, 2026), NAME),
    ]
    items += [
        look_alike(
            57000 + year, filler.meeting_news("湖州市", year), datetime(year, 2, 26, 17, 0), NAME
        )
        for year in range(2019, 2025)
    ]
    return latest_first(tuple(items))


def _record(article: Article) -> str:
    return (
        f"<record><![CDATA[<li><a href='{article_path(article)}' title='{escape(article.title)}' "
        f"target='_blank'>{escape(article.title)}</a><span>{article.published:%Y-%m-%d}</span>"
        "</li>]]></record>"
    )


def _datastore(records: tuple[Article, ...], with_next: bool) -> str:
    nextgroup = (
        f'<nextgroup><![CDATA[<a href="{DATAPROXY}?page=1&appid=1&webid={WEB_ID}&path=/'
        f'&columnid={COLUMN_ID}&unitid={UNIT_ID}&webname={NAME}&permissiontype=0"></a>]]></nextgroup>'
        if with_next
        else ""
    )
    return (
        f'<script type="text/xml"><datastore>{nextgroup}<recordset>'
        f"{''.join(_record(a) for a in records)}</recordset></datastore></script>"
    )


def _column_main(records: tuple[Article, ...], total: int, first_page: bool) -> str:
    return f"""<table width="100%" class="lm_list"><tr><td class="lm_title">{COLUMN}</td></tr>
<tr><td><div id="{UNIT_ID}">{_datastore(records, first_page)}</div>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script>var param_{UNIT_ID}={{"col":1,"webid":"{WEB_ID}","path":"/","columnid":"{COLUMN_ID}","sourceContentType":"1","unitid":"{UNIT_ID}","webname":"{NAME}","permissiontype":0}};
$('#{UNIT_ID}').jpage({{dataStore:null,proxyUrl:'{DATAPROXY}',perPage:{PER_PAGE},totalRecord:{total},groupSize:1,barPosition:'bottom',ajaxParam:param_{UNIT_ID},showMode:'full'}});</script>
</td></tr></table>"""


def _article_main(article: Article) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""<table width="100%" class="xxgk_table"><tr>
<td>索引号：</td><td>002482375/2023-{article.doc_id}</td><td>分类：</td><td>法治政府建设</td></tr>
<tr><td>发布机构：</td><td>{escape(article.source or NAME)}</td><td>生成日期：</td><td>{article.published:%Y-%m-%d}</td></tr>
<tr><td>文号：</td><td></td><td>有效性：</td><td></td></tr></table>
<table width="100%"><tr><td class="title" align="center">{escape(article.title)}</td></tr>
<tr><td align="center" class="bt_link">发布日期：{article.published:%Y-%m-%d}　信息来源：{escape(article.source or NAME)}　浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={COLUMN_ID}&amp;artid={article.doc_id}"></script>　字体：[<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>]</td></tr>
<tr><td class="bt_content" id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">{paragraphs}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></td></tr></table>"""


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title>
<meta name="SiteName" content="{NAME}">
<meta name="SiteDomain" content="{HOST}">
<meta name="SiteIDCode" content="3305000016">
<!-- Produced By 大汉网络 大汉版通发布系统 -->
</head>
<body>
<table width="1000" align="center"><tr><td class="banner"><a href="/">{NAME}</a></td></tr>
<tr><td class="menu"><a href="/">首页</a> <a href="/col/col1229500/index.html">政府信息公开</a> <a href="{COLUMN_PATH}">{COLUMN}</a></td></tr>
<tr><td>{main}</td></tr>
<tr><td class="footer">主办单位：{NAME}　网站标识码：3305000016　浙ICP备05023311号</td></tr></table>
</body>
</html>
""",
        last_modified=last_modified,
    )


def build_jcms_site() -> Site:
    all_articles = articles()
    groups = [all_articles[i : i + PER_PAGE] for i in range(0, len(all_articles), PER_PAGE)]
    pages: dict[str, Page] = {
        "/robots.txt": robots_page(("/jsearchfront/", "/jrobot/", "/module/search/"))
    }
    home = f'<ul><li><a href="{COLUMN_PATH}">{COLUMN}</a></li></ul>'
    pages["/"] = pages["/index.html"] = _render(NAME, home, None)
    pages["/col/col1229500/index.html"] = _render(
        f"政府信息公开 {NAME}", f'<a href="{COLUMN_PATH}">{COLUMN}</a>', None
    )
    first = _render(
        f"{COLUMN} {NAME}", _column_main(groups[0], len(all_articles), True), groups[0][0].published
    )
    pages[COLUMN_PATH] = pages[f"/col/col{COLUMN_ID}/"] = first
    for article in all_articles:
        pages[article_path(article)] = _render(
            article.title, _article_main(article), article.published
        )

    def page_of_column(fields: Mapping[str, str]) -> Page | None:
        raw = fields.get("pageNum", "1")
        if fields.get("uid", str(UNIT_ID)) != str(UNIT_ID) or not raw.isdigit():
            return None
        number = int(raw)
        if not 1 <= number <= len(groups):
            return None
        chunk = groups[number - 1]
        return _render(
            f"{COLUMN} {NAME}",
            _column_main(chunk, len(all_articles), number == 1),
            chunk[0].published,
        )

    def dataproxy(fields: Mapping[str, str]) -> Page | None:
        """The widget posts startrecord/endrecord (1-based, inclusive); the <nextgroup> link
        asks page=N, the records after the N pages already shown. Both name the column."""
        if fields.get("columnid") != str(COLUMN_ID):
            return None
        start, end, page = (fields.get(k, "") for k in ("startrecord", "endrecord", "page"))
        if start.isdigit() and end.isdigit():
            chosen = all_articles[max(int(start), 1) - 1 : int(end)]
        elif page.isdigit():
            chosen = all_articles[int(page) * PER_PAGE :]
        else:
            return None
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(all_articles)}</totalrecord><recordset>"
            f"{''.join(_record(a) for a in chosen)}</recordset></datastore>"
        )
        return Page(xml.encode("utf-8"), "text/xml; charset=utf-8")

    handlers = {COLUMN_PATH: page_of_column, DATAPROXY: dataproxy}
    return Site(HOST, pages, post_handlers={DATAPROXY: dataproxy}, get_handlers=handlers)
