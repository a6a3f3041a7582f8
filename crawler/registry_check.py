"""What `nianbao portals --check` finds wrong in a registry: two governments on one division
code, one host behind several rows, and sites whose own name (as the source list gives it)
names another body than the row does, e.g. 甘肃省兰州市 → 兰州市城关区政府门户网."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.registry import PortalEntry

# A row's name is its division path run together (甘肃省兰州市城关区): the province, then
# the prefecture, then the row's own unit. The four municipalities are provinces.
PROVINCE = re.compile(r"^(?:北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]+?(?:省|自治区|特别行政区))")
PREFECTURE = re.compile(r"^[\u4e00-\u9fff]+?(?:市|自治州|地区|盟)")
COUNTY_UNIT = re.compile(r"[\u4e00-\u9fff]{2,}?(?:自治县|自治旗|县|区|旗)")
PREFECTURE_UNIT = re.compile(r"[\u4e00-\u9fff]{2,}?(?:自治州|地区|市|州|盟)")
# Unit-like words of site names that are not a division: 自治区 of a province, zones.
NOT_A_DIVISION = ("自治区", "新区", "高新区", "开发区", "园区", "景区", "城区", "矿区", "林区")
# The first characters of a unit's name are what every variant of it shares
# (兰州市, 中国兰州, 兰州政府网); two are enough to tell neighbours apart in practice.
STEM_CHARS = 2


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    portals: tuple[PortalEntry, ...]

    def lines(self) -> list[str]:
        rows = [f"    {p.division_code} {p.level} {p.name} {p.homepage}" for p in self.portals]
        return [f"{self.kind}: {self.detail}", *rows]


def units(name: str) -> list[str]:
    """甘肃省兰州市城关区 → [甘肃省, 兰州市, 城关区]; 甘肃省 → [甘肃省]."""
    province = PROVINCE.match(name)
    if province is None or province.end() == len(name):
        return [name]
    rest = name[province.end() :]
    prefecture = PREFECTURE.match(rest)
    if prefecture is None or prefecture.end() == len(rest):
        return [province.group(), rest]
    return [province.group(), prefecture.group(), rest[prefecture.end() :]]


def _named_units(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [u for u in pattern.findall(text) if not u.endswith(NOT_A_DIVISION)]


def site_name_disagreement(portal: PortalEntry) -> str | None:
    """Why the site's own name says it belongs to another body, or None when it agrees (or
    when there is no site name, or the row is a department, whose site names its bureau)."""
    path = units(portal.name)
    if not portal.site_name or not path or portal.level in ("department", "unknown"):
        return None
    own, site = path[-1], portal.site_name
    for parent in path[:-1]:
        site = site.replace(parent, "")
    stem = own[:STEM_CHARS]
    if portal.level in ("province", "prefecture"):
        below = [u for u in _named_units(site.replace(own, ""), COUNTY_UNIT) if stem not in u]
        if below:
            return f"site name {portal.site_name!r} is a county-level body's ({below[0]})"
    if stem in site:
        return None
    other = [
        unit
        for unit in _named_units(site, PREFECTURE_UNIT) + _named_units(site, COUNTY_UNIT)
        if not is_abbreviation(unit, own) and not is_renamed_county(unit, path)
    ]
    if other:
        return f"site name {portal.site_name!r} names {other[0]}, not {own}"
    return None


def is_abbreviation(short: str, full: str) -> bool:
    """察右前旗 for 察哈尔右翼前旗, 阜蒙县 for 阜新蒙古族自治县: the short name's characters
    appear in the full name in order."""
    remaining = iter(full)
    return all(char in remaining for char in short)


def is_renamed_county(unit: str, path: list[str]) -> bool:
    """九江县 on the site of 九江市柴桑区: a county named after its prefecture became a
    district with a new name (撤县设区); the site is the same government's."""
    return (
        len(path) == 3
        and unit.endswith("县")
        and unit[:STEM_CHARS] == path[1][:STEM_CHARS]
        and path[2].endswith("区")
    )


def _government_key(portal: PortalEntry) -> str:
    """One government per division code; a department is known by its own name."""
    return portal.name if portal.level == "department" else "government"


def duplicate_codes(portals: Iterable[PortalEntry]) -> list[Finding]:
    groups: dict[tuple[str, str], list[PortalEntry]] = defaultdict(list)
    for portal in portals:
        if portal.division_code:
            groups[(portal.division_code, _government_key(portal))].append(portal)
    return [
        Finding("duplicate code", f"{code} has {len(rows)} {key} rows", tuple(rows))
        for (code, key), rows in groups.items()
        if len(rows) > 1
    ]


def shared_hosts(portals: Iterable[PortalEntry]) -> list[Finding]:
    groups: dict[str, list[PortalEntry]] = defaultdict(list)
    for portal in portals:
        groups[portal.host].append(portal)
    return [
        Finding("shared host", f"{host} is the site of {len(rows)} rows", tuple(rows))
        for host, rows in groups.items()
        if len(rows) > 1
    ]


def name_mismatches(portals: Iterable[PortalEntry]) -> list[Finding]:
    return [
        Finding("name mismatch", reason, (portal,))
        for portal in portals
        if (reason := site_name_disagreement(portal)) is not None
    ]


def check_registry(portals: Sequence[PortalEntry]) -> list[Finding]:
    return duplicate_codes(portals) + shared_hosts(portals) + name_mismatches(portals)
