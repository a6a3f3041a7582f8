"""The full-text index of report titles and texts, and the queries it answers, on both backends.

The index holds the bigram tokens of `search_language` (so terms of any length are answered
from it): on SQLite a contentless FTS5 table ranked by bm25, on PostgreSQL tsvector chunks
under a GIN index ranked by ts_rank. The first pages of a search take the newest
RANKED_CANDIDATES matches instead (`newest_matches`), ranked by `ranking`, with the total
counted or estimated. Reports are indexed by mapper events, so every writer
that goes through the ORM keeps the index current without knowing about it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Float,
    Integer,
    column,
    event,
    func,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Mapper, Session

from archive.models import Report
from archive.search_language import Query, Term, document_tokens

SQLITE_TABLE = "report_search"
POSTGRES_TABLE = "report_search_chunks"
# A title match counts this many times a match in the text (bm25 column weight; the
# PostgreSQL title chunk gets tsvector weight A against D for the text).
TITLE_WEIGHT = 4.0
# tsvector positions stop at 16383: long texts are cut into chunks of this many tokens that
# overlap by PHRASE_OVERLAP, so a phrase of up to that many characters is never split.
CHUNK_TOKENS = 16000
PHRASE_OVERLAP = 64
TITLE_CHUNK = -1
# Relevance is scored over at most this many matches, the most recently archived ones: scoring
# every match of a common term (half of 100,000 reports) costs about a second, scoring 500
# about 15 ms. Queries with fewer matches are ranked over all of them.
RANKED_CANDIDATES = 500
# Up to this many reports (by id), PostgreSQL counts every match; beyond, the total of a
# query with more matches than RANKED_CANDIDATES is estimated.
COUNTED_UP_TO = 10_000

SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 0')"
)
POSTGRES_SCHEMA = (
    f"CREATE TABLE {POSTGRES_TABLE} ("
    " report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    " chunk INTEGER NOT NULL, tokens TSVECTOR NOT NULL, PRIMARY KEY (report_id, chunk))",
    f"CREATE INDEX ix_{POSTGRES_TABLE}_tokens ON {POSTGRES_TABLE} USING GIN (tokens)",
)


@dataclass(frozen=True)
class SearchHits:
    """One page of report ids, best first, and how many reports match in all: counted, or
    estimated (`is_estimate`) where counting every match would cost more than the page."""

    total: int
    ids: tuple[int, ...]
    is_estimate: bool = False


# -- writing -------------------------------------------------------------------------------


def _joined(tokens: Iterable[str]) -> str:
    return " ".join(tokens)


def _tsvector_literal(tokens: Sequence[str], weight: str) -> str:
    """tsvector input text: no parser runs over it, so CJK tokens stay whole."""
    return " ".join(f"'{token}':{position}{weight}" for position, token in enumerate(tokens, 1))


def _chunks(tokens: list[str]) -> list[list[str]]:
    step = CHUNK_TOKENS - PHRASE_OVERLAP
    return [tokens[start : start + CHUNK_TOKENS] for start in range(0, len(tokens), step)]


def index_reports(connection: Connection, reports: Iterable[tuple[int, str, str]]) -> None:
    """Add (id, title, text) reports to the index, in one statement per backend."""
    reports = list(reports)
    if not reports:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(f"INSERT INTO {SQLITE_TABLE}(rowid, title, body) VALUES (:id, :title, :body)"),
            [
                {"id": i, "title": _joined(document_tokens(t)), "body": _joined(document_tokens(b))}
                for i, t, b in reports
            ],
        )
        return
    rows = []
    for report_id, title, body in reports:
        rows.append(
            {
                "id": report_id,
                "chunk": TITLE_CHUNK,
                "tokens": _tsvector_literal(document_tokens(title), "A"),
            }
        )
        rows += [
            {"id": report_id, "chunk": number, "tokens": _tsvector_literal(chunk, "D")}
            for number, chunk in enumerate(_chunks(document_tokens(body)))
        ]
    connection.execute(
        text(f"INSERT INTO {POSTGRES_TABLE} VALUES (:id, :chunk, CAST(:tokens AS tsvector))"),
        rows,
    )


def unindex_report(connection: Connection, report_id: int, title: str, body: str) -> None:
    """Remove a report's entry; a contentless FTS5 table needs the tokens it was given."""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(
                f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, body) "
                "VALUES ('delete', :id, :title, :body)"
            ),
            {
                "id": report_id,
                "title": _joined(document_tokens(title)),
                "body": _joined(document_tokens(body)),
            },
        )
        return
    connection.execute(
        text(f"DELETE FROM {POSTGRES_TABLE} WHERE report_id = :id"), {"id": report_id}
    )


