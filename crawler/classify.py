"""Decide whether an extracted page is an annual rule-of-law government report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?"

# Titles of the report itself (DESIGN.md "What counts as a report"): 法治政府建设 … 报告,
# 依法行政 … 报告, 法治工作情况 … 报告; the year and 年度 are optional in the pattern.
REPORT_TITLE_RES = tuple(
    re.compile(p)
    for p in (
        r"法治政府建设.{0,20}(?:情况|工作|年度)?.{0,12}报告",
        r"依法行政.{0,16}(?:工作|情况).{0,12}报告",
        r"法治(?:工作|建设工作)?情况.{0,24}报告",
        r"法治政府建设.{0,12}年度报告",
    )
)
# Frequent look-alikes; each one seen in the field, see DESIGN.md.
REJECT_TITLE_RES = (
    (re.compile(r"政府信息公开.{0,12}年度报告|信息公开工作.{0,6}报告"), "政府信息公开工作年度报告"),
    # Anchored at the end: a report may mention next year's 工作安排/要点 in its title
    # (…情况暨2023年工作要点的报告), a plan ends with it.
    (
        re.compile(r"(?:工作要点|工作安排|工作计划|计划|规划)$|要点的通知|实施方案"),
        "plan, not a report",
    ),
    (re.compile(r"示范创建|示范市|示范县|示范地区"), "示范创建"),
    (re.compile(r"解读|图解|一图读懂|答记者问"), "解读 of a report"),
    # News items name the report in 《》 or tell of a meeting that heard it.
    (re.compile(r"《[^》]*报告》|召开|审议|听取|常务会议|专题会"), "news about a report"),
    (re.compile(r"范文|模板|[二三四五两]篇|总结\s*\d*篇|精选|大全"), "template/范文 page"),
    (re.compile(r"(?:印发|转发).{0,40}的通知|征求意见|报送|的通知$|公示$"), "notice, not a report"),
)
# Sections the 2019 rule requires; a body with enough of them is a report even when the
# title is borderline (年度工作报告 of a bureau that covers 法治 work).
REQUIRED_SECTION_RES = (
    re.compile(r"主要举措|主要做法|工作成效|取得的成效|主要成效|工作情况"),
    re.compile(r"存在的(?:主要)?问题|问题和不足|不足之处|短板"),
    re.compile(r"第一责任人|主要负责人履行|党政主要负责人"),
    re.compile(r"下一步|工作安排|工作打算|工作思路|\d{4}年(?:工作)?(?:计划|打算)"),
)
MIN_REQUIRED_SECTIONS = 3
# A borderline title still has to be about 法治: 工作报告 alone is the general annual report.
BORDERLINE_TITLE_RE = re.compile(r"(?:法治|依法行政|依法治).{0,30}(?:报告|总结)")
GOV_HOST_SUFFIX = ".gov.cn"
# Document-sharing templates leave placeholders in the text (xx 区, xx 年); real reports name
# the place. Lowercase only: discovery tests and people write XX for "some place".
TEMPLATE_BODY_RE = re.compile(r"(?<![A-Za-z])xx\s*(?:区|县|市|年|局|镇|乡|街道)")


@dataclass(frozen=True)
class Verdict:
    """Classification outcome with a short human-readable reason."""

    is_report: bool
    reason: str


def rejection_reason(title: str) -> str | None:
    """Return why a title is a known look-alike, or None."""
    for pattern, reason in REJECT_TITLE_RES:
        if pattern.search(title):
            return reason
    return None


def is_report_title(title: str) -> bool:
    """Cheap check on an anchor text / title, used by discovery to pick detail links."""
    squeezed = re.sub(r"\s+", "", title)
    if rejection_reason(squeezed) is not None:
        return False
    return any(pattern.search(squeezed) for pattern in REPORT_TITLE_RES)


def count_required_sections(text: str) -> int:
    """How many of the four required report sections the body mentions."""
    return sum(1 for pattern in REQUIRED_SECTION_RES if pattern.search(text))


def is_government_host(url: str) -> bool:
    """True when the URL's host is a government domain (*.gov.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == GOV_HOST_SUFFIX[1:] or host.endswith(GOV_HOST_SUFFIX)


def classify_report(title: str | None, text: str, url: str) -> Verdict:
    """Classify a page from its title, body text and URL."""
    if not is_government_host(url):
        return Verdict(False, "rejected: not a government domain")
    squeezed = re.sub(r"\s+", "", title or "")
    reason = rejection_reason(squeezed)
    if reason is not None:
        return Verdict(False, f"rejected: {reason}")
    if TEMPLATE_BODY_RE.search(text):
        return Verdict(False, "rejected: template/范文 text with xx placeholders")
    if is_report_title(squeezed):
        return Verdict(True, "title matches 法治政府建设/依法行政…报告")
    sections = count_required_sections(text)
    if BORDERLINE_TITLE_RE.search(squeezed) and sections >= MIN_REQUIRED_SECTIONS:
        return Verdict(True, f"法治 title with {sections} of 4 required sections")
    return Verdict(False, "rejected: title is not a rule-of-law report")
