"""The portal's sites, assembled from the fixtures: which articles sit in which column of
which host. `expected.py` holds the ground truth these definitions must agree with."""

from datetime import date, datetime

from tests.portal import filler
from tests.portal.attachment_site import build_attachment_site
from tests.portal.fixtures import (
    anzhou_2021_body,
    anzhou_2022_body,
    kmdc_2018_body,
    lanzhou_2022_body,
    lanzhou_2023_body,
    qiaokou_2024_body,
    read_fixture,
)
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.gkmlpt_site import GkmlptStyle, build_gkmlpt_site
from tests.portal.hanweb_site import HanwebStyle, build_hanweb_site
from tests.portal.lossless_site import build_lossless_site
from tests.portal.paging_sites import build_paging_sites
from tests.portal.site import Article, Column, Site, SiteInfo
from tests.portal.trouble_site import build_trouble_site
from tests.portal.trs_site import TrsStyle, build_trs_site
from tests.portal.variants import build_variant_sites

ANZHOU_REPORT_TITLE = "绵阳市安州区人民政府2022年法治政府建设年度报告"
ANZHOU_SOURCE = "绵阳市安州区司法局"
ANZHOU_2021_TITLE = "绵阳市安州区人民政府2021年法治政府建设年度报告"
# Variants (`Portal.set_variant`): site changes between two runs.
LISTS_BY_SCRIPT = "lists_by_script"  # sfj.lanzhou.gov.cn renders its lists in the browser


def _filler(doc_id: int, text: tuple[str, tuple[str, ...]], when: datetime, source: str) -> Article:
    title, paragraphs = text
    return Article(doc_id, title, when, source, paragraphs)


def _anzhou() -> Site:
    info = SiteInfo(
        "www.anzhou.gov.cn",
        "绵阳市安州区人民政府",
        "绵阳市安州区人民政府办公室",
        "5107050001",
        "蜀ICP备05003344号",
    )
    office = "绵阳市安州区人民政府办公室"
    report = Article(
        10052, ANZHOU_REPORT_TITLE, datetime(2023, 1, 30, 15, 42), ANZHOU_SOURCE, anzhou_2022_body()
    )
    # Eleven items, five a page: the report lands on index_1.html.
    reports = Column(
        "fzzfjsndbg",
        "法治政府建设年度报告",
        (
            report,
            _filler(
                10231,
                filler.work_points("安州区", 2025),
                datetime(2025, 3, 20, 10, 0),
                ANZHOU_SOURCE,
            ),
            _filler(
                10198, filler.disclosure_report("安州区", 2024), datetime(2025, 1, 20, 9, 0), office
            ),
            _filler(
                10120,
                filler.work_points("安州区", 2024),
                datetime(2024, 3, 15, 10, 0),
                ANZHOU_SOURCE,
            ),
            _filler(
                10087, filler.disclosure_report("安州区", 2023), datetime(2024, 1, 25, 9, 0), office
            ),
            _filler(
                10061,
                filler.work_points("安州区", 2023),
                datetime(2023, 3, 10, 10, 0),
                ANZHOU_SOURCE,
            ),
            _filler(
                10055,
                filler.interpretation(ANZHOU_REPORT_TITLE),
                datetime(2023, 2, 3, 16, 0),
                ANZHOU_SOURCE,
            ),
            _filler(
                10047, filler.disclosure_report("安州区", 2022), datetime(2023, 1, 18, 9, 0), office
            ),
            _filler(
                9903,
                filler.implementation_plan("安州区"),
                datetime(2022, 6, 10, 11, 0),
                ANZHOU_SOURCE,
            ),
            _filler(
                9850, filler.work_points("安州区", 2022), datetime(2022, 3, 8, 10, 0), ANZHOU_SOURCE
            ),
            _filler(
                9801, filler.disclosure_report("安州区", 2021), datetime(2022, 1, 21, 9, 0), office
            ),
        ),
    )
    notices = Column(
        "tzgg",
        "通知公告",
        (
            _filler(
                10060,
                filler.meeting_news("安州区", 2023),
                datetime(2023, 2, 20, 17, 0),
                ANZHOU_SOURCE,
            ),
            Article(
                9830,
                "为现代化巴彦淖尔建设凝聚强大智慧和力量——热烈祝贺市政协五届一次会议开幕",
                datetime(2022, 2, 11, 8, 0),
                None,
                raw=read_fixture("corpus/pages/06_bynr-zhengxie-kaimu.html"),
            ),
        ),
    )
    zwgk = Column(
        "zwgk",
        "政府信息公开",
        children=(
            Column("fdzdgknr", "法定主动公开内容", children=(reports,)),
            notices,
        ),
    )
    # The 2021 report sits in a column the site's redesign left unlinked; only the site
    # search (which robots.txt allows here) still finds it.
    earlier = Article(
        9815, ANZHOU_2021_TITLE, datetime(2022, 2, 15, 10, 20), ANZHOU_SOURCE, anzhou_2021_body()
    )
    retired = Column(
        "zfxxgk", "政府信息公开", children=(Column("fzzfjs", "法治政府建设", (earlier,)),)
    )
    style = TrsStyle(
        per_page=5,
        today_banner="今天是2026年12月2日 星期三",
        search_channel="246712",
        disallow=("/search/",),
    )
    return build_trs_site(info, (zwgk,), style, retired=(retired,))


