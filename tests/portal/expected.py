"""Ground truth of the test portal: every report it serves (with metadata as shown on
the page) and the look-alike pages that must not be archived."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpectedReport:
    url: str
    title: str
    report_year: int
    published_at: str | None  # YYYY-MM-DD
    publisher: str | None
    also_at: tuple[str, ...] = ()


EXPECTED_REPORTS = [
    ExpectedReport(
        url="http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202301/t20230130_10052.html",
        title="绵阳市安州区人民政府2022年法治政府建设年度报告",
        report_year=2022,
        published_at="2023-01-30",
        publisher="绵阳市安州区司法局",
        also_at=("http://www.my.gov.cn/zwdt/qxdt/content_2301015.html",),
    ),
    ExpectedReport(
        url="http://www.kmdc.gov.cn/art/2019/2/13/art_4085_125711.html",
        title="东川区2018年度法治政府建设情况报告",
        report_year=2018,
        published_at="2019-02-13",
        publisher="昆明市东川区人民政府办公室",
    ),
    ExpectedReport(
        url="http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2501288.html",
        title="硚口区2024年度法治政府建设情况报告",
        report_year=2024,
        published_at="2025-03-06",
        publisher="硚口区司法局",
    ),
    ExpectedReport(
        url="http://sfj.lanzhou.gov.cn/zwgk/fzzfjs/content_31024.html",
        title="兰州市司法局关于2023年法治政府建设情况的报告",
        report_year=2023,
        published_at=None,
        publisher=None,
    ),
    ExpectedReport(
        url="http://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202303/t20230329_45634.htm",
        title="平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告",
        report_year=2022,
        published_at="2023-03-31",
        publisher="平潭综合实验区社会事业局",
    ),
    ExpectedReport(
        url="http://sfj.lanzhou.gov.cn/zwgk/tzgg/content_23021.html",
        title="兰州市司法局关于2022年法治政府建设情况的报告",
        report_year=2022,
        published_at="2023-02-20",
        publisher="兰州市司法局",
        also_at=("http://www.lanzhou.gov.cn/gkmlpt/content/2302/241/post_2302241.html",),
    ),
    # Linked from no column (a redesign left it behind): only the site search finds it.
    ExpectedReport(
        url="http://www.anzhou.gov.cn/zfxxgk/fzzfjs/202202/t20220215_9815.html",
        title="绵阳市安州区人民政府2021年法治政府建设年度报告",
        report_year=2021,
        published_at="2022-02-15",
        publisher="绵阳市安州区司法局",
    ),
    # The city portal publishes district reports as attachments (tests/portal/attachment_site.py):
    # a text PDF, and a scan that is archived with the page's introduction and needs_ocr.
    ExpectedReport(
        url="http://www.wuhan.gov.cn/zwgk/fdzdgknr/fzzfjs/202403/t20240320_5012.html",
        title="硚口区2023年度法治政府建设情况报告",
        report_year=2023,
        published_at="2024-03-20",
        publisher="硚口区司法局",
        # The file whose text is the report is a sighting of it too.
        also_at=("http://www.wuhan.gov.cn/zwgk/fdzdgknr/fzzfjs/202403/P020240320501201.pdf",),
    ),
    ExpectedReport(
        url="http://www.wuhan.gov.cn/zwgk/fdzdgknr/fzzfjs/202403/t20240325_5020.html",
        title="江岸区2023年度法治政府建设情况报告",
        report_year=2023,
        published_at="2024-03-25",
        publisher="江岸区司法局",
    ),
]

# Under a path robots.txt disallows: never requested, never archived.
ROBOTS_DISALLOWED_URLS = ["http://sfj.lanzhou.gov.cn/zwgk/nbgl/content_31023.html"]

NON_REPORT_URLS = [
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202201/t20220121_9801.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202203/t20220308_9850.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202206/t20220610_9903.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202301/t20230118_10047.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202302/t20230203_10055.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202303/t20230310_10061.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202401/t20240125_10087.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202403/t20240315_10120.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202501/t20250120_10198.html",
    "http://www.anzhou.gov.cn/zwgk/fdzdgknr/fzzfjsndbg/202503/t20250320_10231.html",
    "http://www.anzhou.gov.cn/zwgk/tzgg/202202/t20220211_9830.html",
    "http://www.anzhou.gov.cn/zwgk/tzgg/202302/t20230220_10060.html",
    "http://www.kmdc.gov.cn/art/2018/4/10/art_4085_118201.html",
    "http://www.kmdc.gov.cn/art/2019/1/22/art_4085_132018.html",
    "http://www.kmdc.gov.cn/art/2019/2/20/art_4085_125730.html",
    "http://www.kmdc.gov.cn/art/2019/3/12/art_4085_122019.html",
    "http://www.kmdc.gov.cn/art/2019/3/5/art_4072_125790.html",
    "http://www.kmdc.gov.cn/art/2020/1/22/art_4085_132019.html",
    "http://www.kmdc.gov.cn/art/2020/3/12/art_4085_122020.html",
    "http://www.kmdc.gov.cn/art/2021/1/22/art_4085_132020.html",
    "http://www.kmdc.gov.cn/art/2021/12/15/art_4085_146002.html",
    "http://www.kmdc.gov.cn/art/2021/3/12/art_4085_122021.html",
    "http://www.kmdc.gov.cn/art/2021/4/7/art_4072_151003.html",
    "http://www.kmdc.gov.cn/art/2022/1/22/art_4085_132021.html",
    "http://www.kmdc.gov.cn/art/2022/3/12/art_4085_122022.html",
    "http://www.kmdc.gov.cn/art/2023/1/22/art_4085_132022.html",
    "http://www.kmdc.gov.cn/art/2023/3/12/art_4085_122023.html",
    "http://www.kmdc.gov.cn/art/2024/1/22/art_4085_132023.html",
    "http://www.kmdc.gov.cn/art/2024/3/12/art_4085_122024.html",
    "http://www.kmdc.gov.cn/art/2025/1/22/art_4085_132024.html",
    "http://www.kmdc.gov.cn/art/2025/3/12/art_4085_122025.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2111305.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2401098.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2403120.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2501104.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2503155.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2503302.html",
    "http://www.qiaokou.gov.cn/zwgk/fzzfjs/content_2503410.html",
    "http://sfj.lanzhou.gov.cn/zwgk/fzzfjs/content_30975.html",
    "http://sfj.lanzhou.gov.cn/zwgk/fzzfjs/content_31188.html",
    "http://sfj.lanzhou.gov.cn/zwgk/tzgg/content_26022.html",
    "http://sfj.lanzhou.gov.cn/zwgk/tzgg/content_28023.html",
    "http://www.lanzhou.gov.cn/gkmlpt/content/2302/22/post_2302022.html",
    "http://www.lanzhou.gov.cn/gkmlpt/content/2312/23/post_2312023.html",
    "http://www.my.gov.cn/zwdt/qxdt/content_2303004.html",
    "http://www.pingtan.gov.cn/zwgk/ghxx/ndjh/202312/t20231214_83226.htm",
    "http://www.pingtan.gov.cn/zwgk/ghxx/ndjh/202312/t20231214_83240.htm",
    "http://www.wuhan.gov.cn/zwgk/fdzdgknr/fzzfjs/202401/t20240130_4988.html",
]
