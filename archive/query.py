"""Reading the archive: search with filters, single reports, statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ARRAY, Integer, LargeBinary, Select, any_, cast, func, select
from sqlalchemy.orm import Session, selectinload

from archive.filters import ReportFilter
from archive.models import Capture, CrawlRun, Failure, Portal, Report, Sighting
from archive.ranking import TITLE_WEIGHT, needles, rank_counted, weighted_counts
from archive.search_index import RANKED_CANDIDATES, SearchHits, matching_ids, newest_matches
from archive.search_language import Query, parse_query
from archive.snippets import Fragment, keyword_snippets
from archive.vocabulary import RequiredPart

SORTS = ("relevance", "date")


@dataclass(frozen=True)
class ReportView:
    id: int
    title: str
    report_year: int | None
    published_at: dt.date | None
    written_at: dt.date | None
    publisher: str | None
    issuer: str | None
    host: str
    host_site: str | None
    urls: tuple[str, ...]
    text: str
    # The four-part check (archive.report_parts): None where there was no text to judge.
    complete: bool | None = None
    missing_parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchiveStats:
    reports: int
    sightings: int
    captures: int
    failures: int
    portals: int
    crawl_runs: int
    reports_by_year: dict[int | None, int]


def _view(report: Report) -> ReportView:
    return ReportView(
        id=report.id,
        title=report.title,
        report_year=report.report_year,
        published_at=report.published_at,
        written_at=report.written_at,
        publisher=report.publisher,
        issuer=report.issuer,
        host=report.host,
        host_site=report.host_site,
        urls=tuple(s.url for s in report.sightings),
        text=report.text,
        complete=report.parts_complete,
        missing_parts=tuple(
            part.value
            for part in RequiredPart
            if report.parts_found is not None and not report.parts_found & part.bit
        ),
    )


AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def _filtered(statement: AnySelect, where: ReportFilter) -> AnySelect:
    return statement.where(*where.clauses())


def _base(where: ReportFilter) -> Select[Report]:
    statement = select(Report).options(selectinload(Report.sightings))
    return _filtered(statement, where).order_by(Report.published_at.desc(), Report.id)


def _count(session: Session, matched: Select[*tuple[Any, ...]]) -> int:
    """The number of matches when the page asked for lies past the last one."""
    return session.scalar(select(func.count()).select_from(matched.subquery())) or 0


@dataclass(frozen=True)
class SearchHit:
    report: ReportView
    snippets: tuple[Fragment, ...]


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, best first (or newest first), and how many reports match in all;
    `total_is_estimate` when that number is an estimate (show it as "about N")."""

    total: int
    hits: tuple[SearchHit, ...]
    query: Query
    total_is_estimate: bool = False


def _all_hits(
    session: Session, parsed: Query, where: ReportFilter, limit: int | None, offset: int, sort: str
) -> SearchHits:
    """Every match scored or sorted, with extra conditions on `reports`: exact, and what
    filtered searches, date order and pages past the ranked candidates need."""
    hits = matching_ids(session, parsed)
    total_column = func.count().over().label("total")  # one pass over the matches, not two
    matched = _filtered(select(Report.id, total_column).join(hits, hits.c.id == Report.id), where)
    order = (
        (hits.c.score, Report.id)
        if sort == "relevance"
        else (Report.published_at.desc(), Report.id)
    )
    rows = session.execute(matched.order_by(*order).limit(limit).offset(offset)).all()
    total = rows[0].total if rows else _count(session, matched) if offset else 0
    return SearchHits(total, tuple(row.id for row in rows))


def _among(session: Session, ids: tuple[int, ...]) -> Any:
    """Report.id in `ids`: one array parameter on PostgreSQL instead of hundreds."""
    if session.get_bind().dialect.name == "postgresql":
        return Report.id == any_(cast(list(ids), ARRAY(Integer)))
    return Report.id.in_(ids)


