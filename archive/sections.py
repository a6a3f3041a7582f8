"""A report's outline: sections found from their numbered headings (一、 （一） 1. 第一部分 …).

Official texts number their headings in a fixed ladder — 第一部分, 一、, （一）, 1., （1）, ① — but
a report may start on any rung, skip one, or lose a bracket on the way to the web. Levels are
therefore given by the order in which numbering styles nest in this text, not by the style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from archive.numerals import cn_numeral_to_int


class Style(IntEnum):
    """Numbering styles, in the order official documents nest them (smaller is outer)."""

    PART = 0  # 第一部分, 第一章
    CHINESE = 1  # 一、
    CHINESE_BRACKETED = 2  # （一） (一) ㈠, and 一） with its opening bracket lost
    ARABIC = 3  # 1. 1、 １．
    ARABIC_BRACKETED = 4  # （1） (1)
    CIRCLED = 5  # ① ②
    ORDINAL_CLAUSE = 6  # 一是…。 at the start of a paragraph


CN_NUMBER = "[一二三四五六七八九十]{1,3}"
DIGITS = "[0-9０-９]{1,2}"
# Any space but a line break: pages indent with en spaces, ideographic spaces, nbsp.
SPACE = r"[^\S\n]"
# Each style: its pattern (group "n" is the number), matched at a candidate position.
STYLE_PATTERNS: dict[Style, re.Pattern[str]] = {
    Style.PART: re.compile(rf"第(?P<n>{CN_NUMBER})(?:部分|章)(?:[、：:．.]|{SPACE})*"),
    # 一、 一． 一. — but not 一、二级 or 二、三季度 (numbers enumerated) or 一.5.
    Style.CHINESE: re.compile(
        rf"(?P<n>{CN_NUMBER})(?:、|．|\.(?![0-9]))(?!{CN_NUMBER}(?:[、，,]|季度|级|类|等))"
    ),
    Style.CHINESE_BRACKETED: re.compile(
        rf"(?:[（(](?P<n>{CN_NUMBER})[）)]|(?P<lost>{CN_NUMBER})[）)]|(?P<c>[㈠-㈩]))"
    ),
    # 1. 1、 1． — not 1.5亿元, 2023.12 or 1、2月 (digits or months after the mark).
    Style.ARABIC: re.compile(rf"(?P<n>{DIGITS})(?:[.．](?![0-9０-９])|、(?![0-9０-９]))"),
    Style.ARABIC_BRACKETED: re.compile(rf"[（(](?P<n>{DIGITS})[）)]"),
    Style.CIRCLED: re.compile(r"(?P<c>[①-⑳])"),
    Style.ORDINAL_CLAUSE: re.compile(rf"(?P<n>{CN_NUMBER})是"),
}
# Styles also taken in the middle of a line, right after a full stop: texts that lost their
# line breaks (a table-layout page, one long line) still show 。 一、… between sections. Only
# the upper rungs: 。1.… or 。一是… inside a paragraph is a list, not a heading.
INLINE_STYLES = (Style.PART, Style.CHINESE, Style.CHINESE_BRACKETED)
LINE_START = re.compile(rf"(?m)^{SPACE}*")
AFTER_FULL_STOP = re.compile(rf"[。！？]{SPACE}*")
# The heading runs to the first stop or colon, or to the end of its line, or to a space
# after a few Chinese characters: flattened pages keep a heading and its paragraph on one
# line with only a space between them (but 第一章 总 则 spaces out a short heading).
HEADING_END = re.compile(rf"[。！？；;：:\n]|(?<=[\u4e00-\u9fff]{{3}}){SPACE}+(?=\S)")
# Longer first sentences are cut here: a heading that runs on is the start of a paragraph.
HEADING_MAX_CHARS = 60
# 一是… is a heading only as a short lead sentence opening its paragraph.
ORDINAL_CLAUSE_MAX_CHARS = 30
# A numbered line may skip at most this many numbers (a lost 三、 between 二、 and 四、).
MAX_SKIPPED_NUMBERS = 1


@dataclass(frozen=True)
class Section:
    """One numbered section: `start`..`end` spans it in the text (heading included), the
    heading text itself (number stripped) ends at `heading_end`."""

    level: int  # 1 for the outermost numbering in this text
    style: Style
    number: int
    label: str  # the number as written: 一、 （一） 1.
    heading: str
    start: int
    heading_end: int
    end: int
    children: tuple[Section, ...] = field(default=())

    def walk(self) -> Iterator[Section]:
        """This section and every section inside it, in text order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class _Heading:
    style: Style
    number: int
    label: str
    heading: str
    start: int
    heading_end: int
    inline: bool


def outline(text: str) -> tuple[Section, ...]:
    """The nested sections of a report text, outermost first; () when it numbers none."""
    headings = _accepted(_candidates(text))
    return _nest(headings, len(text))


