"""Pager readers on small snippets in the shapes real list pages show, and the safety net's
ranking. Where each shape comes from:

- TRS WCM createPageHTML(count, current, "index", "html"): DESIGN.md and the TRS sites of the
  test portal; the single-quoted `.shtml` call and the element-id-first call
  `createPageHTML('page_div',5,1,'fg','shtml',89)` as quoted in a public crawler project's
  notes on TRS pagination helpers (found searching public code for "'index','shtml'");
- TRS `var countPage … "index_" + i + ".html"` scripts: a public TRS list-page script (found
  searching public code for "var countPage");
- DedeCMS `<div class="dede_pages"><ul class="pagelist">…<li class="thisclass">1</li>`: a
  public DedeCMS list template (searching "<ul class=\"pagelist\">"), with the list_TID_N.html
  names and 共N页 info the {dede:pagelist} tag writes;
- PHPCMS v9 `<div id="pages">` with index_N.html and 上一页/下一页 (its static list pages);
- ASP lists `list.asp?id=12&page=2` with 共N页 and numbered links;
- Hanweb JCMS `index.html?uid=UNIT&pageNum=N` column pages (jiangxi.gov.cn, wenzhou, nmg.gov.cn
  URLs quoted in public crawlers) and the script-XML datastore with <nextgroup> (a
  jiangsu.gov.cn column page quoted in a public crawler's tests);
- the `/info/iList.jsp?node_id=…&cat_id=…&cur_page=N` disclosure platform (www.mz.gov.cn,
  www.deyang.gov.cn, www.wlmq.gov.cn, www.shaanxi.gov.cn URLs quoted in public crawlers: RSSHub's
  deyang route and scrapers on GitHub) and Java CMS lists numbered `currentPage=N`."""

from __future__ import annotations

from parsel import Selector

from crawler.discovery.hanweb import embedded_page_urls, find_embedded_list
from crawler.discovery.links import Link, page_links
from crawler.discovery.list_items import list_item_urls
from crawler.discovery.pagination import (
    has_pager,
    next_page_guesses,
    read_script_pager,
    script_pager_links,
    total_pages_shown,
)
from crawler.discovery.safety_net import (
    Exploration,
    exploration_score,
    is_catalogue,
    is_department_name,
)

SITE = "http://www.example.gov.cn"


def guessed_urls(url: str, html: str, number: int) -> list[str]:
    links = page_links(Selector(text=html), url)
    return [guess.url for guess in next_page_guesses(url, html, links, number)]


def test_trs_single_quoted_shtml_call() -> None:
    html = "<script>createPageHTML(3,1,'index','shtml');</script>"
    assert guessed_urls(SITE + "/zwgk/index_1.shtml", html, 2)[0] == SITE + "/zwgk/index_2.shtml"


def test_trs_call_with_element_id_first_names_its_stem_and_extension() -> None:
    html = "<script>createPageHTML('page_div',5,0,'fg','shtml',89);</script>"
    assert guessed_urls(SITE + "/tzgg/", html, 1)[0] == SITE + "/tzgg/fg_1.shtml"


def test_trs_count_variable_and_page_file_written_by_script() -> None:
    html = """<script>
var currentPage = 0;//所在页从0开始
var countPage = 7//共多少页
document.write("<a href=\\"index_" + (currentPage + 1) + ".htm\\">下一页</a>");
</script>"""
    pager = read_script_pager(html)
    assert pager is not None and (pager.count, pager.stem, pager.extension) == (7, "index", "htm")
    assert guessed_urls(SITE + "/xxgk/", html, 1)[0] == SITE + "/xxgk/index_1.htm"


def test_other_count_names_are_read() -> None:
    names = ("var totalPage = 4;", "pageCount: '4',", "var page_count=4", "intPageCount = 4")
    for script in (*names, 'var m_nMaxPage = "4";', "var allPages=4"):
        pager = read_script_pager(f"<script>{script}</script>")
        assert pager is not None and pager.count == 4, script


def test_page_size_and_record_counts_are_not_page_counts() -> None:
    assert read_script_pager("<script>var pageSize = 15; var totalRecord = 40;</script>") is None
    assert (
        read_script_pager("<script>var pageViewCount = 31; var pageHitTotal = 9</script>") is None
    )
    assert read_script_pager("<script>var totalPage = 123456;</script>") is None


def test_a_script_pager_without_extension_takes_the_pages_own() -> None:
    html = "<script>var countPage = 3; var currentPage = 0;</script>"
    urls = guessed_urls(SITE + "/fzzf/index.shtml", html, 1)
    assert urls[0] == SITE + "/fzzf/index_1.shtml"
    assert all(url.endswith(".shtml") for url in urls)


