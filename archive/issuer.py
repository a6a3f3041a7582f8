"""Who issued a report: the words that end place and body names, and the issuer's parts
(place, kind of body, department) read from its name, so that queries need not parse names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from archive.numerals import YEAR_NUMBER
from archive.vocabulary import IssuerKind

# Administrative units a place name ends with, from province down to county.
ADMIN_UNIT_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "省",
    "市",
    "盟",
    "地区",
    "区",
    "县",
    "旗",
)
# Inside a name these are often no unit (兰州市, 安州区; 城乡建设局, 城镇): they count only where
# something must follow the name (甘孜州2022年…, 某某镇关于…), as at the head of a title.
AMBIGUOUS_UNIT_SUFFIXES = ("州", "镇", "乡", "街道")
# Names a government goes by on its own portal and its reports.
GOVERNMENT_NAMES = ("人民政府", "政府", "管委会", "管理委员会", "党工委管委会")
# How the names of departments and other bodies end (司法局, 发展和改革委员会, 研究院).
DEPARTMENT_SUFFIXES = (
    "司法局",
    "管理局",
    "局",
    "委员会",
    "委",
    "厅",
    "办公室",
    "办事处",
    "办",
    "中心",
    "党组",
    "所",
    "院",
)
ORGANISATION_SUFFIXES = GOVERNMENT_NAMES + DEPARTMENT_SUFFIXES


def alternation(words: Iterable[str]) -> str:
    """A non-capturing regex alternation of words, longest first so 人民政府 beats 政府."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


# Lazy name + unit suffix.
ADMIN_UNIT_RE = re.compile(rf"[\u4e00-\u9fff]{{1,10}}?{alternation(ADMIN_UNIT_SUFFIXES)}")
# A name's head ends where the title goes on: 关于… or the covered year.
NAME_END_RE = re.compile(rf"关于|{YEAR_NUMBER}")
# The party committee named before the government in a joint report (中共X区委 X区人民政府).
PARTY_COMMITTEE_RE = re.compile(r"^中共|委$")


@dataclass(frozen=True)
class Issuer:
    """An issuing body: its finest administrative unit, its kind, and a department's name."""

    place: str
    kind: IssuerKind
    department: str | None = None

    @property
    def organ(self) -> str:
        """ "government" for a government (alone or jointly), else the department's name."""
        return self.department or "government"


def parse_issuer(name: str | None) -> Issuer | None:
    """The body a name or title denotes: 绵阳市安州区人民政府 -> (安州区, government)."""
    if not name:
        return None
    head = NAME_END_RE.split(name.strip())[0]
    parts = head.split() or [head]
    units = list(ADMIN_UNIT_RE.finditer(parts[-1]))
    if not units:
        return None
    place, organ = units[-1].group(), parts[-1][units[-1].end() :]
    if organ and organ not in GOVERNMENT_NAMES:
        return Issuer(place, IssuerKind.DEPARTMENT, organ)
    joint = any(PARTY_COMMITTEE_RE.search(part) for part in parts[:-1])
    return Issuer(place, IssuerKind.JOINT if joint else IssuerKind.GOVERNMENT)