def walk(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Every section of an outline, in text order."""
    for section in sections:
        yield from section.walk()


def _candidates(text: str) -> Iterator[_Heading]:
    """Every numbered heading the text may hold, in text order."""
    positions = [(m.end(), False) for m in LINE_START.finditer(text)]
    positions += [(m.end(), True) for m in AFTER_FULL_STOP.finditer(text)]
    seen: set[int] = set()
    for position, inline in sorted(positions):
        if position in seen or position >= len(text):
            continue
        seen.add(position)
        heading = _heading_at(text, position, inline)
        if heading is not None:
            yield heading


def _heading_at(text: str, position: int, inline: bool) -> _Heading | None:
    for style in INLINE_STYLES if inline else Style:
        match = STYLE_PATTERNS[style].match(text, position)
        if match is None:
            continue
        start, end = _heading_span(text, match.end())
        raw = text[start:end]
        heading = raw.strip().strip("，,、").strip()
        if not heading or (style is Style.ORDINAL_CLAUSE and not _is_lead_sentence(text, end)):
            return None
        heading_end = start + raw.find(heading) + len(heading)
        return _Heading(
            style, _number(match), match.group(0).strip(), heading, position, heading_end, inline
        )
    return None


def _heading_span(text: str, start: int) -> tuple[int, int]:
    while start < len(text) and text[start] != "\n" and text[start].isspace():
        start += 1
    stop = HEADING_END.search(text, start, start + HEADING_MAX_CHARS + 1)
    return start, stop.start() if stop else min(len(text), start + HEADING_MAX_CHARS)


def _is_lead_sentence(text: str, heading_end: int) -> bool:
    """一是 opens a heading when its first sentence is short and ends with a stop."""
    line_start = text.rfind("\n", 0, heading_end) + 1
    lead = text[line_start:heading_end].strip()
    return (
        heading_end < len(text)
        and text[heading_end] in "。：:"
        and len(lead) <= ORDINAL_CLAUSE_MAX_CHARS
    )


def _number(match: re.Match[str]) -> int:
    groups = match.groupdict()
    if groups.get("c"):
        char = groups["c"]
        return ord(char) - (ord("①") if "①" <= char <= "⑳" else ord("㈠")) + 1
    value = groups.get("n") or groups.get("lost") or ""
    digits = value.translate(FULL_WIDTH_DIGITS)
    return int(digits) if digits.isdigit() else cn_numeral_to_int(value)


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _accepted(candidates: Iterator[_Heading]) -> list[tuple[int, _Heading]]:
    """Keep the candidates that continue a numbering sequence, each with its nesting depth.

    The open sequences form a stack, outermost first, each with the last number it gave. A
    style already open continues its sequence (the next number, or one after a lost one;
    deeper sequences close); a new style opens a sequence nested under the styles that
    officially rank above it, starting at 1 (or 2, when the first heading was lost).
    """
    stack: list[tuple[Style, int]] = []
    accepted: list[tuple[int, _Heading]] = []
    for heading in candidates:
        open_styles = [style for style, _ in stack]
        if heading.style in open_styles:
            depth = open_styles.index(heading.style)
            last = stack[depth][1]
            if not _continues(heading, last):
                continue
            del stack[depth:]
        else:
            if heading.number > (1 if heading.inline else 1 + MAX_SKIPPED_NUMBERS):
                continue
            while stack and stack[-1][0] > heading.style:
                stack.pop()
            depth = len(stack)
        stack.append((heading.style, heading.number))
        accepted.append((depth + 1, heading))
    return accepted


def _continues(heading: _Heading, last: int) -> bool:
    if heading.inline:
        return heading.number == last + 1
    return last < heading.number <= last + 1 + MAX_SKIPPED_NUMBERS


def _nest(headings: list[tuple[int, _Heading]], text_end: int) -> tuple[Section, ...]:
    """Build the tree: a section ends where the next heading at its level or above starts."""
    sections, _ = _nest_from(headings, 0, 1, text_end)
    return sections


def _nest_from(
    headings: list[tuple[int, _Heading]], index: int, level: int, parent_end: int
) -> tuple[tuple[Section, ...], int]:
    built: list[Section] = []
    while index < len(headings) and headings[index][0] >= level:
        depth, heading = headings[index]
        following = next((h.start for d, h in headings[index + 1 :] if d <= depth), parent_end)
        children, index = _nest_from(headings, index + 1, depth + 1, following)
        built.append(
            Section(
                level=depth,
                style=heading.style,
                number=heading.number,
                label=heading.label,
                heading=heading.heading,
                start=heading.start,
                heading_end=heading.heading_end,
                end=following,
                children=children,
            )
        )
    return _without_lone_ordinal_clauses(built), index


def _without_lone_ordinal_clauses(sections: list[Section]) -> tuple[Section, ...]:
    """A single 一是 at a line start, its 二是 and 三是 inside the paragraph, is a list that
    happens to open a paragraph, not a heading scheme: keep 一是 headings only in twos."""
    clauses = sum(s.style is Style.ORDINAL_CLAUSE for s in sections)
    return tuple(s for s in sections if s.style is not Style.ORDINAL_CLAUSE or clauses > 1)
