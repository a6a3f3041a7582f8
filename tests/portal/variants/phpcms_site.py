"""A PHPCMS v9 county portal with dynamic URLs: lists at
/index.php?m=content&c=index&a=lists&catid=N (&page=N), paged by PHPCMS's pages() markup
("N条", 上一页, numbers with the current one in a <span>, 下一页); articles at
/index.php?m=content&c=index&a=show&catid=N&id=M. The show template prints the title and the
body and nothing else: no date, no source. The report pages therefore show no date at all,
while the server still sends a Last-Modified (the day the static cache was regenerated).
Two reports of the same district for consecutive years share most of their wording."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, robots_page
from tests.portal.variants.column_items import look_alike, pages_of, yearly_look_alikes
from tests.portal.variants.texts import qingbaijiang_2020, qingbaijiang_2021

HOST = "www.qbj.gov.cn"
NAME = "成都市青白江区人民政府"
OFFICE = "青白江区人民政府办公室"
REPORT_TITLE = "青白江区2021年法治政府建设情况"
# The year before, titled as DESIGN.md's examples are: found by the title alone.
EARLIER_TITLE = "青白江区人民政府关于2020年法治政府建设工作的报告"
PER_PAGE = 5
# The day a template change regenerated every cached page: not a publication date.
REGENERATED = datetime(2024, 5, 6, 18, 20)
CATEGORIES = {11: "信息公开", 15: "法治政府建设", 16: "通知公告"}


def list_url(catid: int, page: int = 1) -> str:
    base = f"/index.php?m=content&c=index&a=lists&catid={catid}"
    return base if page == 1 else f"{base}&page={page}"


def show_url(catid: int, article: Article) -> str:
    return f"/index.php?m=content&c=index&a=show&catid={catid}&id={article.doc_id}"


def columns() -> dict[int, tuple[Article, ...]]:
    report = Article(88, REPORT_TITLE, None, None, qingbaijiang_2021())
    earlier = Article(52, EARLIER_TITLE, None, None, qingbaijiang_2020())
    fzzf = (
        report,
        earlier,
        look_alike(
            97, filler.implementation_plan("青白江区"), datetime(2021, 12, 20, 9, 0), OFFICE
        ),
        *yearly_look_alikes(60, "青白江区", range(2021, 2026), OFFICE),
    )
    notices = (
        look_alike(91, filler.meeting_news("青白江区", 2022), datetime(2022, 2, 18, 17, 0), OFFICE),
        look_alike(93, filler.interpretation(REPORT_TITLE), datetime(2022, 2, 25, 10, 0), OFFICE),
    )
    return {15: fzzf, 16: notices}


def _pages(catid: int, number: int, count: int, total: int) -> str:
    """PHPCMS's pages(): a count, 上一页, the page numbers (the current one unlinked), 下一页."""
    links = [f'<a class="a1">{total}条</a>']
    links.append(f'<a href="{escape(list_url(catid, max(number - 1, 1)))}" class="a1">上一页</a>')
    for n in range(1, count + 1):
        links.append(
            f"<span>{n}</span>"
            if n == number
            else f'<a href="{escape(list_url(catid, n))}">{n}</a>'
        )
    links.append(
        f'<a href="{escape(list_url(catid, min(number + 1, count)))}" class="a1">下一页</a>'
    )
    return " ".join(links)


def _sidebar() -> str:
    links = "".join(
        f'<li><a href="{escape(list_url(catid))}">{name}</a></li>'
        for catid, name in CATEGORIES.items()
        if catid != 11
    )
    return f'<div class="w210 left"><p class="title_blue">信息公开</p><ul class="list_zwgk">{links}</ul></div>'


def _list_main(catid: int, chunk: tuple[Article, ...], number: int, count: int, total: int) -> str:
    # This category uses the template's plain list: titles only, no date column.
    shading = ("<li>", '<li class="bg">')
    rows = "".join(
        f'{shading[i % 2]}<a href="{escape(show_url(catid, a))}" class="data_w1">'
        f"{escape(a.title)}</a></li>"
        for i, a in enumerate(chunk)
    )
    return f"""{_sidebar()}
<div class="right w770"><div class="detail_title"><p>{CATEGORIES[catid]}</p></div>
<div class="detail1"><ul class="listnews"><li><span class="data_w1 title">新闻标题</span></li>
{rows}</ul>
<div class="page_navi"><ul id="pagenum">{_pages(catid, number, count, total)}</ul></div>
</div></div>"""


def _show_main(article: Article) -> str:
    body = "</p><p>".join(escape(p) for p in article.paragraphs)
    return f"""{_sidebar()}
<div class="right w770"><div class="detail_title"><p>{escape(article.title)}</p></div>
<div class="detail"><p>{body}</p></div></div>"""


def _render(title: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=7" />
<meta name="keywords" content="青白江,青白江区人民政府"/>
<meta name="description" content="{NAME}"/>
<title>{escape(title)}</title>
<link href="/statics/css/all.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/statics/js/jquery.min.js"></script>
</head>
<body>
<div class="header w1000"><div class="logo"><a href="/">{NAME}</a></div>
<div class="nav"><a href="/">首页</a><a href="{escape(list_url(11))}">信息公开</a></div></div>
<!--信息公开整块-->
<div class="w1000 t10 clearfix">
{main}
</div>
<div class="footer w1000"><p>主办：{OFFICE}　网站标识码：5101130001　蜀ICP备05012468号</p></div>
</body>
</html>
""",
        last_modified=last_modified,
    )


def build_phpcms_site() -> Site:
    pages: dict[str, Page] = {
        "/robots.txt": robots_page(("/phpcms/", "/phpsso_server/", "/caches/", "/api.php"))
    }
    pages["/"] = pages["/index.php"] = pages["/index.html"] = _render(NAME, _sidebar(), REGENERATED)
    pages[list_url(11)] = _render(f"信息公开 - {NAME}", _sidebar(), REGENERATED)
    for catid, articles in columns().items():
        chunks = pages_of(articles, PER_PAGE)
        for number, chunk in enumerate(chunks, start=1):
            main = _list_main(catid, chunk, number, len(chunks), len(articles))
            pages[list_url(catid, number)] = _render(
                f"{CATEGORIES[catid]} - {NAME}", main, REGENERATED
            )
        for article in articles:
            pages[show_url(catid, article)] = _render(
                f"{article.title} - {NAME}", _show_main(article), REGENERATED
            )
    return Site(HOST, pages)
