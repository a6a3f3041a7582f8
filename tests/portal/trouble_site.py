"""A site that misbehaves the ways real government servers do: a 500, a response cut short,
one far too large, binary garbage served as HTML, and a report whose GBK bytes are labelled
UTF-8. It is not in registry.csv: only the bad-input crawl test visits it."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from tests.portal.fixtures import kmdc_2018_body
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.site import Article, Column, Page, Site, SiteInfo

HOST = "www.trouble.gov.cn"
REPORT_TITLE = "东川区2018年度法治政府建设情况报告"
# Report-like titles, so discovery follows each of them into its fault.
FAULTS = {
    9001: "永胜县2023年法治政府建设年度报告",  # HTTP 500
    9002: "华坪县2023年法治政府建设年度报告",  # Content-Length never delivered
    9003: "宁蒗县2023年法治政府建设年度报告",  # larger than the test's DOWNLOAD_MAXSIZE
    9004: "玉龙县2023年法治政府建设年度报告",  # binary garbage labelled text/html
}
HUGE_BYTES = 1_500_000


def fault_url(doc_id: int) -> str:
    return f"http://{HOST}/fzzf/content_{doc_id}.html"


def report_url() -> str:
    return f"http://{HOST}/fzzf/content_9000.html"


def build_trouble_site() -> Site:
    info = SiteInfo(
        HOST, "故障测试县人民政府", "故障测试县人民政府办公室", "5307000099", "滇ICP备0000000号"
    )
    when = datetime(2023, 3, 1, 9, 0)
    articles = [
        Article(9000, REPORT_TITLE, datetime(2019, 2, 13, 15, 13), "东川区司法局", kmdc_2018_body())
    ]
    articles += [
        Article(doc_id, title, when, "司法局", ("见附件。",)) for doc_id, title in FAULTS.items()
    ]
    site = build_generic_site(
        info, (Column("fzzf", "法治政府建设", tuple(articles)),), GenericStyle(per_page=10)
    )
    pages = dict(site.pages)
    path = "/fzzf/content_{}.html"
    pages[path.format(9000)] = _mislabelled(pages[path.format(9000)])
    pages[path.format(9001)] = Page(b"<h1>500 Internal Server Error</h1>", "text/html", status=500)
    cut = pages[path.format(9002)]
    pages[path.format(9002)] = dataclasses.replace(
        cut, body=cut.body[: len(cut.body) // 3], declared_length=len(cut.body)
    )
    pages[path.format(9003)] = Page(
        b"<html><body>" + b"x" * HUGE_BYTES + b"</body></html>", "text/html"
    )
    pages[path.format(9004)] = Page(bytes(range(256)) * 40, "text/html")
    return dataclasses.replace(site, pages=pages)


def _mislabelled(page: Page) -> Page:
    """The same page as GBK bytes, still labelled UTF-8 in the header and in the markup."""
    return dataclasses.replace(page, body=page.body.decode("utf-8").encode("gbk"))
