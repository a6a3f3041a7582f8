"""Discovery on list pages: link scoring, TRS, generic and ?page=N paging,
Hanweb dataproxy, gkmlpt JSON lists, site search forms, list item dates, column shapes."""

from __future__ import annotations

import datetime as dt

import pytest
from parsel import Selector

from crawler.discovery import gkmlpt
from crawler.discovery.column_shape import ListShape, is_thin, read_list_shape, shape_warnings
from crawler.discovery.hanweb import find_dataproxy, record_fragments
from crawler.discovery.links import (
    Link,
    best_columns,
    is_candidate_report_link,
    is_same_site,
    page_links,
)
from crawler.discovery.list_items import is_before_years_of_interest, list_item_dates
from crawler.discovery.pagination import has_pager, next_page_guesses, read_script_pager
from crawler.discovery.site_search import find_search_endpoints

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


def test_columns_are_known_by_their_names_where_urls_say_nothing() -> None:
    """Hanweb and other CMS number their columns (/col/col123/): only the anchor names the
    way to the reports, in the words portals, departments and catalogues use."""
    links = [
        Link(HOME + "col/col101/index.html", "首页"),
        Link(HOME + "col/col102/index.html", "新闻中心"),
        Link(HOME + "col/col103/index.html", "政务公开"),
        Link(HOME + "col/col104/index.html", "法治建设"),
        Link(HOME + "col/col105/index.html", "计划总结"),
        Link(HOME + "col/col106/index.html", "公告公示"),
        Link(HOME + "col/col107/index.html", "办事服务"),
    ]
    assert [link.text for link in best_columns(links, 5)] == [
        "法治建设",
        "政务公开",
        "计划总结",
        "公告公示",
    ]


def test_report_titles_are_candidates_but_attachments_are_not() -> None:
    assert is_candidate_report_link(Link(HOME + "t.html", "安州区2022年法治政府建设年度报告"))
    assert not is_candidate_report_link(Link(HOME + "t.pdf", "安州区2022年法治政府建设年度报告"))


def test_truncated_rule_of_law_title_is_followed() -> None:
    assert is_candidate_report_link(Link(HOME + "t.html", "绵阳市安州区人民政府2022年法治..."))


def test_same_site_includes_subdomains_only() -> None:
    assert is_same_site("http://sfj.lanzhou.gov.cn/a.html", "http://www.lanzhou.gov.cn/")
    assert not is_same_site("http://www.baidu.com/", "http://www.lanzhou.gov.cn/")


def first_guess(url: str, html: str, links: list[Link], number: int) -> str | None:
    guesses = next_page_guesses(url, html, links, number)
    return guesses[0].url if guesses else None


def test_trs_page_count_from_create_page_html() -> None:
    pager = read_script_pager('<script>createPageHTML(3, 0, "index", "html");</script>')
    assert pager is not None and pager.count == 3


def test_trs_next_page_follows_the_current_page() -> None:
    html = '<script>createPageHTML(5, 1, "index", "html");</script>'
    assert first_guess(HOME + "zwgk/index_1.html", html, [], 2) == HOME + "zwgk/index_2.html"


def test_trs_last_page_has_no_next_page() -> None:
    html = '<script>createPageHTML(5, 4, "index", "html");</script>'
    assert next_page_guesses(HOME + "zwgk/index_4.html", html, [], 5) == []


def test_query_paging_goes_up_to_the_last_page_link() -> None:
    links = [Link(HOME + "list.html?page=2", "2"), Link(HOME + "list.html?page=16", "尾页")]
    assert first_guess(HOME + "list.html", "", links, 1) == HOME + "list.html?page=2"
    assert next_page_guesses(HOME + "list.html?page=16", "", links, 16) == []


def test_query_paging_ignores_other_paths() -> None:
    links = [Link(HOME + "other/list.html?page=2", "2")]
    assert next_page_guesses(HOME + "zwgk/list.html", "", links, 1) == []


def test_next_page_link_found_by_anchor_text() -> None:
    links = [Link(HOME + "list_2.html", "下一页"), Link(HOME + "list_9.html", "尾页")]
    assert first_guess(HOME + "list.html", "", links, 1) == HOME + "list_2.html"


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