def _kmdc() -> Site:
    info = SiteInfo(
        "www.kmdc.gov.cn",
        "昆明市东川区人民政府",
        "昆明市东川区人民政府办公室",
        "5301130001",
        "滇ICP备05000713号",
    )
    office = "昆明市东川区人民政府办公室"
    title = "东川区2018年度法治政府建设情况报告"
    items = [
        Article(
            125711,
            title,
            datetime(2019, 2, 13, 15, 13),
            office,
            kmdc_2018_body(),
            index_no="052224292-201902-125711",
        ),
        _filler(125730, filler.interpretation(title), datetime(2019, 2, 20, 10, 0), office),
        _filler(
            146002, filler.implementation_plan("东川区"), datetime(2021, 12, 15, 10, 0), office
        ),
        *(
            _filler(120000 + y, filler.work_points("东川区", y), datetime(y, 3, 12, 9, 30), office)
            for y in range(2019, 2026)
        ),
        _filler(118201, filler.work_points("东川区", 2018), datetime(2018, 4, 10, 9, 30), office),
        *(
            _filler(
                130000 + y,
                filler.disclosure_report("东川区", y),
                datetime(y + 1, 1, 22, 9, 0),
                office,
            )
            for y in range(2018, 2025)
        ),
    ]
    # 18 items, 15 a page: the report (16th newest) only comes from the dataproxy POST.
    items = [_with_index_no(a) for a in items]
    fzzf = Column("4085", "法治政府建设", tuple(items))
    news = Column(
        "4072",
        "政务动态",
        (
            _filler(
                125790, filler.meeting_news("东川区", 2019), datetime(2019, 3, 5, 18, 0), office
            ),
            Article(
                151003,
                "保定市统筹推动城市和产业转型升级 着力构建“医车电数游”五大优势产业集群",
                datetime(2021, 4, 7, 9, 0),
                None,
                raw=read_fixture("corpus/pages/09_baoding-chanye-zhuanxing.html"),
            ),
        ),
    )
    xxgk = Column("4071", "政府信息公开", children=(fzzf, news))
    return build_hanweb_site(info, (xxgk,), HanwebStyle(webid=3, websiteid="5301130001"))


def _with_index_no(article: Article) -> Article:
    if article.index_no or article.published is None:
        return article
    index_no = f"052224292-{article.published:%Y%m}-{article.doc_id}"
    return Article(
        article.doc_id,
        article.title,
        article.published,
        article.source,
        article.paragraphs,
        index_no=index_no,
    )


