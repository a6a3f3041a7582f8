"""Is a report complete? The four parts the 2019 rule requires, each with its evidence.

督察工作规定 (2019) art. 25: the year's main measures and results; shortcomings and their
causes; how the party and government principal leaders performed their duty as first
responsible person for rule-of-law construction; next year's plans. Headings are the best
evidence; a report without a heading for a part may still say it in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from archive.numerals import YEAR_NUMBER, year_value
from archive.sections import Section, outline, walk
from archive.vocabulary import RequiredPart

ALL_PARTS_MASK = sum(part.bit for part in RequiredPart)
# How `show` and the README name each part.
PART_NAMES = {
    RequiredPart.MEASURES: "main measures and results",
    RequiredPart.SHORTCOMINGS: "shortcomings and their causes",
    RequiredPart.LEADERS_DUTY: "principal leaders' duty as first responsible person",
    RequiredPart.PLANS: "next year's plans",
}


class EvidenceSource(StrEnum):
    HEADING = "heading"  # a section heading names the part
    SECTIONS = "sections"  # the year's work told in topic sections before the other parts
    SENTENCE = "sentence"  # a sentence of the body says it


# Headings naming each part, in the many wordings reports use.
HEADING_PATTERNS: dict[RequiredPart, re.Pattern[str]] = {
    RequiredPart.MEASURES: re.compile(
        r"主要(?:举措|措施|做法|成效|成绩|工作)|(?:工作|建设)(?:开展)?(?:情况|成效|举措|措施|进展)"
        r"|取得的?(?:主要)?(?:成效|成绩|进展)|(?:举措|措施|做法)(?:和|及|与)?成效|基本情况|工作回顾"
    ),
    RequiredPart.SHORTCOMINGS: re.compile(
        r"存在的?(?:主要)?(?:问题|不足|短板|困难|差距)|(?:问题|困难)(?:和|与|及)"
        r"(?:不足|原因|短板|差距|困难)|不足(?:之处|和|与|及)|薄弱环节|短板弱项|差距(?:和|与)不足"
        r"|主要问题|的不足"
    ),
    RequiredPart.LEADERS_DUTY: re.compile(r"第一责任人|(?:党政)?主要负责(?:人|同志)|一把手"),
    # 工作目标 or 主要任务 alone may head a measure (（一）明确工作目标): those need a year.
    RequiredPart.PLANS: re.compile(
        r"下一?步|下一阶段|今后|明年|来年|展望|(?:工作|主要)(?:打算|计划|安排|思路)"
        rf"|{YEAR_NUMBER}\s*年度?.{{0,16}}(?:打算|计划|安排|思路|重点|目标|任务|要点)"
    ),
}
# Sentences that say a part where no heading names it.
SENTENCE_PATTERNS: dict[RequiredPart, re.Pattern[str]] = {
    RequiredPart.MEASURES: re.compile(
        r"主要(?:做法|举措|措施|成效)|取得了?(?:明显|显著|积极|一定|良好)?的?成效|报告如下"
    ),
    # 仍然存在…问题, not 解决存在的问题 (a measure).
    RequiredPart.SHORTCOMINGS: re.compile(
        r"(?:仍|还|也|依然|尚|但)然?存在.{0,30}(?:问题|不足|短板|差距|薄弱|困难)"
        r"|问题和不足|不足和问题|差距和不足|薄弱环节"
    ),
    # 一把手 alone is too common (部门一把手讲政策): only the duty's own words.
    RequiredPart.LEADERS_DUTY: re.compile(
        r"第一责任人|(?:党政)?主要负责(?:人|同志).{0,20}(?:履行|职责|带头|亲自|部署|主持)"
    ),
    # 下一步，我局将… / 2024年，我区将…; not 2023年是…开局之年 (a year described).
    RequiredPart.PLANS: re.compile(
        r"^(?:下一?步|下一阶段|今后|明年)[，,]?.{0,40}(?:将|要|继续|计划|拟|着力|重点)"
        rf"|^{YEAR_NUMBER}\s*年[，,].{{0,30}}(?:将|拟|计划)"
    ),
}
# A heading that looks back (…完成情况, 成效) is not a plan, whatever task words it holds.
REVIEW_RE = re.compile(r"情况|成效|回顾|完成")
YEAR_RE = re.compile(YEAR_NUMBER)
# Joined headings (2023年工作情况暨2024年工作要点) are judged clause by clause for plans.
CLAUSE_SEPARATOR_RE = re.compile(r"[和及暨与、，,；;]")
# A heading that names the law (《党政主要负责人履行推进法治建设第一责任人职责规定》) does not
# report how the leaders performed: titles are removed from sentences before matching.
BOOK_TITLE_RE = re.compile(r"《[^》]{0,80}》")
SENTENCE_RE = re.compile(r"[^。！？\n]+[。！？]?")
# Topic sections before the other parts count as the year's work when they say enough.
MEASURES_MIN_CHARS = 200
EVIDENCE_MAX_CHARS = 80

# Whether evidence at a text position may count.
_Usable = Callable[[int], bool]


@dataclass(frozen=True)
class PartEvidence:
    """Whether one part was found, and where: the heading or sentence that shows it."""

    part: RequiredPart
    source: EvidenceSource | None = None
    text: str = ""
    start: int | None = None

    @property
    def found(self) -> bool:
        return self.source is not None


@dataclass(frozen=True)
class PartsCheck:
    evidence: tuple[PartEvidence, ...]

    @property
    def mask(self) -> int:
        return sum(e.part.bit for e in self.evidence if e.found)

    @property
    def complete(self) -> bool:
        return self.mask == ALL_PARTS_MASK

    @property
    def missing(self) -> tuple[RequiredPart, ...]:
        return tuple(e.part for e in self.evidence if not e.found)


def parts_in_mask(mask: int) -> tuple[RequiredPart, ...]:
    return tuple(part for part in RequiredPart if mask & part.bit)


def check_parts(
    text: str, sections: tuple[Section, ...] | None = None, report_year: int | None = None
) -> PartsCheck:
    """Look for each required part in the headings, then (the year's work) in the topic
    sections, then in the body's sentences."""
    sections = outline(text) if sections is None else sections
    named = {s: heading_parts(s.heading, report_year) for s in walk(sections)}
    # What a plan section says is next year's work, not this year's: other parts are not
    # evidenced there.
    plan_spans = [(s.start, s.end) for s, parts in named.items() if parts == {RequiredPart.PLANS}]

    def is_outside_plans(start: int) -> bool:
        return not any(low <= start < high for low, high in plan_spans)

    evidence = []
    for part in RequiredPart:
        usable = is_outside_plans if part is not RequiredPart.PLANS else (lambda _: True)
        found = (
            _by_heading(part, named, usable)
            or (_by_topic_sections(sections, named) if part is RequiredPart.MEASURES else None)
            or _by_sentence(part, text, report_year, usable)
        )
        evidence.append(found or PartEvidence(part))
    return PartsCheck(tuple(evidence))


def heading_parts(heading: str, report_year: int | None = None) -> set[RequiredPart]:
    """The required parts a section heading names (none, one, or several when joined)."""
    parts: set[RequiredPart] = {
        part
        for part, pattern in HEADING_PATTERNS.items()
        if part is not RequiredPart.PLANS and pattern.search(heading)
    }
    if any(_is_plan_clause(c, report_year) for c in CLAUSE_SEPARATOR_RE.split(heading)):
        parts.add(RequiredPart.PLANS)
    return parts


def _is_plan_clause(clause: str, report_year: int | None) -> bool:
    if not HEADING_PATTERNS[RequiredPart.PLANS].search(clause) or REVIEW_RE.search(clause):
        return False
    return _names_no_past_year(clause, report_year)


def _names_no_past_year(text: str, report_year: int | None) -> bool:
    """2024年工作要点 is a plan in a report on 2023, not in one on 2024."""
    years = [year_value(y) for y in YEAR_RE.findall(text)]
    return report_year is None or all(year > report_year for year in years)


def _by_heading(
    part: RequiredPart, named: dict[Section, set[RequiredPart]], usable: _Usable
) -> PartEvidence | None:
    # Outer headings first: 二、存在的问题 rather than a subsection that mentions problems.
    for section in sorted(named, key=lambda s: (s.level, s.start)):
        if part in named[section] and usable(section.start):
            return PartEvidence(
                part, EvidenceSource.HEADING, f"{section.label}{section.heading}", section.start
            )
    return None


def _by_topic_sections(
    sections: tuple[Section, ...], named: dict[Section, set[RequiredPart]]
) -> PartEvidence | None:
    """Many reports tell the year's work in topic sections (一、依法全面履行政府职能 …) before
    the problems and plans: those sections are the measures part."""
    topics = []
    for section in sections:
        if named[section]:
            break
        topics.append(section)
    if not topics or sum(s.end - s.start for s in topics) < MEASURES_MIN_CHARS:
        return None
    first, last = topics[0], topics[-1]
    text = f"{first.label}{first.heading}"
    if len(topics) > 1:
        text += f" … {last.label}{last.heading} ({len(topics)} sections)"
    return PartEvidence(RequiredPart.MEASURES, EvidenceSource.SECTIONS, text, first.start)


def _by_sentence(
    part: RequiredPart, text: str, report_year: int | None, usable: _Usable
) -> PartEvidence | None:
    pattern = SENTENCE_PATTERNS[part]
    for start, sentence in _sentences(text):
        if not usable(start):
            continue
        plain = BOOK_TITLE_RE.sub("", sentence)
        if not pattern.search(plain):
            continue
        if part is RequiredPart.PLANS and not _names_no_past_year(sentence[:12], report_year):
            continue
        return PartEvidence(part, EvidenceSource.SENTENCE, _shortened(sentence), start)
    return None


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    for match in SENTENCE_RE.finditer(text):
        sentence = match.group(0).strip()
        if sentence:
            yield match.start() + match.group(0).index(sentence[0]), sentence


def _shortened(sentence: str) -> str:
    if len(sentence) <= EVIDENCE_MAX_CHARS:
        return sentence
    return sentence[: EVIDENCE_MAX_CHARS - 1] + "…"
