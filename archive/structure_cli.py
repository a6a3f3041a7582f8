"""The command-line face of report structure: the outline and four-part check in `show`, and
`nianbao diff` (the --complete/--incomplete filter is one of archive/filters.py)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from archive.db import reading_session
from archive.models import Report
from archive.query import ReportView, get_report
from archive.report_diff import ReportDiff, SectionDiff, diff_reports, render_diff
from archive.report_parts import PART_NAMES, PartsCheck
from archive.report_structure import stored_check, stored_outline


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    label: str
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class StructureView:
    outline: tuple[OutlineEntry, ...]
    parts: PartsCheck | None  # None: no text to judge


def structure_of(session: Session, report: ReportView) -> StructureView:
    """The outline and four-part check stored with the report."""
    outline = tuple(
        OutlineEntry(row.level, row.label, row.heading, row.char_start, row.char_end)
        for row in stored_outline(session, report.id)
    )
    return StructureView(outline, stored_check(session, report.id))


def print_structure(structure: StructureView) -> None:
    print("outline:" if structure.outline else "outline: no numbered headings")
    for entry in structure.outline:
        indent = "  " * entry.level
        print(f"{indent}{entry.label}{entry.heading}  [{entry.start}-{entry.end}]")
    if structure.parts is None:
        print("required parts: not judged (no text)")
        return
    found = sum(e.found for e in structure.parts.evidence)
    verdict = "complete" if structure.parts.complete else "incomplete"
    print(f"required parts: {found} of 4 ({verdict})")
    for evidence in structure.parts.evidence:
        name = PART_NAMES[evidence.part]
        if evidence.found:
            print(f"  found    {name}: {evidence.source} «{evidence.text}»")
        else:
            print(f"  missing  {name}")


def structure_record(structure: StructureView) -> dict[str, Any]:
    """The outline and parts for `show --json`."""
    parts = structure.parts
    return {
        "outline": [entry.__dict__ for entry in structure.outline],
        "complete": parts.complete if parts else None,
        "parts": {
            e.part.value: {
                "found": e.found,
                "source": e.source,
                "evidence": e.text or None,
                "start": e.start,
            }
            for e in parts.evidence
        }
        if parts
        else None,
    }


DIFF_DESCRIPTION = """What changed between two reports, section by section.

Sections are paired by heading (numbers and years aside), then by the required part they
hold, then by text. Each pair lists its sentences added (+), removed (-) and edited (~, as
[-removed-]{+added+} characters). With one id, the report is compared with the version it
replaced at the same URL."""


class _NoReport(Exception):
    """A line for the user: an id that names no report, or nothing to compare with."""


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        with reading_session(args.db) as session:
            old, new = _reports_to_compare(session, args.old, args.new)
    except _NoReport as error:
        print(f"nianbao diff: {error}", file=sys.stderr)
        return 1
    diff = diff_reports(old.text, new.text)
    if args.json:
        print(json.dumps(diff_record(old, new, diff), ensure_ascii=False, indent=2))
        return 0
    print(f"diff {old.id} → {new.id}: {diff.similarity:.0%} of sentences in common")
    for sign, report in (("-", old), ("+", new)):
        print(
            f"{sign} {report.id}  {report.title}  ({report.report_year or '?'}, "
            f"published {report.published_at or '-'})"
        )
    for line in render_diff(diff):
        print(line)
    return 0


def _reports_to_compare(
    session: Session, old_id: int, new_id: int | None
) -> tuple[ReportView, ReportView]:
    """The two reports named, or (one id) a report and the version it replaced."""
    if new_id is None:
        only = session.get(Report, old_id)
        if only is not None and only.previous_version_id is None:
            raise _NoReport(f"report {old_id} replaced no earlier version; give two ids")
        old_id, new_id = (only.previous_version_id or old_id, old_id) if only else (old_id, old_id)
    old, new = get_report(session, old_id), get_report(session, new_id)
    if old is None:
        raise _NoReport(f"no report with id {old_id}")
    if new is None:
        raise _NoReport(f"no report with id {new_id}")
    return old, new


def _report_summary(report: ReportView) -> dict[str, Any]:
    return {"id": report.id, "title": report.title, "report_year": report.report_year}


def diff_record(old: ReportView, new: ReportView, diff: ReportDiff) -> dict[str, Any]:
    return {
        "old": _report_summary(old),
        "new": _report_summary(new),
        "similarity": round(diff.similarity, 4),
        "sections": [_section_record(section) for section in diff.sections],
    }


def _section_record(diff: SectionDiff) -> dict[str, Any]:
    return {
        "status": diff.status.value,
        "old": diff.old.__dict__ if diff.old else None,
        "new": diff.new.__dict__ if diff.new else None,
        "changes": [
            {
                "status": change.status.value,
                "old": change.old or None,
                "new": change.new or None,
                "diff": [list(piece) for piece in change.pieces] or None,
            }
            for change in diff.changes
        ],
        "children": [_section_record(child) for child in diff.children],
    }