def test_a_directory_url_tries_each_static_extension() -> None:
    html = "<script>var countPage = 3; var currentPage = 0;</script>"
    urls = guessed_urls(SITE + "/fzzf/", html, 1)
    assert urls[:3] == [SITE + f"/fzzf/index_1.{ext}" for ext in ("html", "shtml", "htm")]


def test_last_script_page_has_no_guess() -> None:
    html = '<script>createPageHTML(3, 2, "index", "html");</script>'
    assert guessed_urls(SITE + "/fzzf/index_2.html", html, 3) == []


DEDE_PAGER = """<div class="dede_pages"><ul class="pagelist">
<li><a>首页</a></li><li class="thisclass">1</li>
<li><a href='list_12_2.html'>2</a></li><li><a href='list_12_3.html'>3</a></li>
<li><a href='list_12_2.html'>下一页</a></li><li><a href='list_12_5.html'>末页</a></li>
<li><span class="pageinfo">共 <strong>5</strong>页<strong>68</strong>条</span></li></ul></div>"""


def test_dedecms_pagelist() -> None:
    url = SITE + "/a/fzzf/"
    assert guessed_urls(url, DEDE_PAGER, 1)[0] == SITE + "/a/fzzf/list_12_2.html"
    assert total_pages_shown(DEDE_PAGER) == 5


def test_dedecms_numbered_links_without_next_link() -> None:
    html = DEDE_PAGER.replace("<li><a href='list_12_2.html'>下一页</a></li>", "")
    assert guessed_urls(SITE + "/a/fzzf/list_12_2.html", html, 2)[0].endswith("/list_12_3.html")


PHPCMS_PAGER = """<div id="pages" class="text-c"><a class="a1">48条</a>
<a href="index.html" class="a1">上一页</a> <span>1</span> <a href="index_2.html">2</a>
<a href="index_3.html">3</a> <a href="index_2.html" class="a1">下一页</a></div>"""


def test_phpcms_index_pages() -> None:
    assert (
        guessed_urls(SITE + "/fzjs/index.html", PHPCMS_PAGER, 1)[0] == SITE + "/fzjs/index_2.html"
    )


def test_asp_query_pages_from_numbers_and_page_count() -> None:
    html = """<div class="page">共3页 第1页 <a href="list.asp?id=12&page=1">1</a>
<a href="list.asp?id=12&page=2">2</a> <a href="list.asp?id=12&page=3">3</a></div>"""
    assert guessed_urls(SITE + "/list.asp?id=12", html, 1)[0] == SITE + "/list.asp?id=12&page=2"
    assert guessed_urls(SITE + "/list.asp?id=12&page=3", html, 3) == []


def test_hanweb_page_num_links() -> None:
    html = '<a href="/col/col48473/index.html?uid=406462&pageNum=2">2</a><span>共5页</span>'
    url = SITE + "/col/col48473/index.html?uid=406462&pageNum=1"
    assert guessed_urls(url, html, 1)[0] == SITE + "/col/col48473/index.html?uid=406462&pageNum=2"


def test_other_spellings_of_the_page_parameter() -> None:
    """The pager links only the first and last pages: the next is numbered as they are."""
    column = SITE + "/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1"
    html = (
        '<div class="list_div"><ul><li><a href="/info/15971/1.htm">通知</a></li></ul></div>'
        '<a href="/info/iList.jsp?node_id=GKmzs&amp;cat_id=15971&amp;cur_page=1">首页</a>'
        '<a href="/info/iList.jsp?node_id=GKmzs&amp;cat_id=15971&amp;cur_page=5">尾页</a>'
    )
    assert guessed_urls(column, html, 1)[0] == (
        SITE + "/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=2"
    )
    html = '<a href="/gkml/list.do?type=3&amp;currentPage=4">尾页</a>'
    assert guessed_urls(SITE + "/gkml/list.do?type=3&currentPage=2", html, 2)[0] == (
        SITE + "/gkml/list.do?type=3&currentPage=3"
    )
    # The last page has none after it.
    assert guessed_urls(SITE + "/gkml/list.do?type=3&currentPage=4", html, 4) == []


def test_a_page_count_printed_without_links_still_gives_guesses() -> None:
    html = '<div class="pager">第1页/共4页</div><script src="/js/pager.js"></script>'
    urls = guessed_urls(SITE + "/tzgg/index.htm", html, 1)
    assert SITE + "/tzgg/index_1.htm" in urls and SITE + "/tzgg/index.htm?page=2" in urls


def test_a_page_without_pager_has_no_guess() -> None:
    html = '<ul><li><a href="/a/1.html">通知</a><span>2024-01-02</span></li></ul>'
    assert guessed_urls(SITE + "/tzgg/", html, 1) == []
    assert not has_pager(html, page_links(Selector(text=html), SITE + "/tzgg/"))


