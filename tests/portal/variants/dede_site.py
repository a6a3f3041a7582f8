"""A DedeCMS 5.x department site (GBK): columns at /a/<typedir>/ paged as list_<typeid>_N.html by
the `pagelist` tag (numbers, 下一页, 末页, a jump <select>, "共 N页"), articles at
/a/<typedir>/YYYY/MMDD/<aid>.html with the default template's <small>时间:/来源:/作者:</small>
info line and the body in a table cell, signed at the end by the bureau. robots.txt keeps
crawlers out of /plus/, where DedeCMS serves dynamic previews of unpublished articles."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import jiangxia_2019

HOST = "sfj.jiangxia.gov.cn"
NAME = "武汉市江夏区司法局"
BUREAU = "江夏区司法局"
REPORT_TITLE = "江夏区2019年度法治政府建设情况报告"
TYPEDIR, TYPEID, COLUMN = "fzzfjs", 7, "法治政府建设"
PER_PAGE = 4
DRAFT_AID = 131
CHARSET = "gb2312"


def article_path(article: Article) -> str:
    assert article.published is not None
    return f"/a/{TYPEDIR}/{article.published:%Y/%m%d}/{article.doc_id}.html"


def draft_path() -> str:
    return f"/plus/view.php?aid={DRAFT_AID}"


def articles() -> tuple[Article, ...]:
    report = Article(128, REPORT_TITLE, datetime(2020, 2, 21, 10, 12), BUREAU, jiangxia_2019())
    return (
        report,
        look_alike(129, filler.interpretation(REPORT_TITLE), datetime(2020, 2, 25, 15, 0), BUREAU),
        look_alike(133, filler.meeting_news("江夏区", 2020), datetime(2020, 3, 2, 17, 0), BUREAU),
        look_alike(201, filler.implementation_plan("江夏区"), datetime(2021, 12, 10, 9, 0), BUREAU),
        *yearly_look_alikes(101, "江夏区", range(2019, 2024), BUREAU),
    )


def _pagelist(number: int, count: int, total: int) -> str:
    """The markup DedeCMS's {dede:pagelist listitem="info,index,end,pre,next,pageno,option"}
    prints: the current page is an <li class="thisclass"> without a link."""

    def name(n: int) -> str:
        return f"list_{TYPEID}_{n}.html"

    items = [
        "<li><a>首页</a></li>" if number == 1 else f"<li><a href='{name(1)}'>首页</a></li>",
    ]
    if number > 1:
        items.append(f"<li><a href='{name(number - 1)}'>上一页</a></li>")
    for n in range(1, count + 1):
        items.append(
            f'<li class="thisclass">{n}</li>'
            if n == number
            else f"<li><a href='{name(n)}'>{n}</a></li>"
        )
    if number < count:
        items.append(f"<li><a href='{name(number + 1)}'>下一页</a></li>")
    items.append(f"<li><a href='{name(count)}'>末页</a></li>")
    options = "".join(
        f"<option value='{name(n)}'{' selected' if n == number else ''}>{n}</option>"
        for n in range(1, count + 1)
    )
    items.append(
        "<li><select name='sldd' style='width:36px' "
        f"onchange='location.href=this.options[this.selectedIndex].value;'>{options}</select></li>"
    )
    items.append(
        f'<li><span class="pageinfo">共 <strong>{count}</strong>页<strong>{total}</strong>条</span></li>'
    )
    return f'<div class="dede_pages"><ul class="pagelist">{"".join(items)}</ul></div>'


def _list_main(chunk: tuple[Article, ...], number: int, count: int, total: int) -> str:
    rows = "".join(
        f'<li><a href="{article_path(a)}" class="title">{escape(a.title)}</a>'
        f'<span class="info"><small>日期：</small>{a.published:%Y-%m-%d %H:%M:%S}'
        f"<small>点击：</small>{37 + a.doc_id % 50}<small>好评：</small>0</span>"
        f'<p class="intro">{escape(a.paragraphs[0][:60])}...</p></li>'
        for a in chunk
    )
    return (
        f'<div class="place"><strong>当前位置:</strong> <a href="/">主页</a> &gt; '
        f'<a href="/a/{TYPEDIR}/">{COLUMN}</a> &gt; </div>'
        f'<div class="listbox"><ul class="e2">{rows}</ul></div>{_pagelist(number, count, total)}'
    )


def _article_main(article: Article, previous: Article | None) -> str:
    assert article.published is not None
    body = "".join(
        f'<p style="text-align: right;">{escape(p)}</p>'
        if i >= len(article.paragraphs) - 2 and len(p) < 20
        else f"<p>　　{escape(p)}</p>"
        for i, p in enumerate(article.paragraphs)
    )
    before = (
        f"<a href='{article_path(previous)}'>{escape(previous.title)}</a>" if previous else "没有了"
    )
    return f"""<div class="place"><strong>当前位置:</strong> <a href="/">主页</a> &gt; <a href="/a/{TYPEDIR}/">{COLUMN}</a> &gt; </div>