@event.listens_for(Report, "after_insert")
def _index_new_report(_mapper: Mapper[Report], connection: Connection, report: Report) -> None:
    index_reports(connection, [(report.id, report.title, report.text)])


@event.listens_for(Report, "after_update")
def _reindex_changed_report(
    _mapper: Mapper[Report], connection: Connection, report: Report
) -> None:
    state = inspect(report)
    title, body = state.attrs.title.history, state.attrs.text.history
    if not (title.has_changes() or body.has_changes()):
        return
    old_title = title.deleted[0] if title.deleted else report.title
    old_body = body.deleted[0] if body.deleted else report.text
    unindex_report(connection, report.id, old_title, old_body)
    index_reports(connection, [(report.id, report.title, report.text)])


# -- reading -------------------------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    phrase = '"' + " ".join(term.tokens) + '"'
    return phrase + "*" if term.is_prefix else phrase


def fts5_expression(query: Query) -> str:
    """The query as an FTS5 MATCH expression (tokens are letters and digits only)."""
    groups = " AND ".join(
        "(" + " OR ".join(_fts5_term(term) for term in group) + ")" for group in query.groups
    )
    if not query.excluded:
        return groups
    return f"({groups}) NOT (" + " OR ".join(_fts5_term(t) for t in query.excluded) + ")"


def _tsquery_term(term: Term) -> str:
    if term.is_prefix:
        return f"'{term.tokens[0]}':*"
    return "(" + " <-> ".join(f"'{token}'" for token in term.tokens) + ")"


def _tsquery_any(terms: Sequence[Term]) -> str:
    return " | ".join(_tsquery_term(term) for term in terms)


def _postgres_matched(query: Query, newer: str = "") -> str:
    """SQL for the ids of the reports the query matches (parameters: _postgres_params). A
    report's chunks are matched one by one, so AND and NOT are taken over reports. `newer`,
    an SQL condition on report_id, keeps to part of the archive."""
    where = f"{newer} AND " if newer else ""
    matched = " INTERSECT ".join(
        f"SELECT report_id FROM {POSTGRES_TABLE} WHERE {where}tokens @@ CAST(:g{n} AS tsquery)"
        for n in range(len(query.groups))
    )
    if query.excluded:
        matched += (
            f" EXCEPT SELECT report_id FROM {POSTGRES_TABLE} "
            f"WHERE {where}tokens @@ CAST(:x AS tsquery)"
        )
    return matched


def _postgres_params(query: Query) -> dict[str, str]:
    """The tsquery of each group of terms (:g0, :g1…) and of the excluded terms (:x)."""
    params = {f"g{n}": _tsquery_any(group) for n, group in enumerate(query.groups)}
    if query.excluded:
        params["x"] = _tsquery_any(query.excluded)
    return params


def _postgres_scores(ids: str) -> str:
    """SQL scoring the reports `ids` selects: ts_rank summed over their matching chunks."""
    return (
        "SELECT c.report_id AS id, -SUM(ts_rank(c.tokens, CAST(:all AS tsquery))) AS score "
        f"FROM {POSTGRES_TABLE} c WHERE c.report_id IN ({ids}) "
        "AND c.tokens @@ CAST(:all AS tsquery) GROUP BY c.report_id"
    )


def matching_ids(session: Session, query: Query) -> CTE:
    """(id, score) of every report the query matches; a lower score ranks higher. Computed once
    (MATERIALIZED): joined with filters on `reports`, both planners would otherwise run the
    full-text query again for every report the filters keep."""
    if session.get_bind().dialect.name == "sqlite":
        score: ColumnElement[float] = literal_column(f"bm25({SQLITE_TABLE}, {TITLE_WEIGHT}, 1.0)")
        return (
            select(literal_column("rowid").label("id"), score.label("score"))
            .select_from(text(SQLITE_TABLE))
            .where(text(f"{SQLITE_TABLE} MATCH :match").bindparams(match=fts5_expression(query)))
            .cte("hits")
            .prefix_with("MATERIALIZED")
        )
    return (
        text(_postgres_scores(_postgres_matched(query)))
        .bindparams(**_postgres_params(query), all=_tsquery_any(query.terms))
        .columns(column("id", Integer), column("score", Float))
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )


def _is_counted_from_doclists(query: Query) -> bool:
    """FTS5 counts a query of whole tokens from its doclists alone; phrases and prefixes make
    it read and compare positions (or merge many doclists) for every match."""
    return all(len(term.tokens) == 1 and not term.is_prefix for term in query.terms)


