"""Report bodies of the variant sites, derived from the seed reports (tests/fixtures/seeds):
each seed moved to another issuer and year, so that no two variant reports share a text and
none repeats a report of the main portal. A derived report keeps its seed's structure (the
year's measures, shortcomings, the leaders' duty, next year's plans)."""

import re

from tests.portal.fixtures import (
    anzhou_2022_body,
    kmdc_2018_body,
    lanzhou_2023_body,
    qiaokou_2024_body,
)


def derive(body: tuple[str, ...], names: dict[str, str], years: int) -> tuple[str, ...]:
    """`body` with every name in `names` replaced and every year 20xx moved by `years`."""

    def move(match: re.Match[str]) -> str:
        return f"{int(match.group(1)) + years}年"

    moved = []
    for paragraph in body:
        for old, new in names.items():
            paragraph = paragraph.replace(old, new)
        moved.append(re.sub(r"(20[0-3]\d)年", move, paragraph))
    return tuple(moved)


def jiangxia_2019() -> tuple[str, ...]:
    """江夏区's 2019 report, from 东川区's 2018 one; signed by the bureau that drafted it."""
    names = {"东川区": "江夏区", "东川": "江夏", "昆明市": "武汉市", "昆明": "武汉", "云南": "湖北"}
    return (*derive(kmdc_2018_body(), names, 1), "武汉市江夏区司法局", "2020年2月20日")


_QINGBAIJIANG = {
    "绵阳市安州区": "成都市青白江区",
    "安州区": "青白江区",
    "安州": "青白江",
    "绵阳": "成都",
}


def qingbaijiang_2021() -> tuple[str, ...]:
    return derive(anzhou_2022_body(), _QINGBAIJIANG, -1)


def qingbaijiang_2020() -> tuple[str, ...]:
    """The same issuer's previous year: much shared wording, a different report."""
    return derive(anzhou_2022_body(), _QINGBAIJIANG, -2)


def huzhou_sfj_2022() -> tuple[str, ...]:
    names = {"兰州市": "湖州市", "兰州": "湖州", "甘肃省": "浙江省", "金城": "南太湖"}
    return derive(lanzhou_2023_body(), names, -1)


def yunxi_2023_letter() -> tuple[str, ...]:
    """A letter to the city bureau that carries 云溪区's 2023 report as its body."""
    names = {"硚口区": "云溪区", "法治硚口": "法治云溪", "硚口": "云溪"}
    body = derive(qiaokou_2024_body(), names, -1)
    return (
        "岳阳市司法局：",
        "根据《法治政府建设与责任落实督察工作规定》要求，现将我区2023年法治政府建设情况报告如下。",
        *body,
        "特此函告。",
        "岳阳市云溪区人民政府",
        "2024年3月12日",
    )


def huaiyin_sfj_2023() -> tuple[str, ...]:
    names = {"兰州市司法局": "槐荫区司法局", "兰州市": "济南市", "兰州": "济南", "甘肃省": "山东省"}
    return derive(lanzhou_2023_body(), names, 0)


def xiaonan_2022() -> tuple[str, ...]:
    names = {"东川区": "孝南区", "东川": "孝南", "昆明市": "孝感市", "昆明": "孝感", "云南": "湖北"}
    return derive(kmdc_2018_body(), names, 4)


def dantu_2024() -> tuple[str, ...]:
    names = {"硚口区": "丹徒区", "法治硚口": "法治丹徒", "硚口": "丹徒"}
    return derive(qiaokou_2024_body(), names, 0)


def gongchangling_2022() -> tuple[str, ...]:
    names = {
        "绵阳市安州区": "辽阳市弓长岭区",
        "安州区": "弓长岭区",
        "安州": "弓长岭",
        "绵阳": "辽阳",
        "四川": "辽宁",
    }
    return derive(anzhou_2022_body(), names, 0)


def mianzhu_2023() -> tuple[str, ...]:
    names = {
        "绵阳市安州区": "德阳市绵竹市",
        "安州区": "绵竹市",
        "安州": "绵竹",
        "绵阳": "德阳",
    }
    return derive(anzhou_2022_body(), names, 1)
