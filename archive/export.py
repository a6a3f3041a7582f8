"""Corpus exports: one report per JSON line or CSV row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

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
        "urls": list(report.urls),
        "text": report.text,
    }


def write_jsonl(reports: Iterable[ReportView], out: TextIO) -> int:
    count = 0
    for report in reports:
        out.write(json.dumps(report_record(report), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(reports: Iterable[ReportView], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    count = 0
    for report in reports:
        row = report_record(report)
        row["urls"] = " ".join(row["urls"])  # one cell; URLs contain no spaces
        writer.writerow(row)
        count += 1
    return count


EXPORTERS = {"jsonl": write_jsonl, "csv": write_csv}
