"""Report classification: labelled titles, look-alikes, domains, templates, body sections."""

import pytest

from crawler.classify import classify_report, is_report_title

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