def test_pager_links_followed_only_by_script() -> None:
    html = """<div class="page"><a href="javascript:goPage('list_2.html')">下一页</a>
<a href="#" onclick="location.href='list.html?page=3'">3</a>
<select onchange="location.href=this.value"><option value="list.html">1</option>
<option value="list_2.html">2</option></select>
<a href="javascript:void(0)">首页</a></div>"""
    links = script_pager_links(Selector(text=html), SITE + "/tzgg/list.html")
    assert links == [
        Link(SITE + "/tzgg/list_2.html", "下一页"),
        Link(SITE + "/tzgg/list.html?page=3", "3"),
        Link(SITE + "/tzgg/list.html", "1"),
        Link(SITE + "/tzgg/list_2.html", "2"),
    ]
    guesses = next_page_guesses(SITE + "/tzgg/list.html", html, links, 1)
    assert guesses[0].url == SITE + "/tzgg/list_2.html"


JIANGSU_COLUMN = """<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860&webname=江苏省人民政府&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_11828204.html' title='连云港跨里海班列运输提质提速'>连云港跨里海班列运输提质提速</a><span>2026-09-11</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2025/12/15/art_33718_11693505.html' title='徐州以产业集群培育赋能中小企业高质量发展'>徐州以产业集群培育赋能中小企业高质量发展</a><span>2025-12-15</span></li>]]></record>
</recordset></datastore></script></div>
<script>var param_212860={columnid:33718,unitid:'212860'}; $('#212860').jpage({totalRecord:4895,perPage:19});</script>"""  # noqa: E501


def test_hanweb_script_xml_list() -> None:
    listing = find_embedded_list(JIANGSU_COLUMN)
    assert listing is not None
    assert (listing.records, listing.total_records, listing.per_page, listing.unit) == (
        2,
        4895,
        19,
        "212860",
    )
    column = "http://www.jiangsu.gov.cn/col/col33718/index.html"
    static, group = embedded_page_urls(column, listing, 1)
    assert static == column + "?uid=212860&pageNum=2"
    assert group.startswith("http://www.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?page=1&")


def test_hanweb_script_xml_list_shown_whole_has_no_later_page() -> None:
    html = JIANGSU_COLUMN.replace("totalRecord:4895", "totalRecord:2")
    listing = find_embedded_list(html)
    assert (
        listing is not None and embedded_page_urls(SITE + "/col/col1/index.html", listing, 1) == []
    )


def test_list_item_urls_are_the_dated_items_only() -> None:
    html = """<ul class="nav"><li><a href="/zwgk/">政务公开</a></li></ul>
<ul><li><a href="/a/1.html">通知</a><span>2024-01-02</span></li></ul>"""
    assert list_item_urls(Selector(text=html), SITE + "/") == frozenset({SITE + "/a/1.html"})


def test_department_names_and_catalogues() -> None:
    assert is_department_name("县司法局") and is_department_name("县卫生健康委员会")
    assert not is_department_name("县司法局2023年法治政府建设情况报告")
    departments = [
        Link(f"{SITE}/bm/{i}/", name) for i, name in enumerate(["甲局", "乙局", "丙委", "丁办"])
    ]
    assert is_catalogue("", departments)
    assert is_catalogue("部门信息公开", [])
    assert not is_catalogue("通知公告", departments[:2])


def test_exploration_ranks_reports_then_columns_then_departments_of_a_catalogue() -> None:
    report = Link(SITE + "/a/1.html", "某县司法局2024年法治政府建设情况报告")
    column = Link(SITE + "/fzzfjs/", "法治政府建设")
    department = Link(SITE + "/bm/sfj/", "县司法局")
    news = Link(SITE + "/xwzx/", "新闻中心")
    assert exploration_score(news, on_catalogue=False) == 0
    assert exploration_score(department, on_catalogue=False) == 0
    assert exploration_score(department, on_catalogue=True) > 0
    exploration = Exploration("test", budget=2)
    exploration.offer([news, department, column], on_catalogue=True)
    exploration.offer([report], on_catalogue=False)
    first, second = exploration.take(set()), exploration.take(set())
    assert first is not None and first.is_report and second is not None
    assert second.link == column
    assert exploration.take(set()) is None  # the budget of two pages is spent
    assert exploration.outcome().tried == (column.url,)


def test_exploration_skips_pages_already_fetched() -> None:
    exploration = Exploration("test", budget=5)
    exploration.offer([Link(SITE + "/fzzfjs/", "法治政府建设")], on_catalogue=False)
    assert exploration.take({SITE + "/fzzfjs/"}) is None
    assert exploration.pages == 0
