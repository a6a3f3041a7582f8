"""`nianbao portals --check` and the registry build's fixes: duplicate codes, shared hosts,
site names naming another body, inferred prefectures, homepages kept as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cli import main
from crawler.registry import PortalEntry, load_registry
from crawler.registry_build import inferred_prefectures, normalized_homepage
from crawler.registry_check import check_registry, site_name_disagreement, units

HEADER = "name,homepage,level,division_code,site_name\n"


def portal(name: str, homepage: str, level: str, code: str, site: str = "") -> PortalEntry:
    return PortalEntry(name, homepage, level, code, site)


def test_units_of_a_division_path() -> None:
    assert units("甘肃省兰州市城关区") == ["甘肃省", "兰州市", "城关区"]
    assert units("河北省沧州市海兴县") == ["河北省", "沧州市", "海兴县"]
    assert units("北京市东城区") == ["北京市", "东城区"]
    assert units("四川省凉山彝族自治州宁南县") == ["四川省", "凉山彝族自治州", "宁南县"]


def test_prefecture_on_a_district_site_disagrees() -> None:
    row = portal(
        "甘肃省兰州市", "http://www.lzcgq.gov.cn/", "prefecture", "620100", "兰州市城关区政府门户网"
    )
    assert "城关区" in (site_name_disagreement(row) or "")


def test_site_of_another_prefectures_county_disagrees() -> None:
    row = portal(
        "福建省福州市长乐区", "http://www.ptxy.gov.cn/", "county", "350112", "莆田市秀屿区人民政府"
    )
    assert "莆田市" in (site_name_disagreement(row) or "")


@pytest.mark.parametrize(
    ("name", "site"),
    [
        ("江苏省连云港市连云区", "连云区人民政府网站"),
        ("内蒙古自治区乌兰察布市察哈尔右翼前旗", "察右前旗政府网"),  # abbreviation
        ("江西省九江市柴桑区", "九江县人民政府"),  # 撤县设区: the same government renamed
        ("四川省乐山市", "中国·乐山"),
    ],
)
def test_agreeing_site_names(name: str, site: str) -> None:
    level = "prefecture" if name.endswith("乐山市") else "county"
    assert site_name_disagreement(portal(name, "http://x.gov.cn/", level, "510000", site)) is None


def test_duplicate_government_code_but_not_its_departments() -> None:
    rows = [
        portal("贵州省", "http://www.gzgov.gov.cn/", "province", "520000"),
        portal("贵州省人民政府", "https://www.guizhou.gov.cn/", "province", "520000"),
        portal("贵阳市", "http://www.gygov.gov.cn/", "prefecture", "520100"),
        portal("贵阳市司法局", "http://sfj.guiyang.gov.cn/", "department", "520100"),
    ]
    findings = check_registry(rows)
    assert [(f.kind, len(f.portals)) for f in findings] == [("duplicate code", 2)]


def test_shared_host() -> None:
    rows = [
        portal("甲县", "http://xxgk.yn.gov.cn/?id=1", "county", "530802"),
        portal("乙县", "http://xxgk.yn.gov.cn/?id=2", "county", "530821"),
    ]
    assert [f.kind for f in check_registry(rows)] == ["shared host"]


def test_homepage_with_path_or_query_is_kept_as_given() -> None:
    assert normalized_homepage("http://www.x.gov.cn") == "http://www.x.gov.cn/"
    assert normalized_homepage("http://x.gov.cn/a/index.html") == "http://x.gov.cn/a/index.html"
    assert normalized_homepage("http://x.gov.cn/?id=1") == "http://x.gov.cn/?id=1"


def test_prefecture_inferred_from_its_counties_subdomains() -> None:
    rows = [
        portal("甘肃省", "http://www.gansu.gov.cn/", "province", "620000"),
        portal("甘肃省兰州市红古区", "http://hgq.lanzhou.gov.cn/", "county", "620111"),
        portal("甘肃省兰州市永登县", "http://ydx.lanzhou.gov.cn/", "county", "620121"),
        portal("甘肃省平凉市华亭市", "http://huating.gansu.gov.cn/", "county", "620881"),
    ]
    assert inferred_prefectures(rows) == [
        portal("甘肃省兰州市", "http://www.lanzhou.gov.cn/", "prefecture", "620100")
    ]


def test_check_command_reports_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "registry.csv"
    path.write_text(
        HEADER
        + "甘肃省兰州市,http://www.lzcgq.gov.cn/,prefecture,620100,兰州市城关区政府门户网\n"
        + "甘肃省兰州市,http://www.lanzhou.gov.cn/,prefecture,620100,\n",
        "utf-8",
    )
    assert main(["portals", "--check", "--registry", str(path)]) == 1
    out = capsys.readouterr().out
    assert "duplicate code: 620100" in out and "name mismatch" in out
    assert out.splitlines()[-1] == "2 portals: 1 duplicate code, 1 name mismatch"


def test_shipped_registry_has_no_duplicate_codes_or_mismatched_names() -> None:
    kinds = {f.kind for f in check_registry(load_registry())}
    assert kinds <= {"shared host"}  # provincial platforms hosting several counties' pages
