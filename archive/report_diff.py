"""What changed between two reports — an issuer's two years, or two versions of one report —
section by section.

Sections are aligned by their headings (numbers and years masked, so 一、2023年主要举措 meets
二、2024年主要举措), then by what they say; inside a pair of sections, sentences are compared
(Chinese has no words to diff), and a sentence that was edited shows its edits character by
character.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from archive.report_parts import heading_parts
from archive.sections import Section, outline

# Two headings this alike (0-1, after masking numbers) name the same section.
HEADING_MATCH = 0.6
# Sections whose headings differ still pair when their texts share this many bigrams.
TEXT_MATCH = 0.5
# Two sentences this alike are one sentence edited, not one removed and another added.
SENTENCE_MATCH = 0.5
# An edited sentence is looked for among this many sentences of the other text: bounds the
# cost of two texts that share nothing (each pair costs a character comparison).
SENTENCE_WINDOW = 8
# Unchanged runs longer than this are cut in the middle of an edited sentence.
CONTEXT_CHARS = 12
SENTENCE_RE = re.compile(r"[^。！？；;\n]+[。！？；;]?")
NUMBER_RE = re.compile(r"[0-9０-９〇○零一二三四五六七八九十百]+")
PUNCTUATION_RE = re.compile(r"[\s，,、。：:；;（）()“”\"'《》]")


class Status(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class SectionRef:
    """A section of one report; the opening text before the first heading has label ""."""

    label: str
    heading: str
    start: int
    end: int

    @property
    def title(self) -> str:
        return f"{self.label}{self.heading}" if self.label else "(opening)"


@dataclass(frozen=True)
class SentenceChange:
    """A sentence added, removed, or changed; `pieces` spell a change as (op, text) runs,
    op "=" kept, "-" removed, "+" added."""

    status: Status
    old: str = ""
    new: str = ""
    pieces: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SectionDiff:
    status: Status
    old: SectionRef | None
    new: SectionRef | None
    changes: tuple[SentenceChange, ...] = ()
    children: tuple[SectionDiff, ...] = ()


@dataclass(frozen=True)
class ReportDiff:
    sections: tuple[SectionDiff, ...]
    # The share of sentences the two texts have in common (0-1).
    similarity: float


@dataclass(frozen=True)
class _Node:
    ref: SectionRef
    own_text: str  # the text between the heading and the first subsection
    children: tuple[_Node, ...] = field(default=())


def diff_reports(old_text: str, new_text: str) -> ReportDiff:
    old, new = _root(old_text), _root(new_text)
    similarity = difflib.SequenceMatcher(
        None, _sentence_keys(old_text), _sentence_keys(new_text), autojunk=False
    ).ratio()
    opening = _diff_pair(old, new)
    return ReportDiff((_without_children(opening), *opening.children), similarity)


def _root(text: str) -> _Node:
    sections = outline(text)
    end = sections[0].start if sections else len(text)
    return _Node(
        SectionRef("", "", 0, end),
        text[:end],
        tuple(_node(text, s) for s in sections),
    )


def _node(text: str, section: Section) -> _Node:
    own_end = section.children[0].start if section.children else section.end
    return _Node(
        SectionRef(section.label, section.heading, section.start, section.end),
        text[section.heading_end : own_end],
        tuple(_node(text, child) for child in section.children),
    )


def _without_children(diff: SectionDiff) -> SectionDiff:
    """The opening text as a section of its own: the top-level sections stand beside it."""
    changed = bool(diff.changes)
    return SectionDiff(Status.CHANGED if changed else Status.SAME, diff.old, diff.new, diff.changes)


# -- aligning sections -----------------------------------------------------------------------


def _diff_pair(old: _Node, new: _Node) -> SectionDiff:
    changes = tuple(diff_sentences(old.own_text, new.own_text))
    children = tuple(_diff_children(old.children, new.children))
    same = (
        not changes
        and old.ref.heading == new.ref.heading
        and all(c.status is Status.SAME for c in children)
    )
    return SectionDiff(Status.SAME if same else Status.CHANGED, old.ref, new.ref, changes, children)


def _diff_children(olds: Sequence[_Node], news: Sequence[_Node]) -> Iterator[SectionDiff]:
    pairs = align(
        [n.ref.heading for n in olds],
        [n.ref.heading for n in news],
        [_full_text(n) for n in olds],
        [_full_text(n) for n in news],
    )
    last_old = last_new = 0
    for i, j in [*pairs, (len(olds), len(news))]:
        for removed in olds[last_old:i]:
            yield SectionDiff(Status.REMOVED, removed.ref, None)
        for added in news[last_new:j]:
            yield SectionDiff(Status.ADDED, None, added.ref)
        if i < len(olds) and j < len(news):
            yield _diff_pair(olds[i], news[j])
        last_old, last_new = i + 1, j + 1


def _full_text(node: _Node) -> str:
    return node.own_text + "".join(_full_text(child) for child in node.children)


def align(
    old_headings: Sequence[str],
    new_headings: Sequence[str],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
) -> list[tuple[int, int]]:
    """Pairs (old index, new index), in order on both sides, that maximize the summed
    likeness of the paired sections; sections alike in neither heading nor text stay apart."""
    n, m = len(old_headings), len(new_headings)
    old_bigrams, new_bigrams = [_bigrams(t) for t in old_texts], [_bigrams(t) for t in new_texts]
    likeness = [
        [
            _likeness(old_headings[i], new_headings[j], old_bigrams[i], new_bigrams[j])
            for j in range(m)
        ]
        for i in range(n)
    ]
    # best[i][j]: the best total for olds[i:] and news[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = best[i + 1][j + 1] + likeness[i][j] if likeness[i][j] else 0.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], paired)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if likeness[i][j] and best[i][j] == best[i + 1][j + 1] + likeness[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _likeness(
    old_heading: str, new_heading: str, old_bigrams: set[str], new_bigrams: set[str]
) -> float:
    """0 when the two sections are not the same; else how alike (headings count first, then
    naming the same required part: 存在问题 meets 存在的不足 and 下一步工作计划 meets
    2025年主要安排, then what they say)."""
    heading = difflib.SequenceMatcher(
        None, _heading_key(old_heading), _heading_key(new_heading), autojunk=False
    ).ratio()
    if heading >= HEADING_MATCH:
        return 1.0 + heading
    parts = heading_parts(old_heading)
    if parts and parts == heading_parts(new_heading):
        return 1.0
    text = _overlap(old_bigrams, new_bigrams)
    return text if text >= TEXT_MATCH else 0.0


def _heading_key(heading: str) -> str:
    return PUNCTUATION_RE.sub("", NUMBER_RE.sub("#", heading))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _bigrams(text: str) -> set[str]:
    plain = PUNCTUATION_RE.sub("", text)
    return {plain[k : k + 2] for k in range(len(plain) - 1)}


# -- sentences ---------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s for s in (m.group(0).strip() for m in SENTENCE_RE.finditer(text)) if s]


def _sentence_keys(text: str) -> list[str]:
    """Sentences as compared: spacing and punctuation do not make a change."""
    return [PUNCTUATION_RE.sub("", s) for s in _sentences(text)]


def diff_sentences(old_text: str, new_text: str) -> Iterator[SentenceChange]:
    """The sentences added, removed and changed from one text to the other, in text order."""
    old, new = _sentences(old_text), _sentences(new_text)
    matcher = difflib.SequenceMatcher(
        None,
        [PUNCTUATION_RE.sub("", s) for s in old],
        [PUNCTUATION_RE.sub("", s) for s in new],
        autojunk=False,
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        yield from _pair_sentences(old[i1:i2], new[j1:j2])


def _pair_sentences(old: list[str], new: list[str]) -> Iterator[SentenceChange]:
    """A replaced run of sentences: those alike are edits, the rest removed or added."""
    j = 0
    for sentence in old:
        window = range(j, min(len(new), j + SENTENCE_WINDOW))
        match = next((k for k in window if _is_edit(sentence, new[k])), None)
        if match is None:
            yield SentenceChange(Status.REMOVED, old=sentence)
            continue
        for added in new[j:match]:
            yield SentenceChange(Status.ADDED, new=added)
        yield SentenceChange(
            Status.CHANGED, sentence, new[match], tuple(character_diff(sentence, new[match]))
        )
        j = match + 1
    for added in new[j:]:
        yield SentenceChange(Status.ADDED, new=added)


def _is_edit(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    # The quick upper bounds first: most pairs of unrelated sentences stop there.
    return (
        matcher.real_quick_ratio() >= SENTENCE_MATCH
        and matcher.quick_ratio() >= SENTENCE_MATCH
        and matcher.ratio() >= SENTENCE_MATCH
    )


def character_diff(old: str, new: str) -> Iterator[tuple[str, str]]:
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            yield "=", old[i1:i2]
            continue
        if i2 > i1:
            yield "-", old[i1:i2]
        if j2 > j1:
            yield "+", new[j1:j2]


# -- showing -----------------------------------------------------------------------------------


def render_pieces(pieces: Sequence[tuple[str, str]]) -> str:
    """An edited sentence as 2022年[-安州区-]{+本区+}…, long unchanged runs cut short."""
    out = []
    for index, (op, text) in enumerate(pieces):
        if op == "-":
            out.append(f"[-{text}-]")
        elif op == "+":
            out.append(f"{{+{text}+}}")
        else:
            out.append(_elided(text, first=index == 0, last=index == len(pieces) - 1))
    return "".join(out)


def _elided(text: str, first: bool, last: bool) -> str:
    keep_start = 0 if first else CONTEXT_CHARS
    keep_end = 0 if last else CONTEXT_CHARS
    if len(text) <= keep_start + keep_end + 1:
        return text
    return text[:keep_start] + "…" + (text[-keep_end:] if keep_end else "")


def render_diff(diff: ReportDiff) -> Iterator[str]:
    """The diff as text lines: = same, ~ changed, + added, - removed."""
    for section in diff.sections:
        yield from _render_section(section, 0)


SIGNS = {Status.SAME: "=", Status.CHANGED: "~", Status.ADDED: "+", Status.REMOVED: "-"}


def _render_section(diff: SectionDiff, depth: int) -> Iterator[str]:
    indent = "  " * depth
    old, new = diff.old, diff.new
    if old and new and old.title != new.title:
        title = f"{old.title} → {new.title}"
    else:
        title = (new or old or SectionRef("", "", 0, 0)).title
    only = old if new is None else new if old is None else None
    size = f" ({only.end - only.start} chars)" if only else ""
    yield f"{indent}{SIGNS[diff.status]} {title}{size}"
    for change in diff.changes:
        if change.status is Status.CHANGED:
            yield f"{indent}    ~ {render_pieces(change.pieces)}"
        elif change.status is Status.ADDED:
            yield f"{indent}    + {change.new}"
        else:
            yield f"{indent}    - {change.old}"
    for child in diff.children:
        yield from _render_section(child, depth + 1)