def test_trs_search_form_gives_a_was5_query_url() -> None:
    html = (
        '<form action="/was5/web/search" method="get"><input type="hidden" name="channelid" '
        'value="246712"><input type="text" name="searchword"></form>'
    )
    [endpoint] = find_search_endpoints(Selector(text=html), HOME + "index.html")
    assert endpoint.query_url("法治") == (
        HOME + "was5/web/search?channelid=246712&searchword=%E6%B3%95%E6%B2%BB"
    )


def test_hanweb_search_form_keeps_action_query_and_hidden_fields() -> None:
    html = (
        '<form action="http://www.kmdc.gov.cn/jsearchfront/search.do?websiteid=53011300"><input '
        'type="HIDDEN" name="pg" value="1"><input name="q" type="hidden" value=""></form>'
    )
    [endpoint] = find_search_endpoints(Selector(text=html), "http://www.kmdc.gov.cn/")
    assert endpoint.fixed == (("websiteid", "53011300"), ("pg", "1"))
    assert endpoint.query_url("x").endswith("/jsearchfront/search.do?websiteid=53011300&pg=1&q=x")


def test_other_forms_are_not_search_endpoints() -> None:
    html = '<form action="/search/index.jsp"><input name="q"></form><form action="/login.do">'
    assert find_search_endpoints(Selector(text=html), HOME) == []


def test_list_item_dates_are_read_beside_the_link_not_inside_it() -> None:
    html = (
        '<ul><li><a href="t1.html">2023年1月29日的通知</a><span>2023-02-03</span></li>'
        '<li><a href="t2.html">关于2022年的报告</a>[2022/12/5]</li>'
        '<li><a href="t3.html">没有日期</a></li><li>2020-01-01 (no link)</li></ul>'
    )
    assert list_item_dates(Selector(text=html)) == [dt.date(2023, 2, 3), dt.date(2022, 12, 5)]


def test_list_item_dates_of_nested_lists_count_the_inner_items() -> None:
    html = (
        '<ul><li>栏目<ul><li><a href="t.html">通知</a><span>2024.03.15</span></li></ul></li></ul>'
    )
    assert list_item_dates(Selector(text=html)) == [dt.date(2024, 3, 15)]


def test_a_page_older_than_the_years_of_interest() -> None:
    # A report on 2022 comes out in 2023: a page of 2022 items is before it.
    old = [dt.date(2022, 12, 30), dt.date(2022, 3, 1)]
    assert is_before_years_of_interest(old, 2022)
    assert not is_before_years_of_interest([*old, dt.date(2023, 1, 2)], 2022)


def test_no_dates_or_no_limit_never_stop_paging() -> None:
    assert not is_before_years_of_interest([], 2022)
    assert not is_before_years_of_interest([dt.date(2001, 1, 1)], 0)


def test_pagers_of_the_families_are_recognised() -> None:
    assert has_pager('<script>createPageHTML(3, 0, "index", "html");</script>', [])
    assert has_pager("", [Link(HOME + "list.html?page=9", "尾页")])
    assert not has_pager("<p>共1条</p>", [Link(HOME, "首页")])


def test_list_shape_counts_article_links_or_dated_items() -> None:
    links = [Link(HOME + "zwgk/202301/t20230130_1.html", "报告"), Link(HOME + "zwgk/", "政务公开")]
    assert read_list_shape("", links, 0) == ListShape(items=1, has_pager=False)
    assert read_list_shape("", links, 4).items == 4
    assert is_thin(ListShape(5, False)) and not is_thin(ListShape(5, True))


def test_a_column_that_lost_its_items_and_pager_warns_twice() -> None:
    warnings = shape_warnings(HOME + "tzgg/", ListShape(15, True), ListShape(0, False))
    assert [w.split(": ")[0] for w in warnings] == [
        f"column {HOME}tzgg/ lists no items, 15 before",
        f"column {HOME}tzgg/ lost its pager",
    ]


def test_a_column_that_was_empty_before_does_not_warn() -> None:
    assert shape_warnings(HOME, ListShape(0, False), ListShape(0, False)) == []


def test_gkmlpt_dates_are_china_time_days() -> None:
    # 2023-02-23 16:30 UTC is already 2023-02-24 in Beijing.
    article = gkmlpt.GkmlptArticle("报告", "http://x/post_1.html", None, 1677169800)
    assert article.published_on == dt.date(2023, 2, 24)
