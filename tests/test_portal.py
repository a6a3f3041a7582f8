"""The local test portal answers like the government sites it imitates, over loopback only."""

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.portal.expected import EXPECTED_REPORTS, NON_REPORT_URLS
from tests.portal.server import Portal, start_portal
from tests.portal.sites import LISTS_BY_SCRIPT

KMDC_REPORT = "/art/2019/2/13/art_4085_125711.html"
QIAOKOU_REPORT = "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2501288.html"


@pytest.fixture(scope="module")
def portal() -> Iterator[Portal]:
    with start_portal() as running:
        yield running


def _open(
    portal: Portal, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": portal.proxy_url}))
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        return opener.open(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error


def test_starts_on_a_free_loopback_port(portal: Portal) -> None:
    assert portal.proxy_url.startswith("http://127.0.0.1:")
    assert not portal.proxy_url.endswith(":0")


def test_proxy_get_returns_page_bytes(portal: Portal) -> None:
    response = _open(portal, "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/index_1.html")
    body = response.read()
    assert response.status == 200
    assert "绵阳市安州区人民政府2022年法治政府建设年度报告".encode() in body
    assert b'createPageHTML(3, 1, "index", "html")' in body


def test_requests_are_logged(portal: Portal) -> None:
    _open(portal, "http://www.anzhou.gov.cn/")
    assert ("GET", "http://www.anzhou.gov.cn/", 200) in portal.requests


def test_hanweb_first_page_hides_report(portal: Portal) -> None:
    body = _open(portal, "http://www.kmdc.gov.cn/col/col4085/index.html").read().decode()
    assert KMDC_REPORT not in body
    assert "columnid=4085" in body and "totalRecord: 18" in body


def test_hanweb_dataproxy_post_returns_report_record(portal: Portal) -> None:
    url = "http://www.kmdc.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15"
    form = b"col=1&appid=1&webid=3&path=/&columnid=4085&sourceContentType=1&unitid=340851"
    xml = _open(portal, url, data=form).read().decode()
    assert "<totalrecord>18</totalrecord>" in xml
    assert f'<record><![CDATA[<li><a href="{KMDC_REPORT}"' in xml
    assert xml.count("<record>") == 3


def test_gbk_page_is_labelled_gb2312_and_decodes_as_gb18030(portal: Portal) -> None:
    response = _open(portal, QIAOKOU_REPORT)
    body = response.read()
    assert response.headers["Content-Type"] == "text/html; charset=gb2312"
    assert "硚口区2024年度法治政府建设情况报告".encode("gbk") in body
    assert "法治硚口" in body.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")


def test_robots_txt_exists_on_every_site(portal: Portal) -> None:
    for report in EXPECTED_REPORTS:
        host = report.url.split("/")[2]
        assert b"User-agent: *" in _open(portal, f"http://{host}/robots.txt").read()


def test_unknown_host_is_404_and_not_forwarded(portal: Portal) -> None:
    assert _open(portal, "http://www.example.com/").status == 404


def test_unknown_path_is_404(portal: Portal) -> None:
    assert _open(portal, "http://www.anzhou.gov.cn/nope.html").status == 404


def test_conditional_get_by_etag_is_304(portal: Portal) -> None:
    etag = _open(portal, QIAOKOU_REPORT).headers["ETag"]
    assert _open(portal, QIAOKOU_REPORT, headers={"If-None-Match": etag}).status == 304


def test_conditional_get_by_date_is_304(portal: Portal) -> None:
    modified = _open(portal, QIAOKOU_REPORT).headers["Last-Modified"]
    assert _open(portal, QIAOKOU_REPORT, headers={"If-Modified-Since": modified}).status == 304


def test_dateless_report_sends_no_last_modified(portal: Portal) -> None:
    response = _open(portal, EXPECTED_REPORTS[3].url)
    assert response.status == 200 and response.headers["Last-Modified"] is None


def test_every_expected_url_is_served(portal: Portal) -> None:
    urls = [r.url for r in EXPECTED_REPORTS] + [u for r in EXPECTED_REPORTS for u in r.also_at]
    for url in urls + NON_REPORT_URLS:
        assert _open(portal, url).status == 200, url


def test_expected_titles_appear_on_their_pages(portal: Portal) -> None:
    for report in EXPECTED_REPORTS:
        response = _open(portal, report.url)
        charset = response.headers.get_content_charset()
        # GB2312 labels hide GBK bytes: decode with the superset, as the crawler must.
        body = response.read().decode("gb18030" if charset == "gb2312" else charset)
        assert report.title in body, report.url


def test_gkmlpt_shell_names_the_sid_and_api_lists_articles(portal: Portal) -> None:
    shell = _open(portal, "http://www.lanzhou.gov.cn/gkmlpt/index").read().decode()
    assert '"SID": "620100"' in shell
    api = "http://www.lanzhou.gov.cn/gkmlpt/api/all/0?page=2&sid=620100"
    body = _open(portal, api).read().decode()
    assert '"total": 15' in body and "兰州市司法局关于2022年法治政府建设情况的报告" in body


def test_query_paged_list_serves_deep_pages(portal: Portal) -> None:
    page = _open(portal, "http://sfj.lanzhou.gov.cn/zwgk/tzgg/list.html?page=16").read()
    assert "共16页".encode() in page and "下一页".encode() not in page


def test_robots_txt_disallows_the_internal_column(portal: Portal) -> None:
    robots = _open(portal, "http://sfj.lanzhou.gov.cn/robots.txt").read()
    assert b"Disallow: /zwgk/nbgl/" in robots


def test_site_search_finds_an_article_no_column_links(portal: Portal) -> None:
    query = urllib.parse.urlencode({"channelid": "246712", "searchword": "法治政府建设"})
    body = _open(portal, f"http://www.anzhou.gov.cn/was5/web/search?{query}").read().decode()
    assert "/zfxxgk/fzzfjs/202202/t20220215_9815.html" in body
    assert "/zfxxgk/" not in _open(portal, "http://www.anzhou.gov.cn/").read().decode()


def test_variant_moves_lists_into_a_script() -> None:
    with start_portal() as running:
        url = "http://sfj.lanzhou.gov.cn/zwgk/tzgg/list.html"
        before = _open(running, url).read().decode()
        running.set_variant(LISTS_BY_SCRIPT)
        after = _open(running, url).read().decode()
    assert "content_" in before and "尾页" in before
    assert "content_" not in after and "尾页" not in after and 'id="news-list"' in after
