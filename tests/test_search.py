"""Search: the query language, ranking, snippets and filters, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import Report
from archive.query import ReportFilter, search_reports
from archive.search_index import index_reports, newest_matches
from archive.search_language import QuerySyntaxError, document_tokens, parse_query
from archive.snippets import keyword_snippets
from tests.test_archive import record, store

ANZHOU = "2022年，安州区深入推进依法行政，行政复议工作规范开展，复议委员会运行良好。"
DONGCHUAN = "2023年，东川区推进严格规范公正文明执法，行政复议案件办理质效提升。"
LANZHOU = "兰州市司法局2023年健全依法决策机制，落实法律顾问制度。GDP增长。"
TRADITIONAL = "2021年，某縣深入推進依法行政，完善行政復議體制。"


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url
    engine = open_archive(url)
    store(
        engine,
        record("http://a.gov.cn/1.html", ANZHOU, 2022),
        record("http://b.gov.cn/1.html", DONGCHUAN, 2023, publisher="昆明市东川区司法局"),
        record(
            "http://c.gov.cn/1.html",
            LANZHOU,
            2023,
            title="兰州市司法局关于2023年法治政府建设情况的报告",
        ),
        record("http://d.gov.cn/1.html", TRADITIONAL, 2021),
    )
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_archive(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url
    engine = open_archive(url)
    yield engine
    engine.dispose()


def years(engine: Engine, query: str, where: ReportFilter | None = None) -> list[int | None]:
    with Session(engine) as session:
        hits = search_reports(session, query, where or ReportFilter()).hits
        return sorted(h.report.report_year for h in hits)


def test_two_character_term(archive: Engine) -> None:
    assert years(archive, "复议") == [2021, 2022, 2023]


def test_one_character_term(archive: Engine) -> None:
    assert years(archive, "縣") == [2021]


def test_terms_separated_by_spaces_must_all_occur(archive: Engine) -> None:
    assert years(archive, "行政复议 严格规范") == [2023]


def test_or_accepts_either_term(archive: Engine) -> None:
    assert years(archive, "法律顾问 OR 复议委员会") == [2022, 2023]


def test_excluded_terms(archive: Engine) -> None:
    assert years(archive, "行政复议 -复议委员会") == [2021, 2023]
    assert years(archive, "行政复议 NOT 复议委员会") == [2021, 2023]


def test_phrase_must_be_in_a_row(archive: Engine) -> None:
    assert years(archive, '"依法决策机制"') == [2023]
    assert years(archive, '"依法机制"') == []


def test_traditional_text_is_found_by_simplified_terms(archive: Engine) -> None:
    assert 2021 in years(archive, "行政复议体制")


def test_latin_words_and_numbers(archive: Engine) -> None:
    assert years(archive, "gdp") == [2023]


def test_filters_apply_to_search(archive: Engine) -> None:
    assert years(archive, "行政复议", ReportFilter(years=frozenset({2023}))) == [2023]
    assert years(archive, "行政复议", ReportFilter(publisher="东川")) == [2023]


def test_hit_count_and_paging(archive: Engine) -> None:
    with Session(archive) as session:
        result = search_reports(session, "行政", limit=1, offset=1)
    assert (result.total, len(result.hits)) == (3, 1)


def test_title_matches_rank_first(archive: Engine) -> None:
    with Session(archive) as session:
        result = search_reports(session, "司法局")
    assert result.hits[0].report.title.startswith("兰州市司法局")


def test_snippets_mark_every_match(archive: Engine) -> None:
    with Session(archive) as session:
        (hit,) = search_reports(session, "复议委员会").hits
    assert [f.render("[", "]") for f in hit.snippets] == [
        "2022年，安州区深入推进依法行政，行政复议工作规范开展，[复议委员会]运行良好。"
    ]


def test_long_texts_give_windows_around_the_matches() -> None:
    text = "甲" * 100 + "行政复议" + "乙" * 100
    (fragment,) = keyword_snippets(text, parse_query("复议").terms)
    assert fragment.render("[", "]") == "…" + "甲" * 28 + "行政[复议]" + "乙" * 30 + "…"


def test_snippet_of_a_traditional_text_marks_the_original_characters() -> None:
    (fragment,) = keyword_snippets(TRADITIONAL, parse_query("行政复议").terms)
    assert "[行政復議]" in fragment.render("[", "]")


def test_document_tokens_are_bigrams_per_run() -> None:
    assert document_tokens("法治政府，GDP") == ["法治", "治政", "政府", "府", "gdp"]


@pytest.mark.parametrize(
    "query", ['"行政复议', "OR 复议", "复议 OR", "-复议", "NOT 复议", "，。", ""]
)
def test_syntax_errors_are_one_line(query: str) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        parse_query(query)
    assert "\n" not in str(error.value)


def test_cli_takes_a_dash_term_for_an_excluded_term(
    archive: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from crawler.cli import main

    assert main(["--db", str(archive.url), "search", "行政复议", "-复议委员会", "--json"]) == 0
    years = sorted(json.loads(line)["report_year"] for line in capsys.readouterr().out.splitlines())
    assert years == [2021, 2023]


@pytest.fixture
def few_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rank among the newest two matches only, as a big archive ranks among its newest 500
    (and is too big for PostgreSQL to count every match)."""
    import archive.query
    import archive.search_index

    monkeypatch.setattr(archive.search_index, "RANKED_CANDIDATES", 2)
    monkeypatch.setattr(archive.query, "RANKED_CANDIDATES", 2)
    monkeypatch.setattr(archive.search_index, "COUNTED_UP_TO", 0)


