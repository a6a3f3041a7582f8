"""The Datasette plugin that makes Datasette a nianbao browser: search with the archive's
query language, readable report pages, the SQL functions of the coverage query, links from
report titles to their pages. Registered by `nianbao serve`, not by an entry point, so that
it serves only the archive it was built for."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import sqlite3
from collections.abc import Callable
from typing import Any

import pluggy
from datasette.utils.asgi import BadRequest, NotFound, Request, Response
from markupsafe import Markup, escape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.coverage import is_own_report, publication_status
from archive.coverage_page import render_html
from archive.filters import ReportFilter, parse_years
from archive.issuer import Issuer, parse_issuer
from archive.vocabulary import IssuerKind
from archive.web.pages import SearchRequest, html_snippet, report_page, search_page

# The marker datasette.hookimpl is, made here so that mypy sees pluggy's types.
hookimpl = pluggy.HookimplMarker("datasette")

DATABASE_NAME = "nianbao"
# Tables and views whose rows are reports: their titles link to the report page.
REPORT_TABLES = ("reports", "browse_reports")


@functools.lru_cache(maxsize=4096)
def _portal_body(portal_name: str) -> Issuer | None:
    return parse_issuer(portal_name)


def sql_is_own_report(
    portal_name: str, place: str | None, kind: str | None, department: str | None
) -> int:
    """nianbao_is_own_report(): coverage's rule, a portal credited only with its own report."""
    issuer = Issuer(place, IssuerKind(kind), department) if place and kind else None
    return int(is_own_report(_portal_body(portal_name), issuer))


def sql_publication_status(report_year: int | str, published_at: str | None) -> str:
    """nianbao_publication_status(): on_time, late or undated against the April 1 deadline."""
    published = None if published_at is None else dt.date.fromisoformat(published_at[:10])
    return str(publication_status(int(report_year), published))


class ArchivePlugin:
    """One archive's plugin: the engine it reads with is its own, read-only."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.__name__ = name  # Datasette lists plugins by their module's __name__

    async def _read(self, work: Callable[[Session], Any]) -> Any:
        """Run a query function off the event loop, in a session of its own."""

        def run() -> Any:
            with Session(self.engine) as session:
                return work(session)

        return await asyncio.to_thread(run)

    @hookimpl
    def register_routes(self) -> list[tuple[str, Any]]:
        return [
            (r"^/-/search$", self.search),
            (r"^/-/report/(?P<report_id>[0-9]{1,10})$", self.report),
            (r"^/-/coverage$", self.coverage),
        ]

    async def search(self, request: Request, datasette: Any) -> Response:
        form = SearchRequest.from_args(request.args)
        page = await self._read(lambda session: search_page(session, form))
        html = await datasette.render_template(
            "nianbao_search.html",
            {"page": page, "snippet": html_snippet},
            request=request,
        )
        return Response.html(html)

    async def report(self, request: Request, datasette: Any) -> Response:
        report_id = int(request.url_vars["report_id"])
        page = await self._read(lambda session: report_page(session, report_id))
        if page is None:
            raise NotFound(f"no report with id {report_id}")
        html = await datasette.render_template(
            "nianbao_report.html", {"page": page}, request=request
        )
        return Response.html(html)

    async def coverage(self, request: Request) -> Response:
        """The page of `nianbao coverage --html`: every report year, or ?year=2023."""
        year = request.args.get("year", "")
        try:
            where = ReportFilter(years=parse_years(year)) if year else ReportFilter()
        except argparse.ArgumentTypeError as error:
            raise BadRequest(str(error)) from None
        return Response.html(await self._read(lambda session: render_html(session, where)))

    @hookimpl
    def prepare_connection(self, conn: sqlite3.Connection, database: str) -> None:
        if database != DATABASE_NAME:
            return
        conn.create_function("nianbao_is_own_report", 4, sql_is_own_report, deterministic=True)
        conn.create_function(
            "nianbao_publication_status", 2, sql_publication_status, deterministic=True
        )

    @hookimpl
    def render_cell(
        self, row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
    ) -> Markup | None:
        """Report titles link to the readable page (in report tables and canned queries that
        select the report's id), and so do report ids in query results."""
        if database != DATABASE_NAME or value is None:
            return None
        columns = row.keys() if hasattr(row, "keys") else ()
        if column == "title" and (table in REPORT_TABLES or table is None) and "id" in columns:
            return self._report_link(datasette, row["id"], str(value))
        if column == "title" and table is None and "report_id" in columns and row["report_id"]:
            return self._report_link(datasette, row["report_id"], str(value))
        if column == "report_id" and table is None:
            return self._report_link(datasette, value, str(value))
        return None

    @staticmethod
    def _report_link(datasette: Any, report_id: Any, label: str) -> Markup:
        href = datasette.urls.path(f"/-/report/{int(report_id)}")
        return Markup('<a href="{}">{}</a>').format(href, escape(label))

    @hookimpl
    def menu_links(self, datasette: Any) -> list[dict[str, str]]:
        links = [
            {"href": datasette.urls.path("/-/search"), "label": "全文检索 Search reports"},
            {
                "href": datasette.urls.table(DATABASE_NAME, "browse_reports"),
                "label": "浏览报告 Browse reports",
            },
            {"href": datasette.urls.path("/-/coverage"), "label": "发布情况 Coverage"},
        ]
        return links
