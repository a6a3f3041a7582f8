"""Ranking candidates from their texts: title matches, repeated matches and short texts first."""

from __future__ import annotations

from archive.ranking import rank_candidates
from archive.search_language import parse_query

QUERY = parse_query("复议")


def test_a_title_match_outranks_one_in_the_text() -> None:
    candidates = [(1, "报告", "行政复议。" * 2), (2, "行政复议报告", "行政复议。")]
    assert rank_candidates(candidates, QUERY) == [2, 1]


def test_more_matches_rank_higher() -> None:
    candidates = [(1, "报告", "复议。其他内容。"), (2, "报告", "复议。复议。")]
    assert rank_candidates(candidates, QUERY) == [2, 1]


def test_a_shorter_text_with_as_many_matches_ranks_higher() -> None:
    candidates = [(1, "报告", "复议。" + "其他内容。" * 50), (2, "报告", "复议。其他内容。")]
    assert rank_candidates(candidates, QUERY) == [2, 1]


def test_traditional_texts_are_counted() -> None:
    candidates = [(1, "报告", "没有。" * 3), (2, "报告", "行政復議。" * 3)]
    assert rank_candidates(candidates, QUERY) == [2, 1]
