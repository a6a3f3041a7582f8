"""Ground truth of the variant sites: every report (metadata as the page shows it), every
look-alike that must not be archived, and the URLs robots.txt forbids. Derived from the site
definitions, so that a changed site and its truth cannot drift apart."""

from dataclasses import dataclass
from datetime import date

from tests.portal.site import Article
from tests.portal.variants import (
    asp_site,
    dede_site,
    epoint_site,
    gongkai_site,
    info_jsp_site,
    jcms_site,
    phpcms_site,
    trs_shtml_sites,
)
from tests.portal.variants.texts import gongchangling_2022


@dataclass(frozen=True)
class VariantReport:
    variant: str  # what the site tests, for the recall table
    url: str
    title: str
    report_year: int
    published_at: date | None
    publisher: str | None
    written_at: date | None = None
    # A phrase of the report's own text, where the page itself only introduces a file.
    text_contains: str | None = None


def _url(host: str, path: str) -> str:
    return f"http://{host}{path}"


def _jiangxia() -> VariantReport:
    return VariantReport(
        "DedeCMS list_N_M.html, signature block",
        _url(dede_site.HOST, "/a/fzzfjs/2020/0221/128.html"),
        dede_site.REPORT_TITLE,
        2019,
        date(2020, 2, 21),
        "江夏区司法局",
        written_at=date(2020, 2, 20),
    )


EXPECTED_VARIANT_REPORTS = [
    _jiangxia(),
    VariantReport(
        "PHPCMS dynamic lists, title without 报告, no shown date",
        _url(phpcms_site.HOST, "/index.php?m=content&c=index&a=show&catid=15&id=88"),
        phpcms_site.REPORT_TITLE,
        2021,
        None,
        None,
        written_at=date(2022, 1, 29),
    ),
    VariantReport(
        "PHPCMS, the previous year's report of the same district, no shown date",
        _url(phpcms_site.HOST, "/index.php?m=content&c=index&a=show&catid=15&id=52"),
        phpcms_site.EARLIER_TITLE,
        2020,
        None,
        None,
        written_at=date(2021, 1, 29),
    ),
    VariantReport(
        "old Hanweb JCMS, script-embedded XML on several pages",
        _url(jcms_site.HOST, "/art/2023/3/10/art_1229508_58812.html"),
        jcms_site.REPORT_TITLE,
        2022,
        date(2023, 3, 10),
        "湖州市司法局",
    ),
    VariantReport(
        "ASP list.asp?classid=&page=, a letter carrying the report",
        _url(asp_site.HOST, "/news/show.asp?id=3456"),
        asp_site.REPORT_TITLE,
        2023,
        date(2024, 3, 15),
        asp_site.OFFICE,
        written_at=date(2024, 3, 12),
    ),
    VariantReport(
        "department catalogue (部门信息公开 > department > channel)",
        _url(
            gongkai_site.HOST,
            "/gongkai/site_hyqsfj/channel_5a8a275263a8f25ef8c52662/doc_bcbf986f96a2a4ab9a573481.html",
        ),
        gongkai_site.REPORT_TITLE,
        2023,
        date(2024, 2, 5),
        "槐荫区司法局",
    ),
    VariantReport(
        "TRS .shtml, pager pageControl(...)",
        _url("www.xiaonan.gov.cn", "/zwgk/fdzdgknr/fzzfjs/202303/t20230320_4012877.shtml"),
        trs_shtml_sites.XIAONAN_TITLE,
        2022,
        date(2023, 3, 20),
        "孝南区司法局",
    ),
    VariantReport(
        "TRS .shtml, createPageHTML('page_div', …) with a list prefix",
        _url("www.dantu.gov.cn", "/dtq/fzzfjs/202503/t20250318_4802832.shtml"),
        trs_shtml_sites.DANTU_TITLE,
        2024,
        date(2025, 3, 18),
        "丹徒区司法局",
    ),
    VariantReport(
        "Epoint page introducing a PDF (时间/来源/作者/附件下载)",
        _url(
            epoint_site.HOST,
            epoint_site.article_path(
                Article(2293, epoint_site.REPORT_TITLE, epoint_site.REPORT_PUBLISHED, None)
            ),
        ),
        epoint_site.REPORT_TITLE,
        2022,
        epoint_site.REPORT_PUBLISHED.date(),
        epoint_site.BUREAU,
        text_contains=gongchangling_2022()[0][:40],
    ),
    VariantReport(
        "/info/iList.jsp platform: 政务公开 > 计划总结, page 2 by cur_page",
        _url(
            info_jsp_site.HOST,
            info_jsp_site.article_path(
                info_jsp_site.PLANS,
                Article(60417, info_jsp_site.REPORT_TITLE, info_jsp_site.REPORT_PUBLISHED, None),
            ),
        ),
        info_jsp_site.REPORT_TITLE,
        2023,
        info_jsp_site.REPORT_PUBLISHED.date(),
        info_jsp_site.BUREAU,
    ),
]

# Under paths robots.txt disallows: never requested, never archived.
VARIANT_ROBOTS_DISALLOWED_URLS = [
    _url(dede_site.HOST, dede_site.draft_path()),
    _url(asp_site.HOST, "/admin/show.asp?id=3457"),
]


def _look_alike_urls() -> list[str]:
    reports = {report.url for report in EXPECTED_VARIANT_REPORTS}
    return sorted(url for url in variant_article_urls() if url not in reports)


def variant_article_urls() -> list[str]:
    """Every article page the variant sites serve (reports and look-alikes)."""
    return [
        *(_url(dede_site.HOST, dede_site.article_path(a)) for a in dede_site.articles()),
        *(
            _url(phpcms_site.HOST, phpcms_site.show_url(catid, a))
            for catid, articles in phpcms_site.columns().items()
            for a in articles
        ),
        *(_url(jcms_site.HOST, jcms_site.article_path(a)) for a in jcms_site.articles()),
        *(
            _url(asp_site.HOST, asp_site.show_url(a))
            for articles in asp_site.classes().values()
            for a in articles
        ),
        *(_url(gongkai_site.HOST, path) for path in gongkai_site.doc_paths()),
        *(_url(host, path) for host, path in trs_shtml_sites.article_urls()),
        *(_url(epoint_site.HOST, epoint_site.article_path(a)) for a in epoint_site.articles()),
        *(
            _url(info_jsp_site.HOST, info_jsp_site.article_path(cat_id, a))
            for cat_id, articles in info_jsp_site.categories().items()
            for a in articles
        ),
    ]


VARIANT_NON_REPORT_URLS = _look_alike_urls()
