"""Discovery on list pages: link scoring, CMS fingerprints, TRS, generic and ?page=N paging,
Hanweb dataproxy, gkmlpt JSON lists."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.discovery import gkmlpt
from crawler.discovery.fingerprint import CmsFamily, fingerprint
from crawler.discovery.hanweb import find_dataproxy, record_fragments
from crawler.discovery.links import (
    Link,
    best_columns,
    is_candidate_report_link,
    is_same_site,
    page_links,
)
from crawler.discovery.pagination import (
    next_page_links,
    query_next_page_url,
    trs_next_page_url,
    trs_page_count,
)

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


def test_trs_next_page_follows_the_current_page() -> None:
    html = '<script>createPageHTML(5, 1, "index", "html");</script>'
    assert trs_next_page_url(HOME + "zwgk/index_1.html", html, 30) == HOME + "zwgk/index_2.html"


def test_trs_last_page_and_page_limit_have_no_next_page() -> None:
    html = '<script>createPageHTML(5, 2, "index", "html");</script>'
    assert trs_next_page_url(HOME + "zwgk/index_2.html", html, 3) is None


def test_query_paging_goes_up_to_the_last_page_link() -> None:
    links = [Link(HOME + "list.html?page=2", "2"), Link(HOME + "list.html?page=16", "尾页")]
    assert query_next_page_url(HOME + "list.html", links, 30) == HOME + "list.html?page=2"
    assert query_next_page_url(HOME + "list.html?page=16", links, 30) is None


def test_query_paging_ignores_other_paths() -> None:
    links = [Link(HOME + "other.html?page=2", "2")]
    assert query_next_page_url(HOME + "list.html", links, 30) is None


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
    page = proxy.page_request("http://www.kmdc.gov.cn/col/col1234/index.html", 2)
    assert proxy.page_request("http://www.kmdc.gov.cn/col/col1234/index.html", 3) is None
    assert page is not None
    url, form = page
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


@pytest.mark.parametrize(
    ("html", "family"),
    [
        ('<a href="/gkmlpt/index">政府信息公开</a>', CmsFamily.GKMLPT),
        ("<!-- Produced By 大汉网络 大汉版通发布系统 -->", CmsFamily.HANWEB),
        ('<script>createPageHTML(3, 0, "index", "html");</script>', CmsFamily.TRS),
        ('<a href="list_2.html">下一页</a>', CmsFamily.GENERIC),
    ],
)
def test_fingerprint_names_the_cms_family(html: str, family: CmsFamily) -> None:
    assert fingerprint(html) is family


def test_gkmlpt_sid_read_from_script_config() -> None:
    html = '<script>window._CONFIG = {"SID": "755001", "SITE_NAME": "x"};</script>'
    assert gkmlpt.find_sid(html) == "755001" and gkmlpt.find_sid("<html></html>") is None


def test_gkmlpt_api_page_parses_articles_and_page_count() -> None:
    body = (
        '{"total": 15, "page_size": 10, "articles": [{"title": "报告", '
        '"url": "http://www.gd.gov.cn/gkmlpt/content/1/1/post_1.html", '
        '"publisher": "司法局", "date": 1677200000, "attachments": []}]}'
    )
    page = gkmlpt.parse_api_page(body)
    assert page.articles[0].publisher == "司法局"
    assert page.has_page_after(1) and not page.has_page_after(2)


def test_gkmlpt_api_url_names_category_page_and_sid() -> None:
    url = gkmlpt.api_url("http://www.gd.gov.cn/gkmlpt/index", "2", 3)
    assert url == "http://www.gd.gov.cn/gkmlpt/api/all/0?page=3&sid=2"


def test_gkmlpt_unexpected_answer_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a gkmlpt list answer"):
        gkmlpt.parse_api_page('{"error": "bad sid"}')


def test_pager_and_article_links_are_not_columns() -> None:
    links = [
        Link(HOME + "zwgk/tzgg/list.html?page=2", "2"),
        Link(HOME + "zwgk/tzgg/list.html?page=9", "尾页"),
        Link(HOME + "zwgk/tzgg/202202/t20220211_9830.html", "市政协会议开幕"),
        Link(HOME + "zwgk/fzzfjs/list.html", "法治政府建设"),
    ]
    assert [link.text for link in best_columns(links, 5)] == ["法治政府建设"]