def _qiaokou() -> Site:
    info = SiteInfo(
        "www.qiaokou.gov.cn",
        "武汉市硚口区人民政府",
        "武汉市硚口区人民政府办公室",
        "4201040001",
        "鄂ICP备05003412号",
    )
    bureau = "硚口区司法局"
    office = "硚口区人民政府办公室"
    title = "硚口区2024年度法治政府建设情况报告"
    report = Article(
        2501288,
        title,
        datetime(2025, 3, 6, 11, 31),
        bureau,
        qiaokou_2024_body(),
        updated=datetime(2025, 3, 6, 11, 37),
    )
    # Eight items, three a page: the report opens list_2.html.
    fzzfjs = Column(
        "fzzfjs",
        "法治政府建设",
        (
            report,
            _filler(
                2503410, filler.work_points("硚口区", 2025), datetime(2025, 3, 28, 15, 0), bureau
            ),
            _filler(
                2503302, filler.meeting_news("硚口区", 2025), datetime(2025, 3, 20, 17, 30), bureau
            ),
            _filler(2503155, filler.interpretation(title), datetime(2025, 3, 12, 10, 0), bureau),
            _filler(
                2501104,
                filler.disclosure_report("硚口区", 2024),
                datetime(2025, 1, 24, 9, 0),
                office,
            ),
            _filler(
                2403120, filler.work_points("硚口区", 2024), datetime(2024, 3, 15, 9, 0), bureau
            ),
            _filler(
                2401098,
                filler.disclosure_report("硚口区", 2023),
                datetime(2024, 1, 23, 9, 0),
                office,
            ),
            _filler(
                2111305, filler.implementation_plan("硚口区"), datetime(2021, 11, 30, 9, 0), bureau
            ),
        ),
    )
    zwgk = Column("zwgk", "政务公开", children=(fzzfjs,))
    return build_generic_site(info, (zwgk,), GenericStyle(per_page=3, charset="gb2312"))


LANZHOU_SFJ = "兰州市司法局"
LANZHOU_2022_TITLE = "兰州市司法局关于2022年法治政府建设情况的报告"


def _lanzhou_sfj(variant: str) -> Site:
    info = SiteInfo(
        "sfj.lanzhou.gov.cn",
        "兰州市司法局",
        "兰州市司法局",
        "6201000013",
        "陇ICP备05000237号",
    )
    bureau = LANZHOU_SFJ
    # The report page shows no date and no source: published_at must stay unknown.
    report = Article(
        31024, "兰州市司法局关于2023年法治政府建设情况的报告", None, None, lanzhou_2023_body()
    )
    fzzfjs = Column(
        "fzzfjs",
        "法治政府建设",
        (
            report,
            _filler(31188, filler.work_points(bureau, 2024), datetime(2024, 3, 20, 9, 0), bureau),
            _filler(
                30975, filler.disclosure_report(bureau, 2023), datetime(2024, 1, 29, 9, 0), bureau
            ),
        ),
    )
    # The column moved between years: the 2022 report went out as a notice, deep in a
    # 16-page list paged by ?page=N with no 下一页 link.
    earlier = Article(
        23021, LANZHOU_2022_TITLE, datetime(2023, 2, 20, 10, 0), bureau, lanzhou_2022_body()
    )
    tzgg = Column("tzgg", "通知公告", (earlier, *_lanzhou_notices(bureau)))
    # A draft under a path robots.txt disallows: it must never be fetched.
    draft = Article(
        31023,
        "兰州市司法局关于2023年法治政府建设情况的报告",
        datetime(2024, 1, 10, 9, 0),
        bureau,
        lanzhou_2023_body(),
    )
    internal = Column("nbgl", "法治政府建设内部管理", (draft,))
    zwgk = Column("zwgk", "政务公开", children=(fzzfjs, tzgg, internal))
    style = GenericStyle(
        per_page=2,
        query_paging=True,
        disallow=("/search/", "/zwgk/nbgl/"),
        lists_by_script=variant == LISTS_BY_SCRIPT,
    )
    return build_generic_site(info, (zwgk,), style)


def _lanzhou_notices(bureau: str) -> tuple[Article, ...]:
    notices = []
    for year in range(2016, 2026):
        notices += [
            _filler(
                24000 + year,
                filler.disclosure_report(bureau, year - 1),
                datetime(year, 1, 25, 9, 0),
                bureau,
            ),
            _filler(
                25000 + year, filler.meeting_news(bureau, year), datetime(year, 2, 28, 9, 0), bureau
            ),
            _filler(
                26000 + year, filler.work_points(bureau, year), datetime(year, 3, 15, 9, 0), bureau
            ),
        ]
    return tuple(notices)


