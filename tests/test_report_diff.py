"""Diffs of two reports: sections paired across years and edits, sentences and characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.report_diff import (
    SectionDiff,
    Status,
    align,
    character_diff,
    diff_reports,
    diff_sentences,
    render_pieces,
)
from tests.test_sections import PIECES, seed

TEXTS = st.lists(PIECES, max_size=40).map("".join)


def titles(sections: tuple[SectionDiff, ...]) -> list[tuple[str, str, str]]:
    return [
        (s.status.value, s.old.title if s.old else "", s.new.title if s.new else "")
        for s in sections
    ]


def test_identical_texts_are_the_same_throughout() -> None:
    text = seed("seed_000_anzhou.txt")
    diff = diff_reports(text, text)
    assert diff.similarity == 1.0
    assert {s.status for s in diff.sections} == {Status.SAME}


def test_next_years_headings_meet_despite_their_numbers() -> None:
    old = "一、2023年主要举措\n甲。\n二、存在问题\n乙。\n三、2024年工作打算\n丙。\n"
    new = "一、2024年主要举措\n甲。\n二、存在问题\n乙。\n三、2025年工作打算\n丙。\n"
    # Only the headings with years changed; 存在问题 says the same.
    statuses = [s.status for s in diff_reports(old, new).sections[1:]]
    assert statuses == [Status.CHANGED, Status.SAME, Status.CHANGED]


def test_two_issuers_parts_meet_by_the_part_they_hold() -> None:
    # Kunming Dongchuan 2018 has 九、存在问题 and 十、下一步工作计划; Wuhan Qiaokou 2024 has
    # 二、存在的不足 and 三、2025年法治政府建设主要安排.
    diff = diff_reports(seed("seed_002_kmdc.txt"), seed("seed_004_qiaokou.txt"))
    paired = [(s.old.title, s.new.title) for s in diff.sections[1:] if s.old and s.new]
    assert paired == [
        ("九、存在问题", "二、存在的不足"),
        ("十、下一步工作计划", "三、2025年法治政府建设主要安排"),
    ]


def test_an_inserted_section_shifts_no_pairs() -> None:
    old = "一、甲部分\n甲。\n二、乙部分\n乙。\n"
    new = "一、甲部分\n甲。\n二、新增部分\n新。\n三、乙部分\n乙。\n"
    assert titles(diff_reports(old, new).sections[1:]) == [
        ("same", "一、甲部分", "一、甲部分"),
        ("added", "", "二、新增部分"),
        ("same", "二、乙部分", "三、乙部分"),  # renumbered, same heading and text
    ]


def test_a_renamed_section_that_says_the_same_is_paired_by_its_text() -> None:
    body = "全年审查规范性文件323件，备案33件，清理4次，报备率达到100%。"
    old = f"一、加强规范性文件管理\n{body}\n"
    new = f"一、健全备案审查制度\n{body}\n"
    (change,) = diff_reports(old, new).sections[1:]
    assert change.status is Status.CHANGED and change.old and change.new


def test_align_keeps_order() -> None:
    # A section moved from last to first cannot pair both ways: order wins.
    pairs = align(["甲", "乙", "丙"], ["丙", "甲", "乙"], ["", "", ""], ["", "", ""])
    assert pairs == [(0, 1), (1, 2)]


def test_sentences_added_removed_and_edited() -> None:
    old = "全年办理案件12件。开展培训3次。组织旁听庭审。"
    new = "全年办理案件15件。组织旁听庭审。新建调解室2个。"
    changes = [(c.status.value, c.old, c.new) for c in diff_sentences(old, new)]
    assert changes == [
        ("changed", "全年办理案件12件。", "全年办理案件15件。"),
        ("removed", "开展培训3次。", ""),
        ("added", "", "新建调解室2个。"),
    ]


def test_spacing_and_punctuation_are_no_change() -> None:
    spaced = "全年办理案件 12 件,结案10件。"
    assert list(diff_sentences("全年办理案件12件，结案10件。", spaced)) == []


def test_character_diff_pieces() -> None:
    assert list(character_diff("2022年安州区", "2023年本区")) == [
        ("=", "202"),
        ("-", "2"),
        ("+", "3"),
        ("=", "年"),
        ("-", "安州"),
        ("+", "本"),
        ("=", "区"),
    ]


def test_long_unchanged_runs_are_cut_in_rendering() -> None:
    old = "开头" + "甲" * 40 + "三件" + "乙" * 40
    new = "开头" + "甲" * 40 + "五件" + "乙" * 40
    rendered = render_pieces(list(character_diff(old, new)))
    assert rendered == "…" + "甲" * 12 + "[-三-]{+五+}件" + "乙" * 11 + "…"


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_any_two_texts_diff_and_a_text_equals_itself(old: str, new: str) -> None:
    diff_reports(old, new)
    assert {s.status for s in diff_reports(new, new).sections} == {Status.SAME}