def test_phrase_with_more_matches_than_candidates_gets_an_estimated_total(
    archive: Engine, few_candidates: None
) -> None:
    with Session(archive) as session:
        result = search_reports(session, "行政复议", limit=2)
    # The two newest matches are the newest two of three reports holding the phrase's
    # tokens (SQLite: of three report ids), so about three match.
    assert (result.total, result.total_is_estimate, len(result.hits)) == (3, True, 2)


def test_whole_token_terms_are_counted_exactly_on_sqlite(
    archive: Engine, few_candidates: None
) -> None:
    """SQLite counts them from its doclists at any size; PostgreSQL, reading rows to count,
    estimates in a big archive as for phrases."""
    with Session(archive) as session:
        result = search_reports(session, "复议", limit=2)
    is_estimate = archive.dialect.name != "sqlite"
    assert (result.total, result.total_is_estimate, len(result.hits)) == (3, is_estimate, 2)


def test_a_small_archive_counts_every_match(
    archive: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("archive.search_index.RANKED_CANDIDATES", 2)
    monkeypatch.setattr("archive.query.RANKED_CANDIDATES", 2)
    with Session(archive) as session:
        result = search_reports(session, "行政复议", limit=2)
    sqlite_estimates_phrases = archive.dialect.name == "sqlite"
    assert (result.total, len(result.hits)) == (3, 2)
    assert result.total_is_estimate == sqlite_estimates_phrases


def test_pages_past_the_candidates_rank_every_match(archive: Engine, few_candidates: None) -> None:
    with Session(archive) as session:
        result = search_reports(session, "行政复议", limit=2, offset=1)
    assert (result.total, result.total_is_estimate, len(result.hits)) == (3, False, 2)


def test_cli_shows_an_estimated_total_as_about(
    engine: Engine, few_candidates: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from crawler.cli import main

    for year in range(2019, 2023):  # four reports of one issuer, one a year
        text = ANZHOU.replace("2022", str(year))
        store(engine, record(f"http://a.gov.cn/{year}.html", text, year))
    assert main(["--db", str(engine.url), "search", "行政复议", "--limit", "2"]) == 0
    assert capsys.readouterr().out.startswith("about 4 reports match; 1-2 by relevance")


# Phrases and how often each occurs in the generated reports below: dense, common, sparse, rare.
SHARES = {"行政复议": 0.6, "法律顾问": 0.3, "复议委员会": 0.1, "星火调解": 0.02}
FILLER = "各部门依法履职，持续推进各项工作。"


def generated_reports(count: int) -> list[tuple[str, str]]:
    """(title, text) of `count` reports holding each phrase of SHARES at random, at its share."""
    chance = random.Random(7)
    reports = []
    for number in range(count):
        phrases = [p for p, share in SHARES.items() if chance.random() < share]
        body = "。".join([FILLER, *(f"本县{p}工作有序开展" for p in phrases), FILLER])
        reports.append((f"第{number}县法治政府建设年度报告", body))
    return reports


@pytest.mark.parametrize(
    ("analyzed", "margin"),
    [(True, 2.0), (True, 0.2), (False, 2.0)],
    ids=["statistics", "statistics-first-window-too-narrow", "no-statistics"],
)
@pytest.mark.parametrize(
    "query",
    [
        "行政复议",
        "复议",
        "行政复议 法律顾问",
        "行政复议 -复议委员会",
        "星火调解",
        "法律顾问 OR 星火调解",
    ],
)
def test_newest_matches_are_the_newest_reports_that_match(
    empty_archive: Engine,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    analyzed: bool,
    margin: float,
) -> None:
    """However the index is asked (windows of the newest ids sized by the planner's
    statistics, or by what earlier windows found), the candidates are exactly the newest
    matches, as a plain reading of every text finds them."""
    monkeypatch.setattr("archive.search_index.RANKED_CANDIDATES", 12)
    monkeypatch.setattr("archive.search_index.COUNTED_UP_TO", 0)
    monkeypatch.setattr("archive.search_index.WINDOW_MARGIN", margin)
    reports = generated_reports(400)
    with Session(empty_archive) as session, session.begin():
        rows = [
            {"content_key": f"k{n}", "title": t, "text": b, "host": "www.x.gov.cn"}
            for n, (t, b) in enumerate(reports)
        ]
        inserted = insert(Report).returning(Report.id, sort_by_parameter_order=True)
        ids = session.scalars(inserted, rows).all()
        index_reports(
            session.connection(), [(i, t, b) for i, (t, b) in zip(ids, reports, strict=True)]
        )
    if analyzed:
        with empty_archive.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    parsed = parse_query(query)
    wanted = [
        i
        for i, (title, body) in sorted(zip(ids, reports, strict=True), reverse=True)
        if all(any(t.text in title + body for t in group) for group in parsed.groups)
        and not any(t.text in body for t in parsed.excluded)
    ]
    with Session(empty_archive) as session:
        found = newest_matches(session, parsed)
    assert list(found.ids) == wanted[:12]
    if len(wanted) < 12:
        assert (found.total, found.is_estimate) == (len(wanted), False)
