"""The four required parts: found from headings, topic sections or sentences, with evidence."""

from __future__ import annotations

import pytest

from archive.report_parts import (
    ALL_PARTS_MASK,
    EvidenceSource,
    PartEvidence,
    check_parts,
    heading_parts,
    parts_in_mask,
)
from archive.vocabulary import RequiredPart
from tests.test_sections import corpus_text, seed

MEASURES, SHORTCOMINGS, LEADERS, PLANS = RequiredPart


def evidence(text: str, part: RequiredPart, year: int | None = None) -> PartEvidence:
    (found,) = [e for e in check_parts(text, report_year=year).evidence if e.part is part]
    return found


def test_corpus_report_is_complete_from_its_headings() -> None:
    check = check_parts(corpus_text("18_pingtan-shehuishiye-fazhi-gongzuo-2022.html"), None, 2022)
    assert check.complete and check.mask == ALL_PARTS_MASK
    assert [e.text for e in check.evidence] == [
        "一、工作开展情况",
        "二、存在问题",
        "（一）党政主要负责人履行推进法治建设第一责任人职责",
        "三、下一步工作计划",
    ]
    assert {e.source for e in check.evidence} == {EvidenceSource.HEADING}


def test_kmdc_measures_are_its_topic_sections_and_the_duty_a_subsection() -> None:
    check = check_parts(seed("seed_002_kmdc.txt"), report_year=2018)
    measures, shortcomings, leaders, plans = check.evidence
    assert measures.source is EvidenceSource.SECTIONS
    assert measures.text.startswith("一、依法全面履行政府职能 … 八、")
    assert (shortcomings.text, plans.text) == ("九、存在问题", "十、下一步工作计划")
    assert leaders.text == "(二)落实法治政府建设第一责任人职责"
    assert check.complete


def test_lanzhou_says_three_parts_only_in_sentences() -> None:
    check = check_parts(seed("seed_003_lanzhou.txt"), report_year=2023)
    measures, shortcomings, leaders, plans = check.evidence
    assert measures.source is EvidenceSource.SECTIONS
    assert shortcomings.source is EvidenceSource.SENTENCE
    assert "仍然存在一些问题和不足" in shortcomings.text
    assert leaders.text.startswith("严格履行推进法治建设第一责任人职责")
    assert plans.text.startswith("下一步,兰州市司法局将继续")
    assert check.complete


def test_anzhou_names_the_duty_only_as_a_regulation_and_as_a_plan() -> None:
    # 认真贯彻落实《党政主要负责人履行推进法治建设第一责任人职责规定》 names the rule, and
    # 严格落实依法行政第一责任人责任 sits under 三、下一步工作计划: neither reports the duty.
    check = check_parts(seed("seed_000_anzhou.txt"), report_year=2022)
    assert check.missing == (LEADERS,)
    assert not check.complete


def test_qiaokou_has_no_word_on_the_leaders_duty() -> None:
    check = check_parts(seed("seed_004_qiaokou.txt"), report_year=2024)
    assert check.missing == (LEADERS,)
    assert evidence(seed("seed_004_qiaokou.txt"), PLANS, 2024).text == (
        "三、2025年法治政府建设主要安排"
    )


def test_a_work_plan_holds_a_plan_only() -> None:
    check = check_parts(corpus_text("25_pingtan-junshan-2023-gongzuo-jihua.html"))
    assert check.missing == (MEASURES, SHORTCOMINGS, LEADERS)


@pytest.mark.parametrize(
    ("heading", "parts"),
    [
        ("存在的不足", {SHORTCOMINGS}),
        ("存在问题和原因", {SHORTCOMINGS}),
        ("问题和不足", {SHORTCOMINGS}),
        ("工作中的薄弱环节", {SHORTCOMINGS}),
        ("下一步工作打算", {PLANS}),
        ("下一步", {PLANS}),
        ("2024年工作安排", {PLANS}),
        ("二〇二四年工作思路", {PLANS}),
        ("今后工作重点", {PLANS}),
        ("主要负责人履行推进法治建设第一责任人职责情况", {LEADERS}),
        ("党政主要负责人履行法治建设职责", {LEADERS}),
        ("2023年法治政府建设主要举措和成效", {MEASURES}),
        ("工作开展情况", {MEASURES}),
        ("取得的成效", {MEASURES}),
        ("2023年工作情况暨2024年工作要点", {MEASURES, PLANS}),
        ("存在的问题及下一步打算", {SHORTCOMINGS, PLANS}),
        ("加强重点领域立法", set()),
        ("明确工作目标", set()),
        ("聚焦主要任务", set()),
        ("依法全面履行政府职能", set()),
    ],
)
def test_heading_wordings(heading: str, parts: set[RequiredPart]) -> None:
    assert heading_parts(heading, 2023) == parts


def test_a_plan_for_the_covered_year_is_a_review_not_a_plan() -> None:
    assert heading_parts("2023年重点任务", 2023) == set()
    assert heading_parts("2024年重点任务", 2023) == {PLANS}
    assert heading_parts("重点任务完成情况", 2023) == set()


def test_problems_that_were_solved_are_no_shortcomings() -> None:
    text = "一、工作情况\n全年着力解决存在的问题和困难。\n"
    assert not evidence(text, SHORTCOMINGS).found


def test_a_year_described_is_no_plan() -> None:
    assert not evidence("2023年是全面贯彻落实党的二十大精神的开局之年。", PLANS).found
    assert evidence("2024年，我区将继续深化改革。", PLANS, 2023).found
    assert not evidence("2023年，我区将继续深化改革。", PLANS, 2023).found


def test_head_of_a_department_giving_a_talk_is_not_the_duty() -> None:
    assert not evidence("部门一把手讲政策15场。", LEADERS).found


def test_a_heading_is_preferred_to_a_sentence() -> None:
    text = "一、工作情况\n严格履行第一责任人职责。\n二、主要负责人履行第一责任人职责情况\n"
    found = evidence(text, LEADERS)
    assert (found.source, found.text) == (
        EvidenceSource.HEADING,
        "二、主要负责人履行第一责任人职责情况",
    )


def test_evidence_points_into_the_text() -> None:
    text = seed("seed_003_lanzhou.txt")
    for found in check_parts(text, report_year=2023).evidence:
        assert found.start is not None
        assert text[found.start :].startswith(found.text.split(" … ")[0].rstrip("…")[:10])


def test_mask_round_trip() -> None:
    assert parts_in_mask(MEASURES.bit | PLANS.bit) == (MEASURES, PLANS)
    assert parts_in_mask(ALL_PARTS_MASK) == tuple(RequiredPart)
