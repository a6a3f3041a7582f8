"""Outlines from numbered headings: on the real report texts, and on the traps around them."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.sections import Section, Style, outline, walk
from crawler.extraction.page import extract_page

FIXTURES = Path(__file__).parent / "fixtures"


def seed(name: str) -> str:
    return (FIXTURES / "seeds" / name).read_text("utf-8")


def corpus_text(name: str) -> str:
    page = (FIXTURES / "corpus" / "pages" / name).read_bytes()
    return extract_page(page, f"https://www.example.gov.cn/{name}").text


def headings(text: str) -> list[tuple[int, str, str]]:
    return [(s.level, s.label, s.heading) for s in walk(outline(text))]


def top(text: str) -> list[str]:
    return [s.heading for s in outline(text)]


def test_anzhou_report_has_three_parts_with_their_subsections() -> None:
    sections = outline(seed("seed_000_anzhou.txt"))
    assert [s.heading for s in sections] == ["工作情况", "存在的问题", "下一步工作计划"]
    assert [s.number for s in sections[0].children] == [1, 2, 3, 4, 5, 6]
    assert sections[2].children[0].heading == "坚持政治引领"


def test_a_bracket_lost_on_the_way_to_the_web_still_numbers_a_subsection() -> None:
    # The page shows 三)坚持服务大局… where it meant （三）.
    work = outline(seed("seed_000_anzhou.txt"))[0]
    assert (work.children[2].label, work.children[2].level) == ("三)", 2)


def test_kmdc_report_counts_ten_parts_up_to_shi() -> None:
    sections = outline(seed("seed_002_kmdc.txt"))
    assert [s.number for s in sections] == list(range(1, 11))
    assert sections[8].heading == "存在问题"


def test_headings_run_into_one_line_are_found_after_full_stops() -> None:
    # The Lanzhou page is one long line: 。 一、强化思想引领，… 。 二、…
    assert top(seed("seed_003_lanzhou.txt")) == [
        "强化思想引领,统筹推进法治政府建设",
        "聚力良法善治,健全完善依法行政制度",
        "践行法治为民,持续提升行政执法水平",
        "夯实法治基础,不断优化法治服务保障",
    ]


def test_indented_subsections_are_found() -> None:
    # Qiaokou indents （三） and （四） with en spaces.
    plans = outline(seed("seed_004_qiaokou.txt"))[2]
    assert plans.heading == "2025年法治政府建设主要安排"
    assert [s.number for s in plans.children] == [1, 2, 3, 4]


def test_corpus_report_outline() -> None:
    text = corpus_text("18_pingtan-shehuishiye-fazhi-gongzuo-2022.html")
    sections = outline(text)
    assert [s.heading for s in sections] == ["工作开展情况", "存在问题", "下一步工作计划"]
    assert sections[0].children[0].heading == "党政主要负责人履行推进法治建设第一责任人职责"


def test_a_page_without_numbered_headings_has_no_outline() -> None:
    assert outline(corpus_text("21_pingtan-junshan-2022-gongzuo-baogao.html")) == ()


def test_spans_cover_each_section_and_nest() -> None:
    text = seed("seed_002_kmdc.txt")
    sections = outline(text)
    for section in walk(sections):
        assert text[section.start : section.heading_end].endswith(section.heading)
        for child in section.children:
            assert section.start < child.start and child.end <= section.end
    for before, after in itertools.pairwise(sections):
        assert before.end == after.start
    assert sections[-1].end == len(text)


def test_numbered_list_inside_a_paragraph_is_no_heading() -> None:
    text = "一、主要做法\n我们做了三件事：1.建立台账；2.完善制度；3.加强督查。4.其他。二、存在问题"
    assert headings(text) == [(1, "一、", "主要做法"), (1, "二、", "存在问题")]


def test_arabic_numbers_after_a_full_stop_are_a_list_not_headings() -> None:
    text = "一、主要做法\n全年开展培训。1.组织专题学习。2.开展旁听庭审。"
    assert [h for _, _, h in headings(text)] == ["主要做法"]


@pytest.mark.parametrize(
    "line",
    ["1.5亿元用于执法装备建设。", "2023.12.31前完成清理。", "1、2月份开展专项行动。", "12月完成。"],
)
def test_numbers_at_a_line_start_that_are_amounts_or_dates(line: str) -> None:
    assert headings(f"一、工作情况\n{line}\n二、存在问题\n") == [
        (1, "一、", "工作情况"),
        (1, "二、", "存在问题"),
    ]


def test_a_date_before_a_number_is_no_heading() -> None:
    assert top("2023年1.完成立法计划。\n一、工作情况\n") == ["工作情况"]


def test_enumerated_numbers_are_no_heading() -> None:
    # 一、二级 and 二、三季度 list numbers; they do not start a section.
    text = "一、工作情况\n全年\n二、三季度开展督查。\n二、存在问题\n"
    assert top(text) == ["工作情况", "存在问题"]


def test_full_width_numbering() -> None:
    text = "一．工作情况\n（１）建立台账\n（２）完善制度\n１．立法\n２．执法\n二．问题"
    assert headings(text) == [
        (1, "一．", "工作情况"),
        (2, "（１）", "建立台账"),
        (2, "（２）", "完善制度"),
        (2, "１．", "立法"),
        (2, "２．", "执法"),
        (1, "二．", "问题"),
    ]


def test_one_lost_number_is_bridged_two_are_not() -> None:
    assert top("一、甲\n二、乙\n四、丁\n") == ["甲", "乙", "丁"]
    assert top("一、甲\n四、丁\n") == ["甲"]


def test_a_repeated_number_is_not_a_new_section() -> None:
    assert top("一、甲\n二、乙\n二、乙又\n三、丙") == ["甲", "乙", "丙"]


def test_a_report_may_start_on_any_rung() -> None:
    text = "（一）主要举措\n1.立法\n2.执法\n（二）存在问题\n"
    assert headings(text) == [
        (1, "（一）", "主要举措"),
        (2, "1.", "立法"),
        (2, "2.", "执法"),
        (1, "（二）", "存在问题"),
    ]


def test_parts_rank_above_chinese_numbers() -> None:
    text = "第一部分 工作情况\n一、立法\n二、执法\n第二部分 下一步打算\n一、加强队伍\n"
    sections = outline(text)
    assert [(s.label, s.heading) for s in sections] == [
        ("第一部分", "工作情况"),
        ("第二部分", "下一步打算"),
    ]
    assert [c.heading for c in sections[0].children] == ["立法", "执法"]
    assert sections[1].children[0].style is Style.CHINESE


def test_ordinal_clauses_opening_paragraphs_are_headings() -> None:
    text = "一、工作情况\n一是加强领导。成立领导小组。\n二是完善制度。出台办法3件。\n二、问题"
    sections = outline(text)
    assert [c.heading for c in sections[0].children] == ["加强领导", "完善制度"]


def test_a_lone_ordinal_clause_is_a_list_not_a_heading() -> None:
    text = "一、工作情况\n一是加强领导，成立领导小组。二是完善制度。\n二、问题"
    assert outline(text)[0].children == ()


def test_a_long_first_sentence_is_no_ordinal_heading() -> None:
    long = "一是" + "加" * 40 + "。"
    assert outline(f"一、甲\n{long}\n{long.replace('一是', '二是')}\n")[0].children == ()


def test_a_heading_sharing_its_line_with_the_paragraph_ends_at_the_space() -> None:
    assert top("一、坚持依法行政 全年办理案件12件。") == ["坚持依法行政"]


def test_a_short_heading_spaced_out_stays_whole() -> None:
    assert top("第一章 总 则\n第一条 为了规范…\n第二章 附 则\n") == ["总 则", "附 则"]


def test_a_heading_without_a_stop_is_cut_short() -> None:
    (section,) = outline("一、" + "加" * 200)
    assert len(section.heading) == 60


def test_walk_visits_children_after_their_parent() -> None:
    sections = outline("一、甲\n（一）子\n二、乙\n")
    visited: list[Section] = list(walk(sections))
    assert [s.heading for s in visited] == ["甲", "子", "乙"]


# Texts made of heading-like pieces, to shake the nesting: numbers of every style, stops,
# line breaks and prose, in any order.
PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "三、",
        "（一）",
        "（二）",
        "二)",
        "1.",
        "2.",
        "（1）",
        "①",
        "②",
        "一是",
        "二是",
        "第一部分",
        "第二部分",
        "。",
        "\n",
        "\n  ",
        "工作情况",
        "存在问题",
        "1.5亿",
        "：",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_any_text_gives_a_well_formed_outline(text: str) -> None:
    sections = outline(text)
    for section in walk(sections):
        assert 0 <= section.start < section.heading_end <= section.end <= len(text)
        assert text[section.start : section.heading_end].endswith(section.heading)
        for child in section.children:
            assert section.start < child.start and child.end <= section.end
            assert child.level == section.level + 1
    for before, after in itertools.pairwise(sections):
        assert before.end == after.start
