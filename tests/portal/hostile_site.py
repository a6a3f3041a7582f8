"""Hostile sites: report pages that link zip bombs (honest and lying sizes), a zip of 60k
members and a PDF that takes minutes to read; a 40 MB report page, a report page linking
100k files, a column of 100k links; and, on a site of its own, a page whose extraction runs
for minutes. Not in registry.csv: only the hostile-input crawl test visits them."""

from __future__ import annotations

import dataclasses
import functools
from datetime import datetime
from html import escape

from tests.fixtures.hostile import (
    MB,
    docx_bomb,
    huge_page,
    link_farm_page,
    many_members_zip,
    ofd_bomb,
    slow_pdf,
)
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.site import Article, Column, Page, Site, SiteInfo

HOST = "www.hostile.gov.cn"
SLOW_HOST = "www.slow.gov.cn"
WHEN = datetime(2024, 3, 1, 9, 0)
# Report-like titles, so that discovery follows each page and the pipelines fetch its files.
ATTACHMENT_BOMBS = {
    9101: ("甲县2023年法治政府建设年度报告", "docx", lambda: docx_bomb()),
    9102: ("乙县2023年法治政府建设年度报告", "docx", lambda: docx_bomb(declared=10_000)),
    9103: ("丙县2023年法治政府建设年度报告", "ofd", lambda: ofd_bomb()),
    9104: ("丁县2023年法治政府建设年度报告", "ofd", lambda: ofd_bomb(declared=1000)),
    9105: ("戊县2023年法治政府建设年度报告", "docx", lambda: many_members_zip()),
    9106: ("己县2023年法治政府建设年度报告", "pdf", lambda: slow_pdf()),
}
HUGE_PAGE = 9107, "庚县2023年法治政府建设年度报告"
FILE_FARM_PAGE = 9108, "辛县2023年法治政府建设年度报告"
LINK_FARM_COLUMN = "fzzflj"  # a column page of 100k report-like links
SLOW_PAGE = 9201, "壬县2023年法治政府建设年度报告"
LINKS_ON_A_FARM = 100_000


def page_url(doc_id: int, host: str = HOST) -> str:
    return f"http://{host}/fzzf/content_{doc_id}.html"


def file_url(doc_id: int) -> str:
    kind = ATTACHMENT_BOMBS[doc_id][1]
    return f"http://{HOST}/fzzf/files/{doc_id}.{kind}"


@functools.cache
def build_hostile_sites() -> tuple[Site, ...]:
    return _hostile_site(), _slow_site()


def _hostile_site() -> Site:
    info = SiteInfo(HOST, "敌意测试县人民政府", "敌意测试县人民政府办公室", "5307000098", "")
    titles = {doc_id: title for doc_id, (title, _, _) in ATTACHMENT_BOMBS.items()}
    titles.update(dict([HUGE_PAGE, FILE_FARM_PAGE]))
    articles = tuple(Article(i, t, WHEN, "司法局", ("见附件。",)) for i, t in titles.items())
    farm = Column(LINK_FARM_COLUMN, "法治政府建设链接", ())
    # The farm's links are disallowed by robots.txt: discovery leaves them out before they spend
    # the site's page budget, which the site's reports need.
    style = GenericStyle(per_page=20, disallow=(f"/{LINK_FARM_COLUMN}/content_",))
    site = build_generic_site(info, (Column("fzzf", "法治政府建设", articles), farm), style)
    pages = dict(site.pages)
    for doc_id, (title, kind, build) in ATTACHMENT_BOMBS.items():
        pages[f"/fzzf/content_{doc_id}.html"] = _introduction(title, [f"files/{doc_id}.{kind}"])
        pages[f"/fzzf/files/{doc_id}.{kind}"] = Page(build(), "application/octet-stream")
    doc_id, title = HUGE_PAGE
    pages[f"/fzzf/content_{doc_id}.html"] = Page(huge_page(title, 40 * MB), "text/html")
    doc_id, title = FILE_FARM_PAGE
    files = [f"files/farm/{n}.pdf" for n in range(LINKS_ON_A_FARM)]
    pages[f"/fzzf/content_{doc_id}.html"] = Page(link_farm_page(title, files), "text/html")
    farm_links = [f"/{LINK_FARM_COLUMN}/content_{n}.html" for n in range(LINKS_ON_A_FARM)]
    farm_page = Page(link_farm_page("癸县2023年法治政府建设年度报告", farm_links), "text/html")
    pages[f"/{LINK_FARM_COLUMN}/"] = pages[f"/{LINK_FARM_COLUMN}/list.html"] = farm_page
    return dataclasses.replace(site, pages=pages)


def _slow_site() -> Site:
    """A report page of 14k identical short paragraphs outside any content container:
    trafilatura falls back to jusText, whose neighbour search is quadratic in them."""
    info = SiteInfo(SLOW_HOST, "慢速测试县人民政府", "慢速测试县人民政府办公室", "5307000097", "")
    doc_id, title = SLOW_PAGE
    article = Article(doc_id, title, WHEN, "司法局", ("见附件。",))
    site = build_generic_site(
        info, (Column("fzzf", "法治政府建设", (article,)),), GenericStyle(per_page=20)
    )
    slow = Page(huge_page(title, 400 * 1024), "text/html")
    return dataclasses.replace(site, pages={**site.pages, f"/fzzf/content_{doc_id}.html": slow})


def _introduction(title: str, hrefs: list[str]) -> Page:
    links = "".join(f'<p><a href="{href}">{escape(title)}</a></p>' for href in hrefs)
    body = (
        f"<html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
        f"<h1>{escape(title)}</h1><div class='TRS_Editor'><p>详见附件。</p>{links}</div>"
        "</body></html>"
    )
    return Page(body.encode(), "text/html; charset=utf-8")