def _lanzhou() -> Site:
    info = SiteInfo(
        "www.lanzhou.gov.cn",
        "兰州市人民政府",
        "兰州市人民政府办公厅",
        "6201000001",
        "陇ICP备05000001号",
    )
    office = "兰州市人民政府办公厅"
    # The city's disclosure catalogue reposts its bureaus' reports, four days later.
    repost = Article(
        2302241, LANZHOU_2022_TITLE, datetime(2023, 2, 24, 9, 30), LANZHOU_SFJ, lanzhou_2022_body()
    )
    items = [repost]
    for year in range(2019, 2026):
        items += [
            _filler(
                2300000 + year,
                filler.disclosure_report("兰州市", year - 1),
                datetime(year, 1, 20, 9, 0),
                office,
            ),
            _filler(
                2310000 + year,
                filler.work_points("兰州市", year),
                datetime(year, 3, 5, 9, 0),
                "兰州市司法局",
            ),
        ]
    # 15 items, 5 a page: the repost (6th newest) is on the JSON API's second page.
    return build_gkmlpt_site(info, tuple(items), GkmlptStyle(sid="620100", page_size=5))


def _mianyang() -> Site:
    info = SiteInfo(
        "www.my.gov.cn",
        "绵阳市人民政府",
        "绵阳市人民政府办公室",
        "5107000001",
        "蜀ICP备05001289号",
    )
    # The city portal reposts the district's report in its own chrome: a second sighting.
    repost = Article(
        2301015, ANZHOU_REPORT_TITLE, datetime(2023, 2, 1, 9, 30), ANZHOU_SOURCE, anzhou_2022_body()
    )
    qxdt = Column(
        "qxdt",
        "区县动态",
        (
            repost,
            _filler(
                2303004,
                filler.work_points("绵阳市", 2023),
                datetime(2023, 3, 1, 10, 0),
                "绵阳市司法局",
            ),
        ),
    )
    zwdt = Column("zwdt", "政务动态", children=(qxdt,))
    return build_generic_site(info, (zwdt,), GenericStyle())


def _pingtan() -> Site:
    info = SiteInfo(
        "www.pingtan.gov.cn",
        "平潭综合实验区党工委管委会",
        "平潭综合实验区党工委管委会办公室",
        "3501280001",
        "闽ICP备05021327号",
    )
    progress = Column(
        "gzjzqk",
        "工作进展情况",
        (
            Article(
                45634,
                "平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告",
                datetime(2023, 3, 31, 10, 9),
                None,
                url_date=date(2023, 3, 29),
                raw=read_fixture("corpus/pages/18_pingtan-shehuishiye-fazhi-gongzuo-2022.html"),
            ),
        ),
    )
    plans = Column(
        "ndjh",
        "年度计划",
        (
            Article(
                83226,
                "平潭综合实验区财政金融局2023年度执法监督检查计划",
                datetime(2023, 12, 14, 10, 33),
                None,
                raw=read_fixture("corpus/pages/20_pingtan-caizheng-zhifa-jiandu-jihua-2023.html"),
            ),
            # Re-published in December: the URL date is not the page's date.
            Article(
                83240,
                "平潭综合实验区君山片区管理局2022年度工作报告",
                datetime(2023, 1, 9, 11, 40),
                None,
                url_date=date(2023, 12, 14),
                raw=read_fixture("corpus/pages/21_pingtan-junshan-2022-gongzuo-baogao.html"),
            ),
        ),
    )
    zwgk = Column(
        "zwgk", "政务公开", children=(Column("ghxx", "规划信息", children=(progress, plans)),)
    )
    return build_trs_site(info, (zwgk,), TrsStyle(per_page=15, suffix="htm"))


def build_sites(variant: str = "") -> dict[str, Site]:
    """All sites of the portal, keyed by host, as `variant` (if any) changes them."""
    sites = (
        _anzhou(),
        _kmdc(),
        _qiaokou(),
        _lanzhou_sfj(variant),
        _lanzhou(),
        _mianyang(),
        _pingtan(),
        build_attachment_site(),
        build_trouble_site(),
        *build_variant_sites(),
        build_lossless_site(variant),
        *build_paging_sites(variant),
    )
    return {site.host: site for site in sites}
