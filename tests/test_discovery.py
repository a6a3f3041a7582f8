"""Discovery on list pages: link scoring, TRS and generic paging, Hanweb dataproxy."""

from __future__ import annotations

from parsel import Selector

from crawler.discovery.hanweb import find_dataproxy, record_fragments
from crawler.discovery.links import (
    Link,
    best_columns,
    is_candidate_report_link,
    is_same_site,
    page_links,
)
from crawler.discovery.pagination import next_page_links, trs_page_count, trs_page_urls

HOME = "http://www.anzhou.gov.cn/"


def test_page_links_prefer_title_attribute_and_resolve_urls() -> None:
    html = (
        '<a href="./202301/t1.html" title="安州区2022年法治政府建设年度报告">安州区2022年法治…</a>'
    )
    assert page_links(Selector(text=html), HOME + "zwgk/") == [
        Link(HOME + "zwgk/202301/t1.html", "安州区2022年法治政府建设年度报告")
    ]


def test_page_links_skip_javascript_and_mail() -> None:
    html = '<a href="javascript:void(0)">x</a><a href="mailto:a@b">y</a>'
    assert page_links(Selector(text=html), HOME) == []


def test_best_columns_rank_rule_of_law_column_first() -> None:
    links = [
        Link(HOME + "xwzx/", "新闻中心"),
        Link(HOME + "zwgk/", "政府信息公开"),
        Link(HOME + "zwgk/fzzfjsndbg/", "法治政府建设年度报告"),
    ]
    assert [link.text for link in best_columns(links, 5)] == [
        "法治政府建设年度报告",
        "政府信息公开",
    ]


def test_report_titles_are_candidates_but_attachments_are_not() -> None:
    assert is_candidate_report_link(Link(HOME + "t.html", "安州区2022年法治政府建设年度报告"))
    assert not is_candidate_report_link(Link(HOME + "t.pdf", "安州区2022年法治政府建设年度报告"))


def test_truncated_rule_of_law_title_is_followed() -> None:
    assert is_candidate_report_link(Link(HOME + "t.html", "绵阳市安州区人民政府2022年法治..."))


def test_same_site_includes_subdomains_only() -> None:
    assert is_same_site("http://sfj.lanzhou.gov.cn/a.html", "http://www.lanzhou.gov.cn/")
    assert not is_same_site("http://www.baidu.com/", "http://www.lanzhou.gov.cn/")


def test_trs_page_count_from_create_page_html() -> None:
    assert trs_page_count('<script>createPageHTML(3, 0, "index", "html");</script>') == 3


def test_trs_page_urls_skip_the_first_page_and_respect_limit() -> None:
    urls = trs_page_urls(HOME + "zwgk/index.html", 5, 3)
    assert urls == [HOME + "zwgk/index_1.html", HOME + "zwgk/index_2.html"]


def test_next_page_link_found_by_anchor_text() -> None:
    links = [Link(HOME + "list_2.html", "下一页"), Link(HOME + "list_9.html", "尾页")]
    assert next_page_links(links) == [HOME + "list_2.html"]


HANWEB_COLUMN = """<script>
var totalRecord = 20;
$.ajax({url: '/module/web/jpage/dataproxy.jsp', data: {col: 1, appid: 1, webid: 3,
 path: '/', columnid: 1234, sourceContentType: 1, unitid: 5678, webname: '东川区',
 permissiontype: 0},
 perpage: 15});
</script>"""


def test_dataproxy_parameters_read_from_column_page() -> None:
    proxy = find_dataproxy(HANWEB_COLUMN)
    assert proxy is not None and proxy.form["columnid"] == "1234" and proxy.per_page == 15


def test_dataproxy_requests_cover_the_records_after_the_first_page() -> None:
    proxy = find_dataproxy(HANWEB_COLUMN)
    assert proxy is not None
    [(url, form)] = proxy.page_requests("http://www.kmdc.gov.cn/col/col1234/index.html", 10)
    assert (
        url.endswith("dataproxy.jsp?startrecord=16&endrecord=20&perpage=15")
        and form["unitid"] == "5678"
    )


def test_dataproxy_records_parse_as_html_fragments() -> None:
    xml = (
        "<datastore><recordset><record><![CDATA[<li><a href='/art/1.html'>报告</a></li>]]>"
        "</record></recordset></datastore>"
    )
    [fragment] = record_fragments(xml)
    assert fragment.css("a::attr(href)").get() == "/art/1.html"


def test_page_without_dataproxy_is_not_hanweb() -> None:
    assert find_dataproxy("<html><body>下一页</body></html>") is None
