"""Decide whether an extracted page is an annual rule-of-law government report.

A page is weighed as evidence: what its title says, what its body says (the covered year,
the sections the 2019 rule requires, "现将…情况报告如下"), and what marks it as something else.
Known look-alikes are vetoed outright; everything else is a sum of named points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive.dedupe import fold_script
from archive.numerals import YEAR_LABEL, YEAR_NUMBER

TOPIC = r"(?:法治|依法行政|依法治)"

# Titles of the report itself (DESIGN.md "What counts as a report"): 法治政府建设 … 报告,
# 依法行政 … 报告, 法治工作情况 … 报告; the year and 年度 are optional in the pattern.
REPORT_TITLE_RES = tuple(
    re.compile(p)
    for p in (
        r"法治政府建设.{0,20}(?:情况|工作|年度)?.{0,12}报告",
        r"依法行政.{0,16}(?:工作|情况).{0,12}报告",
        r"法治(?:工作|建设工作)?情况.{0,24}报告",
        r"法治政府建设.{0,12}年度报告",
        # A department's own report: …2022年法治建设情况报告 / 法治建设工作报告.
        r"法治建设.{0,8}(?:情况|工作).{0,6}报告",
    )
)
# A year's 法治 work named without the word 报告 (平潭综合实验区2021年法治政府建设情况,
# …2023年度法治建设工作总结): a report when the body agrees.
YEAR_WORK_TITLE_RE = re.compile(
    rf"(?:{YEAR_LABEL}.{{0,16}}{TOPIC}|{TOPIC}.{{0,16}}{YEAR_LABEL}).{{0,20}}(?:情况|工作|总结|报告|汇报)"
)
# A 法治 word anywhere in the title: the page is about the subject, the body must carry it.
TOPIC_TITLE_RE = re.compile(rf"{TOPIC}.{{0,30}}(?:报告|总结|情况|汇报)")
# A letter or cover notice that may carry the report (关于报送2023年法治政府建设情况的函);
# it counts only when its body is the report itself.
LETTER_TITLE_RE = re.compile(r"报送|的函$|函$|的通知$|通知$")

# Frequent look-alikes; each one seen in the field, see DESIGN.md. A veto, whatever the body.
VETO_TITLE_RES = (
    (re.compile(r"政府信息公开.{0,12}年度报告|信息公开工作.{0,6}报告"), "政府信息公开工作年度报告"),
    # Anchored at the end: a report may mention next year's 工作安排/要点 in its title
    # (…情况暨2023年工作要点的报告), a plan ends with it.
    (
        re.compile(r"(?:工作要点|工作安排|工作计划|计划|规划)$|要点的通知|实施方案|工作方案"),
        "plan, not a report",
    ),
    (re.compile(r"示范创建|示范市|示范县|示范地区"), "示范创建"),
    (re.compile(r"解读|图解|一图读懂|答记者问"), "解读 of a report"),
    # News items name the report in 《》 or tell of a meeting that heard it.
    (re.compile(r"《[^》]*报告》|召开|审议|听取|常务会议|专题会|推进会"), "news about a report"),
    (re.compile(r"范文|模板|[二三四五两]篇|总结\s*\d*篇|精选|大全"), "template/范文 page"),
    # Rules about the reports (…年度报告工作指引, …报告制度): not a report of a year.
    (re.compile(r"(?:指引|规定|办法|细则|制度)》?$"), "rules about reports, not a report"),
    # Printed or forwarded documents are rules and plans; a letter submitting the report is
    # weighed instead (LETTER_TITLE_RE).
    (
        re.compile(r"(?:印发|转发).{0,40}的通知|征求意见|公示$|考核结果|公开信"),
        "notice, not a report",
    ),
)
# Sections the 2019 rule requires (督察工作规定 第二十五条).
REQUIRED_SECTION_RES = (
    re.compile(r"主要(?:举措|措施|做法|成效|工作)|工作成效|取得的成效|工作情况"),
    re.compile(r"存在的?(?:主要)?(?:问题|不足|短板|困难)|问题和不足|不足之处|短板|差距"),
    re.compile(r"第一责任人|主要负责人履行|党政主要负责人|主要负责同志履行"),
    re.compile(
        rf"下一步|今后|工作(?:安排|打算|思路|计划)|(?:{YEAR_NUMBER}|明|下一?)年度?.{{0,16}}"
        r"(?:安排|计划|打算|重点|思路)"
    ),
)
# The body says it is the report: 现将2022年法治政府建设情况报告如下.
# 法治 within the same sentence: 2022年我局深入推进法治政府建设，现将有关情况报告如下.
# Checked sentence by sentence (split at 。), so that a page without full stops costs linear
# time: an unbounded [^。]* around two parts is quadratic and stalled a crawl on a garbage page.
STATEMENT_RE = re.compile(r"现将[^。]{0,100}(?:报告|汇报)如下")
TOPIC_RE = re.compile(TOPIC)
# The opening sentence names the covered year: 2022年，我区… / 2022年以来 / 二〇二二年，….
YEAR_OPENING_RE = re.compile(rf"^{YEAR_LABEL}\s*(?:[，,、]|以来|是|我|全[区县市省])")
OPENING_LINES = 8
# A notice asking others for reports lists the same sections; these phrases give it away.
NOTICE_BODY_RE = re.compile(r"特此通知|通知如下|请(?:各|于|在).{0,30}前.{0,10}报送")
GOV_HOST_SUFFIX = ".gov.cn"
# Document-sharing templates leave placeholders in the text (xx 区, xx 年); real reports name
# the place. Lowercase only: discovery tests and people write XX for "some place".
# Some sites blank the place with * or ×× (*区, 召开会议*次) instead.
TEMPLATE_BODY_RE = re.compile(
    r"(?:(?<![A-Za-z])xx|[*＊]|××)\s*(?:区|县|市|年|局|镇|乡|街道|次|件|人)"
)

# Points per piece of evidence. A title naming the report is enough alone (the body may be a
# one-line introduction of the file); a year's 法治 work in the title needs three body points
# (e.g. the covered year and two required sections); without a title the body must say it
# reports and show the sections. A letter costs two: its body has to be the report itself
# (the covered year and all four sections, or a statement that it reports).
TITLE_REPORT_POINTS = 5
TITLE_YEAR_WORK_POINTS = 2
TITLE_TOPIC_POINTS = 1
LETTER_POINTS = -2
STATEMENT_POINTS = 3
YEAR_OPENING_POINTS = 1
SECTION_POINTS = 1
NOTICE_BODY_POINTS = -4
REPORT_MIN_POINTS = 5


@dataclass(frozen=True)
class Evidence:
    """One named reason for or against a page being a report, with its points; topical when
    it shows the page is about 法治 work at all."""

    name: str
    points: int
    topical: bool = False


@dataclass(frozen=True)
class Verdict:
    """Classification outcome with a short human-readable reason."""

    is_report: bool
    reason: str
    evidence: tuple[Evidence, ...] = ()


def squeeze(text: str | None) -> str:
    """A title as the patterns read it: no spaces, traditional characters as simplified (a
    Big5 page or a traditional mirror says 法治政府建設)."""
    return re.sub(r"\s+", "", fold_script(text or ""))


def veto_reason(title: str) -> str | None:
    """Return why a title is a known look-alike, or None."""
    for pattern, reason in VETO_TITLE_RES:
        if pattern.search(title):
            return reason
    return None


def title_evidence(title: str) -> list[Evidence]:
    """What the title alone says: the report, a year's 法治 work, the subject, a letter."""
    found = []
    if any(pattern.search(title) for pattern in REPORT_TITLE_RES):
        found.append(Evidence("title names a 法治政府建设 report", TITLE_REPORT_POINTS, True))
    elif YEAR_WORK_TITLE_RE.search(title):
        found.append(Evidence("title names a year's 法治 work", TITLE_YEAR_WORK_POINTS, True))
    elif TOPIC_TITLE_RE.search(title):
        found.append(Evidence("title is about 法治 work", TITLE_TOPIC_POINTS, True))
    if LETTER_TITLE_RE.search(title):
        found.append(Evidence("title is a letter or notice", LETTER_POINTS))
    return found


