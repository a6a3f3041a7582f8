"""What the search and report pages show, read from the archive through the query API, so the
browser answers exactly as `nianbao search`, `show` and `cite` do."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.citation import cite_report
from archive.filters import YEARS, ReportFilter
from archive.models import Attachment
from archive.provenance import SightingView, get_provenance
from archive.query import SORTS, ReportView, SearchHit, get_report, search_reports
from archive.search_language import QuerySyntaxError
from archive.snippets import Fragment

HITS_PER_PAGE = 20


@dataclass(frozen=True)
class SearchRequest:
    """The search form as read from the query string; bad numbers fall back to defaults."""

    query: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchRequest:
        year = args.get("year", "").strip()
        page = args.get("page", "").strip()
        sort = args.get("sort", "relevance")
        return cls(
            query=args.get("q", "").strip(),
            year=int(year) if year.isdigit() and YEARS[0] <= int(year) <= YEARS[1] else None,
            sort=sort if sort in SORTS else "relevance",
            page=max(1, int(page)) if page.isdigit() else 1,
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * HITS_PER_PAGE


@dataclass(frozen=True)
class SearchPage:
    request: SearchRequest
    total: int
    hits: tuple[SearchHit, ...]
    error: str | None = None

    @property
    def first_rank(self) -> int:
        return self.request.offset + 1

    @property
    def has_next(self) -> bool:
        return self.request.offset + len(self.hits) < self.total


def search_page(session: Session, request: SearchRequest) -> SearchPage:
    """One page of hits for the form; an empty form asks nothing, a bad query says why."""
    if not request.query:
        return SearchPage(request, 0, ())
    try:
        result = search_reports(
            session,
            request.query,
            ReportFilter(years=frozenset({request.year}) if request.year else frozenset()),
            HITS_PER_PAGE,
            request.offset,
            request.sort,
        )
    except QuerySyntaxError as error:
        return SearchPage(request, 0, (), str(error))
    return SearchPage(request, result.total, result.hits)


def html_snippet(fragment: Fragment) -> Markup:
    """A snippet as HTML: the text escaped, each match in <mark>."""
    escaped = dataclasses.replace(fragment, parts=tuple(escape(p) for p in fragment.parts))
    return Markup(escaped.render("<mark>", "</mark>"))


@dataclass(frozen=True)
class AttachmentView:
    page_url: str
    url: str
    content_type: str | None
    size: int
    needs_ocr: bool
    text_chars: int
    fetched_at: dt.datetime


@dataclass(frozen=True)
class ReportPage:
    report: ReportView
    sightings: tuple[SightingView, ...]
    attachments: tuple[AttachmentView, ...]
    citation: str | None


def _attachments(session: Session, page_urls: list[str]) -> tuple[AttachmentView, ...]:
    rows = session.scalars(
        select(Attachment).where(Attachment.page_url.in_(page_urls)).order_by(Attachment.id)
    )
    return tuple(
        AttachmentView(
            page_url=row.page_url,
            url=row.url,
            content_type=row.content_type,
            size=row.size,
            needs_ocr=row.needs_ocr,
            text_chars=len(row.text),
            fetched_at=row.fetched_at,
        )
        for row in rows
    )


def report_page(session: Session, report_id: int) -> ReportPage | None:
    """A report with every sighting, the files its pages link, and its citation."""
    report = get_report(session, report_id)
    provenance = get_provenance(session, report_id)
    if report is None or provenance is None:
        return None
    citation = cite_report(session, report_id)
    return ReportPage(
        report=report,
        sightings=provenance.sightings,
        attachments=_attachments(session, [s.url for s in provenance.sightings]),
        citation=citation.render() if citation else None,
    )
