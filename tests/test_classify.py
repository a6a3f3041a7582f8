"""Report classification: labelled titles, look-alikes, domains, templates, body sections."""

import pytest

from crawler.classify import (
    classify_report,
    is_candidate_title,
    is_report_candidate,
    is_report_title,
)

REPORT_TITLES = [
    "XX区2023年度法治政府建设情况报告",
    "东川区2018年度法治政府建设情况报告",
    "硚口区2024年度法治政府建设情况报告",
    "绵阳市安州区人民政府 2022年法治政府建设年度报告",
    "XX人民政府关于2017年法治政府建设工作的报告",
    "中共XX区委 XX区人民政府关于2024年法治政府建设情况的报告",
    "XX县2023年度法治政府建设工作总结的报告",
    "XX司法局关于2023年法治政府建设情况的报告",
    "兰州市司法局关于2023年法治政府建设情况的报告",
    "某县人民政府关于二〇二三年度法治政府建设工作的报告",
    "某市人民政府关于二〇一九年法治政府建设情况的报告",
    "XX市2015年依法行政工作报告",
    "XX县人民政府关于2014年度依法行政工作情况的报告",
    "平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告",
    "XX区司法局2021年法治工作情况报告",
    "XX镇人民政府关于2022年度法治政府建设情况的报告",
    "XX市2023年法治政府建设年度报告",
    "XX区人民政府关于2023年度法治政府建设情况和2024年工作安排的报告",
    "XX县应急管理局2022年法治政府建设年度报告",
    "XX市人民政府关于法治政府建设情况的报告",
    "XX省人民政府关于2020年法治政府建设情况的报告",
    "XX区2019年度法治政府建设工作情况报告",
    "XX市交通运输局2023年度法治政府建设情况报告",
    "XX县人民政府关于2022年度法治政府建设工作情况的报告",
    "中共XX县委 XX县人民政府关于2023年度法治政府建设情况的报告",
    "XX区市场监督管理局关于2024年度法治政府建设工作的报告",
    "XX市生态环境局2022年度法治政府建设工作报告",
    "XX街道办事处2023年法治政府建设情况报告",
    "XX自治州人民政府关于2021年度法治政府建设情况的报告",
    "XX市人民政府关于二〇二二年度法治政府建设情况的报告",
    "XX县卫生健康局关于2023年度法治政府建设工作情况报告",
    "XX区人民政府2020年度法治政府建设工作总结的报告",
    # Real titles, with the page they were read from.
    # www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/202103/t20210329_5396867.html (year first)
    "2020年静海区法治政府建设情况报告",
    # www.tjjh.gov.cn/…/fdzdgknr2/qtfdgkxx2/202403/t20240328_6583952.html
    "静海区2023年度法治政府建设情况报告",
    # sft.jiangsu.gov.cn/art/2018/5/3/art_71910_8100858.html
    "淮安市人民政府关于2017年度法治政府建设情况的报告",
    # cqcs.gov.cn/bm/qsfj_75253/…/fzzfjsndbg_bm/202303/t20230313_11742301.html
    "重庆市长寿区司法局2022年度法治政府建设年度报告",
    # shache.gov.cn/scx/c108016/202110/e08c1648dabf4ed2b5c3457e6b71f137.shtml
    "新疆维吾尔自治区人民政府关于2017年法治政府建设工作的报告",
    # issue 12: a department's report on a held-out real portal
    "平潭综合实验区交通与建设局2022年法治建设情况报告",
]
NOT_REPORT_TITLES = [
    "XX区2023年政府信息公开工作年度报告",
    "XX市人民政府2022年政府信息公开工作年度报告",
    "2023年法治政府建设工作要点",
    "XX区2024年法治政府建设工作安排",
    "XX市法治政府建设实施方案（2021-2025年）",
    "XX县法治政府建设示范创建工作方案",
    "关于开展法治政府建设示范创建活动的通知",
    "《XX区2023年度法治政府建设情况报告》解读",
    "一图读懂XX市2023年法治政府建设年度报告",
    "XX局2024年普法工作计划",
    "平潭综合实验区君山片区管理局2022年度工作报告",
    "XX县人民政府2023年度工作报告",
    "政府工作报告",
    "2020年依法行政工作总结二篇",
    "依法行政工作总结范文",
    "平潭综合实验区财政金融局2023年度执法监督检查计划",
    "关于印发《XX市法治政府建设年度报告工作规定》的通知",
    "区公安局2023年第四季度易制毒化学品企事业“双随机”抽查情况",
    "凯里市教育系统2024年公开招聘事业单位工作人员实施方案",
    "XX市法治政府建设规划",
    "XX区2024年政府信息公开工作年度报告",
    "XX县司法局2023年政府信息公开工作年度报告",
    "XX市2024年法治政府建设工作要点的通知",
    "关于印发XX县2023年法治政府建设工作要点的通知",
    "XX区法治政府建设实施方案（2021-2025年）",
    "XX市创建全国法治政府建设示范市工作方案",
    "XX县全国法治政府建设示范创建工作推进会召开",
    "图解：XX区2023年度法治政府建设情况报告",
    "《XX市2022年法治政府建设年度报告》政策解读",
    "区政府召开常务会议 审议《2022年法治政府建设年度报告》",
    "XX市政府常务会议听取2023年度法治政府建设情况报告",
    "2023年法治政府建设年度报告范文（精选5篇）",
    "法治政府建设情况报告模板",
    "XX区2023年度工作总结",
    "XX县2022年度法治政府建设考核结果公示",
    "关于报送2023年度法治政府建设情况报告的通知",
    "XX市2023年度法治政府建设工作安排",
    "XX局2023年依法行政工作计划",
    # Real look-alikes, with the page they were read from.
    # www.tianqiao.gov.cn/gongkai/site_tianqiaoquqzfbgsb/…/doc_65b210500ee15e41cff3060b.html
    "区政府常务会议议题解读:关于2023年度法治建设工作情况的汇报",
    # a mirror of the 清水县 portal (zm.sm-tc.cn), 2024-01-08
    "【政策解读】关于《清水县人民政府关于清水县2023年度法治政府建设工作总结的报告》的政策解读",
    # www.lieshan.gov.cn/zwgk/public/198/64851798.html
    "【文字解读】《中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告》文件解读",
    # xiping.gov.cn/portal/zwgk/zfwj/xzb/xzbelel/webinfo/2020/09/1606553978297842.htm
    "西平县人民政府办公室关于印发西平县2020年度法治政府建设工作安排的通知",
    # yongchang.gov.cn/zfxxgk/zc/wj/agwzlfl/jzf/art/2025/art_4ac8ce0009be4a7a991a7121d36457ca.html
    "金昌市人民政府关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知",
    # zgtc.gov.cn/xxgk/dfbmptlj/bmxxgkpt/xslj/zfxxgkzd_22275/202309/t20230914_3274212.shtml
    "法治政府建设年度报告工作指引",
    # shunhequ.gov.cn/wzzt/fzzfjs/gzdt/2023/9/7264998dff4b4a969fc0d184e12475fe.htm
    "致全市人民的一封公开信",
    # issue 12: letters that carry the report count only by their body
    "关于报送2023年法治政府建设情况的函",
]
# Not reports by title alone, yet worth fetching: the body decides.
CANDIDATE_TITLES = [
    "平潭综合实验区2021年法治政府建设情况",
    "关于报送2023年法治政府建设情况的函",
    "XX局2023年度法治建设工作总结",
    "XX区法治政府建设2022年度工作情况",
]
# Never fetched as report candidates: look-alikes whatever their body.
NEVER_CANDIDATE_TITLES = [
    title for title in NOT_REPORT_TITLES if "报送" not in title and "总结" not in title
]
REPORT_BODY = (
    "一、主要举措和成效 二、存在的问题和不足 "
    "三、党政主要负责人履行推进法治建设第一责任人职责情况 四、下一步工作安排"
)