<div class="viewbox">
<div class="title"><h2>{escape(article.title)}</h2></div>
<div class="info"><small>时间:</small>{article.published:%Y-%m-%d %H:%M}<small>来源:</small>{escape(article.source or "未知")}<small>作者:</small>admin<small>点击:</small><script src="/plus/count.php?view=yes&amp;aid={article.doc_id}&amp;mid=1" type="text/javascript" language="javascript"></script>次</div>
<div class="content"><table width="100%"><tr><td>{body}</td></tr></table></div>
<div class="dede_pages"><ul class="pagelist"></ul></div>
<div class="boxoff"><strong>------分隔线----------------------------</strong></div>
<div class="handle"><div class="context"><ul><li>上一篇：{before}</li><li>下一篇：没有了</li></ul></div>
<div class="actbox"><ul><li id="act-fav"><a href="/plus/stow.php?aid={article.doc_id}">收藏</a></li><li id="act-pr"><a href="#" onclick="window.print();">打印</a></li></ul></div></div>
</div>"""


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={CHARSET}" />
<title>{escape(title)}</title>
<meta name="keywords" content="江夏,司法局,法治政府" />
<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />
</head>
<body class="articlelist">
<div class="header"><div class="top w960 center"><div class="title"><h1><a href="/">{NAME}</a></h1></div></div>
<div class="module blue mT10 wrapper w963"><div id="navMenu"><ul>
<li><a href="/"><span>主页</span></a></li><li><a href="/a/{TYPEDIR}/"><span>{COLUMN}</span></a></li>
<li><a href="/a/tzgg/"><span>通知公告</span></a></li></ul></div>
<div class="search"><form name="formsearch" action="/plus/search.php"><input type="hidden" name="kwtype" value="0" />
<input name="q" type="text" class="search-keyword" /><button type="submit" class="search-submit">搜索</button></form></div></div></div>
<div class="w960 center clear mt1"><div class="pleft">{main}</div>
<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>内部预览</strong></dt>
<dd><ul class="d4"><li><a href="{draft_path()}">待审稿件</a></li></ul></dd></dl></div></div></div>
<div class="footer w960 center mt1 clear"><div class="footer_body"><p class="powered">Powered by <a href="http://www.dedecms.com" title="织梦内容管理系统(DedeCMS)">DedeCMS</a></p>
<div class="copyright">主办单位：{NAME}　鄂ICP备05004518号</div></div></div>
</body>
</html>
""",
        CHARSET,
        last_modified,
    )


def build_dede_site() -> Site:
    all_articles = articles()
    pages: dict[str, Page] = {
        "/robots.txt": robots_page(("/plus/", "/dede/", "/include/", "/templets/", "/data/"))
    }
    home_links = "".join(
        f'<li><a href="{article_path(a)}">{escape(a.title)}</a></li>'
        for a in pages_of(all_articles, 5)[0]
    )
    pages["/"] = pages["/index.html"] = _render(
        NAME, f'<div class="listbox"><ul class="e2">{home_links}</ul></div>', None
    )
    chunks = pages_of(all_articles, PER_PAGE)
    for number, chunk in enumerate(chunks, start=1):
        page = _render(
            f"{COLUMN}_{NAME}",
            _list_main(chunk, number, len(chunks), len(all_articles)),
            max(a.published for a in chunk if a.published),
        )
        pages[f"/a/{TYPEDIR}/list_{TYPEID}_{number}.html"] = page
    pages[f"/a/{TYPEDIR}/"] = pages[f"/a/{TYPEDIR}/index.html"] = pages[
        f"/a/{TYPEDIR}/list_{TYPEID}_1.html"
    ]
    ordered = [a for chunk in chunks for a in chunk]
    for index, article in enumerate(ordered):
        previous = ordered[index + 1] if index + 1 < len(ordered) else None
        pages[article_path(article)] = _render(
            f"{article.title}_{COLUMN}_{NAME}",
            _article_main(article, previous),
            article.published,
        )
    draft = Article(DRAFT_AID, REPORT_TITLE, datetime(2020, 2, 19, 9, 0), BUREAU, jiangxia_2019())
    pages["/plus/view.php"] = _render(REPORT_TITLE, _article_main(draft, None), draft.published)
    pages["/a/tzgg/"] = _render(
        f"通知公告_{NAME}", '<div class="listbox"><ul class="e2"></ul></div>', None
    )
    return Site(HOST, pages)