def is_report_title(title: str) -> bool:
    """The title alone says this is the report (no letter, no look-alike)."""
    return title_points(title) >= TITLE_REPORT_POINTS


def is_candidate_title(title: str) -> bool:
    """Worth fetching: a title that names the report or a year's 法治 work, letters included.

    Discovery follows these anchors and the attachment pipeline reads their files; the body
    decides afterwards.
    """
    squeezed = squeeze(title)
    if veto_reason(squeezed) is not None:
        return False
    return any(item.points >= TITLE_YEAR_WORK_POINTS for item in title_evidence(squeezed))


def is_report_candidate(title: str, text: str) -> bool:
    """Worth reading the page's files before classifying: a candidate title, or a body that
    says it reports the year's 法治 work under a title that is no look-alike."""
    if is_candidate_title(title):
        return True
    return veto_reason(squeeze(title)) is None and states_report(fold_script(text))


def title_points(title: str) -> int:
    squeezed = squeeze(title)
    if veto_reason(squeezed) is not None:
        return 0
    return sum(evidence.points for evidence in title_evidence(squeezed))


def count_required_sections(text: str) -> int:
    """How many of the four required report sections the body mentions."""
    return sum(1 for pattern in REQUIRED_SECTION_RES if pattern.search(text))


def opens_on_covered_year(text: str) -> bool:
    """True when one of the first lines of the body opens on a year (2022年，我区…)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return any(YEAR_OPENING_RE.match(line) for line in lines[:OPENING_LINES])


def states_report(text: str) -> bool:
    """A sentence says the page reports the year's 法治 work (现将…法治政府建设情况报告如下)."""
    return any(
        "现将" in sentence and STATEMENT_RE.search(sentence) and TOPIC_RE.search(sentence)
        for sentence in text.split("。")
    )