def _estimated_total(reports: int, newest: int, ranked: int, oldest_id: int) -> int:
    """Matches among the newest reports, scaled to the archive's `reports`: ids grow with time
    and matches are spread over it, so the share of ids scanned stands for the share of
    matches."""
    scanned = max(1, newest - oldest_id + 1)
    return min(reports, round(ranked * reports / scanned))


def _sqlite_newest(session: Session, query: Query) -> tuple[list[int], int]:
    """The ids of the newest RANKED_CANDIDATES matches, and the total when counting is cheap
    (-1 otherwise)."""
    match = {"match": fts5_expression(query)}
    ids = session.scalars(
        text(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :match "
            "ORDER BY rowid DESC LIMIT :n"
        ),
        {**match, "n": RANKED_CANDIDATES},
    ).all()
    if len(ids) < RANKED_CANDIDATES:
        return list(ids), len(ids)
    if not _is_counted_from_doclists(query):
        return list(ids), -1
    count = session.scalar(
        text(f"SELECT count(*) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :match"), match
    )
    return list(ids), int(count or 0)


# The planner's statistics on the index (kept by ANALYZE): the most common tokens and the
# share of index rows holding each; a token not listed is rarer than every listed one. Asked
# in one statement with the newest id and the planner's counts of reports and index rows
# (-1 before the first ANALYZE).
TERM_STATISTICS = (
    "WITH stats AS (SELECT most_common_elems::text::text[] AS tokens, "
    "most_common_elem_freqs AS frequencies FROM pg_stats WHERE schemaname = current_schema() "
    f"AND tablename = '{POSTGRES_TABLE}' AND attname = 'tokens') "
    "SELECT token, stats.frequencies[array_position(stats.tokens, token)], "
    "(SELECT max(id) FROM reports), "
    "(SELECT reltuples FROM pg_class WHERE oid = 'reports'::regclass), "
    f"(SELECT reltuples FROM pg_class WHERE oid = '{POSTGRES_TABLE}'::regclass) "
    "FROM unnest(CAST(:tokens AS text[])) AS token LEFT JOIN stats ON TRUE"
)
# The first window of newest ids is this many times as wide as the statistics say holds
# RANKED_CANDIDATES matches: they overrate phrases (their tokens may be far apart).
WINDOW_MARGIN = 2.0


@dataclass(frozen=True)
class TermStatistics:
    """The newest report id and the planner's count of reports (0 where it has none); each
    term's least common token, and the share of reports the statistics say hold it (0 where
    it is too rare to be listed, or nothing is analyzed yet). A report holding a term holds
    its rarest token, and the index reads one short list of entries for that token instead
    of one for every token of the term."""

    newest: int
    reports: int
    rarest: dict[Term, str]
    shares: dict[Term, float]


def _term_statistics(session: Session, terms: Sequence[Term]) -> TermStatistics:
    tokens = sorted({token for term in terms for token in term.tokens})
    rows = session.execute(text(TERM_STATISTICS), {"tokens": tokens}).all()
    frequency = {token: share or 0.0 for token, share, *_ in rows}
    _, _, newest, reports, index_rows = rows[0]
    rows_per_report = max(index_rows / reports, 1.0) if reports > 0 else 1.0
    rarest = {term: min(term.tokens, key=frequency.__getitem__) for term in terms}
    shares = {term: min(1.0, frequency[token] * rows_per_report) for term, token in rarest.items()}
    return TermStatistics(newest or 0, max(int(reports), 0), rarest, shares)


def _candidate_params(query: Query, statistics: TermStatistics) -> dict[str, str]:
    """A tsquery per group (:s0, :s1…) that every report matching the group matches: its
    terms' rarest tokens, which the index answers without reading rows (positions, which a
    phrase needs, are not in the index)."""
    return {
        f"s{n}": " | ".join(
            _tsquery_term(term) if term.is_prefix else f"'{statistics.rarest[term]}'"
            for term in group
        )
        for n, group in enumerate(query.groups)
    }


def _expected_share(query: Query, statistics: TermStatistics) -> float:
    """The share of reports that hold every group's rarest tokens, were tokens independent."""
    return math.prod(
        1 - math.prod(1 - statistics.shares[term] for term in group) for group in query.groups
    )