@pytest.mark.parametrize("title", REPORT_TITLES)
def test_report_title_is_accepted(title: str) -> None:
    assert is_report_title(title)


@pytest.mark.parametrize("title", NOT_REPORT_TITLES)
def test_look_alike_title_is_rejected(title: str) -> None:
    assert not is_report_title(title)


@pytest.mark.parametrize("title", REPORT_TITLES + CANDIDATE_TITLES)
def test_report_and_year_work_titles_are_candidates(title: str) -> None:
    assert is_candidate_title(title)


@pytest.mark.parametrize("title", NEVER_CANDIDATE_TITLES)
def test_look_alike_title_is_no_candidate(title: str) -> None:
    assert not is_candidate_title(title)


def test_report_on_gov_domain_is_a_report() -> None:
    verdict = classify_report(
        "东川区2018年度法治政府建设情况报告", REPORT_BODY, "https://www.kmdc.gov.cn/a.html"
    )
    assert verdict.is_report


def test_non_government_domain_is_rejected() -> None:
    verdict = classify_report(
        "东川区2018年度法治政府建设情况报告", REPORT_BODY, "https://www.docin.com/p-1.html"
    )
    assert not verdict.is_report and "government" in verdict.reason


def test_information_disclosure_report_reason() -> None:
    verdict = classify_report(
        "XX区2023年政府信息公开工作年度报告", "", "https://www.x.gov.cn/1.html"
    )
    assert verdict.reason == "rejected: 政府信息公开工作年度报告"


def test_template_placeholders_in_body_are_rejected() -> None:
    verdict = classify_report(
        "2020年依法行政工作报告", "xx 年，xx 区综合行政执法局", "https://a.gov.cn/1"
    )
    assert not verdict.is_report


def test_borderline_title_accepted_with_required_sections() -> None:
    verdict = classify_report("XX局2023年法治建设工作总结", REPORT_BODY, "https://a.gov.cn/1")
    assert verdict.is_report


def test_borderline_title_without_sections_is_rejected() -> None:
    assert not classify_report(
        "XX局2023年法治建设工作总结", "开展普法宣传。", "https://a.gov.cn/1"
    ).is_report