def body_evidence(text: str) -> list[Evidence]:
    """What the body says: that it reports, the covered year, the required sections."""
    found = []
    if states_report(text):
        found.append(Evidence("body says it reports the year's 法治 work", STATEMENT_POINTS, True))
    if opens_on_covered_year(text):
        found.append(Evidence("body opens on the covered year", YEAR_OPENING_POINTS))
    sections = count_required_sections(text)
    if sections:
        found.append(Evidence(f"{sections} of 4 required sections", sections * SECTION_POINTS))
    if NOTICE_BODY_RE.search(text):
        found.append(Evidence("body is a notice asking for reports", NOTICE_BODY_POINTS))
    return found


def is_government_host(url: str) -> bool:
    """True when the URL's host is a government domain (*.gov.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == GOV_HOST_SUFFIX[1:] or host.endswith(GOV_HOST_SUFFIX)


def classify_report(title: str | None, text: str, url: str) -> Verdict:
    """Classify a page from its title, body text and URL."""
    if not is_government_host(url):
        return Verdict(False, "rejected: not a government domain")
    squeezed = squeeze(title)
    veto = veto_reason(squeezed)
    if veto is not None:
        return Verdict(False, f"rejected: {veto}")
    if TEMPLATE_BODY_RE.search(text):
        return Verdict(False, "rejected: template/范文 text with xx placeholders")
    evidence = (*title_evidence(squeezed), *body_evidence(fold_script(text)))
    return weigh(evidence)


def weigh(evidence: tuple[Evidence, ...]) -> Verdict:
    """Sum the points. A page that nothing shows to be about 法治 work never counts, whatever
    sections its body lists (a bureau's general 年度工作报告 has them too)."""
    points = sum(item.points for item in evidence)
    reasons = ", ".join(f"{item.name} {item.points:+d}" for item in evidence) or "no evidence"
    if not any(item.topical for item in evidence):
        return Verdict(False, f"rejected: not about 法治 work ({reasons})", evidence)
    if points < REPORT_MIN_POINTS:
        return Verdict(
            False, f"rejected: {points} < {REPORT_MIN_POINTS} points ({reasons})", evidence
        )
    return Verdict(True, f"report, {points} points: {reasons}", evidence)