def _bytes(session: Session, column: Any) -> Any:
    """A text column's length in bytes (cheaper than in characters: no decoding)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.length(cast(column, LargeBinary))
    return func.octet_length(column)


def _occurrences(session: Session, column: Any, needle: str) -> Any:
    """How many times `needle` occurs in a column, counted by the database (lower() and
    character counts of CJK text would cost more than the rest of the search)."""
    removed = _bytes(session, column) - _bytes(session, func.replace(column, needle, ""))
    return removed / len(needle.encode())


def _best_of_newest(session: Session, parsed: Query, limit: int, offset: int) -> SearchHits:
    """A page ranked among the newest RANKED_CANDIDATES matches: the index finds them in
    milliseconds, where scoring every match of a common term (half the archive) would take a
    second. The database counts each term in their titles and texts, so that only numbers
    travel; a candidate matched only through folding (traditional characters, other letter
    case) is counted from its text here."""
    newest = newest_matches(session, parsed)
    terms = needles(parsed)
    # With two terms or more, each text is read (on PostgreSQL: fetched from TOAST and
    # decompressed) once, not once per term: a concatenation makes a plain copy, and OFFSET 0
    # keeps the subquery apart. For one term the copy would be the extra read.
    body = Report.text + "" if len(terms) > 1 else Report.text
    candidates = (
        select(Report.id, Report.title, body.label("body"))
        .where(_among(session, newest.ids))
        .offset(0)
        .subquery()
    )
    counts = [
        TITLE_WEIGHT * _occurrences(session, candidates.c.title, n)
        + _occurrences(session, candidates.c.body, n)
        for n in terms
    ]
    rows = session.execute(
        select(candidates.c.id, _bytes(session, candidates.c.body), *counts)
    ).all()
    counted = [(row[0], row[1], [float(c) for c in row[2:]]) for row in rows]
    folded = [i for i, _, found in counted if not any(found)]
    if folded:
        rows_with_text = session.execute(
            select(Report.id, Report.title, Report.text).where(_among(session, tuple(folded)))
        )
        texts = {i: (title, body) for i, title, body in rows_with_text}
        counted = [
            (i, length, weighted_counts(*texts[i], terms) if i in texts else found)
            for i, length, found in counted
        ]
    ranked = rank_counted(counted)
    return SearchHits(newest.total, tuple(ranked[offset : offset + limit]), newest.is_estimate)


def search_reports(
    session: Session,
    query: str | Query,
    where: ReportFilter = ReportFilter(),
    limit: int | None = 20,
    offset: int = 0,
    sort: str = "relevance",
) -> SearchResult:
    """Reports matching the query language (raises QuerySyntaxError), answered from the
    index, with keyword-in-context snippets for the page of hits asked for."""
    parsed = parse_query(query) if isinstance(query, str) else query
    is_unfiltered = where == ReportFilter() and sort == "relevance"
    if is_unfiltered and limit is not None and offset + limit <= RANKED_CANDIDATES:
        # Nothing to filter or sort on in `reports`: the index picks the newest candidates.
        hits = _best_of_newest(session, parsed, limit, offset)
    else:
        hits = _all_hits(session, parsed, where, limit, offset, sort)
    reports = {
        r.id: r
        for r in session.scalars(
            select(Report).options(selectinload(Report.sightings)).where(Report.id.in_(hits.ids))
        )
    }
    page = tuple(
        SearchHit(_view(reports[i]), keyword_snippets(reports[i].text, parsed.terms))
        for i in hits.ids
    )
    return SearchResult(hits.total, page, parsed, hits.is_estimate)


def list_reports(
    session: Session, where: ReportFilter = ReportFilter(), limit: int | None = None
) -> list[ReportView]:
    return [_view(r) for r in session.scalars(_base(where).limit(limit))]


def iter_reports(session: Session, where: ReportFilter = ReportFilter()) -> Iterator[ReportView]:
    """Every matching report, streamed in batches so exports of big archives stay small."""
    for report in session.scalars(_base(where).execution_options(yield_per=200)):
        yield _view(report)


def get_report(session: Session, report_id: int) -> ReportView | None:
    report = session.scalar(_base(ReportFilter()).where(Report.id == report_id))
    return _view(report) if report else None


def archive_stats(session: Session) -> ArchiveStats:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_year = session.execute(
        select(Report.report_year, func.count()).group_by(Report.report_year)
    ).all()
    return ArchiveStats(
        reports=count(Report),
        sightings=count(Sighting),
        captures=count(Capture),
        failures=count(Failure),
        portals=count(Portal),
        crawl_runs=count(CrawlRun),
        reports_by_year={year: n for year, n in by_year},
    )