def test_plain_work_report_with_sections_is_rejected() -> None:
    assert not classify_report("XX局2022年度工作报告", REPORT_BODY, "https://a.gov.cn/1").is_report


GOV = "https://www.pingtan.gov.cn/xxgk/1.html"
# A real report's shape (the 2019 rule's four sections under the year's opening sentence).
YEAR_REPORT_BODY = (
    "2021年，我区深入学习贯彻习近平法治思想，法治政府建设取得新成效。\n"
    "一、推进法治政府建设的主要举措和成效\n（一）依法全面履行政府职能。\n"
    "二、存在的不足和原因\n行政执法规范化水平有待提高。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n严格落实述法制度。\n"
    "四、2022年推进法治政府建设的主要安排\n持续深化依法行政。"
)


def test_year_work_title_with_report_body_is_a_report() -> None:
    verdict = classify_report("平潭综合实验区2021年法治政府建设情况", YEAR_REPORT_BODY, GOV)
    assert verdict.is_report
    assert "title names a year's 法治 work +2" in verdict.reason


def test_year_work_title_with_news_body_is_rejected() -> None:
    news = "近日，我县召开会议，部署2023年法治政府建设工作，要求各单位抓好落实。"
    assert not classify_report("我县扎实推进2023年法治政府建设工作", news, GOV).is_report


def test_letter_whose_body_is_the_report_is_a_report() -> None:
    verdict = classify_report("关于报送2023年法治政府建设情况的函", YEAR_REPORT_BODY, GOV)
    assert verdict.is_report and "letter" in verdict.reason


def test_letter_that_only_covers_its_file_is_rejected() -> None:
    cover = "市司法局：\n现将我局2023年法治政府建设情况报告报送你们，请审阅。\n特此函告。"
    assert not classify_report("关于报送2023年法治政府建设情况的函", cover, GOV).is_report


def test_notice_asking_for_reports_is_rejected_though_it_lists_the_sections() -> None:
    notice = (
        "各镇（街道）、区直各部门：\n现就报送2023年度法治政府建设情况报告有关事项通知如下。\n"
        "报告内容包括主要举措和成效、存在的不足和原因、党政主要负责人履行推进法治建设"
        "第一责任人职责情况、2024年工作打算。\n请于2024年2月20日前报送区司法局。\n特此通知。"
    )
    title = "关于报送2023年度法治政府建设情况报告的通知"
    assert not classify_report(title, notice, GOV).is_report


def test_body_that_says_it_reports_needs_no_title() -> None:
    body = "2022年，我局深入推进法治政府建设，现将有关情况报告如下：\n" + YEAR_REPORT_BODY
    verdict = classify_report(None, body, GOV)
    assert verdict.is_report and "body says it reports" in verdict.reason


def test_interpretation_with_a_report_like_body_stays_rejected() -> None:
    title = (
        "【文字解读】《中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告》文件解读"
    )
    assert classify_report(title, YEAR_REPORT_BODY, GOV).reason == "rejected: 解读 of a report"


def test_starred_template_on_a_government_host_is_rejected() -> None:
    # xuncaibao.com/zhuantifanwen/gongwenfanwen/119532.html blanks the place with *.
    body = "五年来，*区严格落实第一责任人职责规定。区委依法治区委共召开会议*次。"
    assert not classify_report("区五年法治政府建设工作情况的报告", body, GOV).is_report


def test_report_candidate_by_body_statement() -> None:
    assert is_report_candidate("", "我局深入推进法治政府建设，现将2023年有关情况报告如下。")
    assert not is_report_candidate("2023年法治政府建设工作要点", YEAR_REPORT_BODY)


@pytest.mark.parametrize(
    "opening",
    [
        # cqcs.gov.cn/bm/qsfj_75253/…/fzzfjsndbg_bm/202303/t20230313_11742301.html
        "2022年，长寿区司法局在区委、区政府的坚强领导下，坚持依法行政。"
        "现将我局2022年法治政府建设工作情况报告如下：",
        # shache.gov.cn/scx/c108016/202110/e08c1648dabf4ed2b5c3457e6b71f137.shtml
        "法治政府建设取得了阶段性成效。现将2017年自治区法治政府建设情况报告如下：",
        # the same sentence split in two (法治 before 现将, as reports often write it)
        "我局深入推进法治政府建设，现将有关情况报告如下：",
    ],
)
def test_real_report_openings_say_they_report(opening: str) -> None:
    verdict = classify_report(None, opening + "\n" + YEAR_REPORT_BODY, GOV)
    assert verdict.is_report and "body says it reports" in verdict.reason


def test_traditional_characters_are_classified_as_their_simplified_forms() -> None:
    verdict = classify_report(
        "某縣2023年法治政府建設情況報告",
        "2023年，某縣深入推進法治政府建設。現將有關情況報告如下。存在的問題。下一步工作安排。",
        "http://www.mou.gov.cn/1.html",
    )
    assert verdict.is_report
