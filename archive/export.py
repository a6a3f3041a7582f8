"""Corpus exports: one report per JSON line or CSV row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from archive.output import Format, Layout, write_rows
from archive.query import ReportView

EXPORT_FIELDS = (
    "id",
    "title",
    "report_year",
    "published_at",
    "written_at",
    "publisher",
    "issuer",
    "host",
    "host_site",
    "complete",
    "missing_parts",
    "urls",
    "text",
)


def report_record(report: ReportView) -> dict[str, Any]:
    """A report as plain JSON-ready values (dates as YYYY-MM-DD)."""
    return {
        "id": report.id,
        "title": report.title,
        "report_year": report.report_year,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "written_at": report.written_at.isoformat() if report.written_at else None,
        "publisher": report.publisher,
        "issuer": report.issuer,
        "host": report.host,
        "host_site": report.host_site,
        # The four required parts (督察工作规定 art. 25): all found, and which were not.
        "complete": report.complete,
        "missing_parts": list(report.missing_parts),
        "urls": list(report.urls),
        "text": report.text,
    }


# `export --format`: a corpus is JSON lines or CSV, written by the one output formatter.
EXPORT_FORMATS = {"jsonl": Format.JSON, "csv": Format.CSV}
EXPORT_LAYOUT = Layout(EXPORT_FIELDS)


def export_reports(reports: Iterable[ReportView], form: Format, out: TextIO) -> int:
    """Write every report with its text; the number written."""
    return write_rows((report_record(report) for report in reports), EXPORT_LAYOUT, form, out)