def _postgres_newest(session: Session, query: Query) -> SearchHits:
    """The newest RANKED_CANDIDATES matches, asked of the index for a window of the newest
    ids as wide as the statistics say holds them (the whole archive for rare terms), then,
    while too few are found, for the window below, sized by the share found so far. A rare
    term costs a few index lookups and a common one a few thousand index entries, not every
    match. The total is counted where there are fewer matches than that or the archive is
    small (COUNTED_UP_TO), and otherwise scaled from how far back the matches reach."""
    statistics = _term_statistics(session, query.terms)
    newest = statistics.newest
    # The planner prices a common token's matches cheaper read in full than through the
    # index, not knowing each row read unpacks a large tsvector: the index is far cheaper.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    params = _postgres_params(query)
    is_exact = all(len(term.tokens) == 1 for term in query.terms + query.excluded)
    if not is_exact:
        params |= _candidate_params(query, statistics)
    share = _expected_share(query, statistics)
    ids: tuple[int, ...] = ()
    ceiling = newest
    while len(ids) < RANKED_CANDIDATES and ceiling > 0:
        wanted = RANKED_CANDIDATES - len(ids)
        window = math.ceil(WINDOW_MARGIN * wanted / share) if share else newest
        floor = max(ceiling - max(window, RANKED_CANDIDATES), 0)
        ids += _postgres_newest_between(session, query, params, is_exact, (floor, ceiling), wanted)
        ceiling, share = floor, len(ids) / (newest - floor)
    if len(ids) < RANKED_CANDIDATES:
        hits = SearchHits(len(ids), ids)
    elif newest <= COUNTED_UP_TO:
        matched = _postgres_matched(query)
        total = session.scalar(
            text(f"SELECT count(*) FROM ({matched}) AS m"), _postgres_params(query)
        )
        hits = SearchHits(int(total or 0), ids)
    else:
        # The planner's count of reports (kept by autovacuum): counting 100,000 rows would
        # cost more than the search.
        reports = statistics.reports or session.scalar(select(func.count(Report.id))) or 0
        hits = SearchHits(_estimated_total(reports, newest, len(ids), min(ids)), ids, True)
    session.execute(text("RESET enable_seqscan"))
    return hits


def _postgres_report_check(query: Query, report_id: str) -> str:
    """SQL that is true when the report `report_id` names matches the query, read from its
    index rows (phrases by their positions). A scalar subquery is run row by row as the
    candidates stream past, newest first, so a LIMIT stops it; an EXISTS would be planned as
    a join over them all."""
    positive = " AND ".join(
        f"bool_or(c.tokens @@ CAST(:g{n} AS tsquery))" for n in range(len(query.groups))
    )
    negative = " AND NOT bool_or(c.tokens @@ CAST(:x AS tsquery))" if query.excluded else ""
    return f"(SELECT {positive}{negative} FROM {POSTGRES_TABLE} c WHERE c.report_id = {report_id})"


def _postgres_newest_between(
    session: Session,
    query: Query,
    params: dict[str, str],
    is_exact: bool,
    bounds: tuple[int, int],
    limit: int,
) -> tuple[int, ...]:
    """The newest `limit` matches with ids in (floor, ceiling], from the index. A query of
    whole tokens is answered by the index alone; otherwise the reports holding each group's
    rarest tokens are checked against the query, positions included."""
    newer = "report_id > :floor AND report_id <= :ceiling"
    if is_exact:
        candidates, check = _postgres_matched(query, newer), "TRUE"
    else:
        candidates = " INTERSECT ".join(
            f"SELECT report_id FROM {POSTGRES_TABLE} WHERE {newer} "
            f"AND tokens @@ CAST(:s{n} AS tsquery)"
            for n in range(len(query.groups))
        )
        check = _postgres_report_check(query, "candidates.id")
    floor, ceiling = bounds
    rows = session.scalars(
        text(
            f"SELECT id FROM (SELECT id FROM ({candidates}) AS candidates(id) "
            f"ORDER BY id DESC OFFSET 0) AS candidates WHERE {check} ORDER BY id DESC LIMIT :n"
        ),
        {**params, "floor": floor, "ceiling": ceiling, "n": limit},
    ).all()
    return tuple(int(i) for i in rows)


def newest_matches(session: Session, query: Query) -> SearchHits:
    """The ids of the newest RANKED_CANDIDATES matches, newest first, and how many reports
    match in all: counted, or estimated where counting would cost more than a page."""
    if session.get_bind().dialect.name != "sqlite":
        return _postgres_newest(session, query)
    ids, total = _sqlite_newest(session, query)
    if total >= 0:
        return SearchHits(total, tuple(ids))
    reports = session.scalar(select(func.count(Report.id))) or 0
    newest = session.scalar(select(func.max(Report.id))) or 0
    return SearchHits(_estimated_total(reports, newest, len(ids), min(ids)), tuple(ids), True)
