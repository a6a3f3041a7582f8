"""A report's structure in the archive: its outline rows and its four-part check, written
whenever a report is stored (and by migration 0009 for reports stored before)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from archive.models import Report, ReportSection
from archive.report_parts import PartsCheck, check_parts
from archive.sections import Section, outline, walk

HEADING_MAX_CHARS = 200  # the column's width; headings are cut well before (sections.py)


@dataclass(frozen=True)
class Structure:
    """What the archive keeps of a text's structure; parts is None for a text too empty to
    judge (a scan awaiting OCR)."""

    sections: tuple[Section, ...]
    parts: PartsCheck | None

    @property
    def parts_found(self) -> int | None:
        return self.parts.mask if self.parts else None

    @property
    def parts_complete(self) -> bool | None:
        return self.parts.complete if self.parts else None


def read_structure(text: str, report_year: int | None) -> Structure:
    if not text.strip():
        return Structure((), None)
    sections = outline(text)
    return Structure(sections, check_parts(text, sections, report_year))


def section_rows(report_id: int, sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    """The report_sections rows of an outline, in text order."""
    return [
        {
            "report_id": report_id,
            "position": position,
            "level": section.level,
            "number": section.number,
            "label": section.label,
            "heading": section.heading[:HEADING_MAX_CHARS],
            "char_start": section.start,
            "heading_end": section.heading_end,
            "char_end": section.end,
        }
        for position, section in enumerate(walk(sections))
    ]


def record_structure(session: Session, report: Report) -> None:
    """(Re)write a stored report's outline and parts from its text and covered year."""
    structure = read_structure(report.text, report.report_year)
    report.parts_found = structure.parts_found
    report.parts_complete = structure.parts_complete
    session.execute(delete(ReportSection).where(ReportSection.report_id == report.id))
    session.add_all(ReportSection(**row) for row in section_rows(report.id, structure.sections))


def stored_outline(session: Session, report_id: int) -> list[ReportSection]:
    return list(
        session.scalars(
            select(ReportSection)
            .where(ReportSection.report_id == report_id)
            .order_by(ReportSection.position)
        )
    )


def completeness_clause(complete: bool) -> ColumnElement[bool]:
    """Reports with all four required parts, or (False) those missing one; reports without
    text to judge are neither."""
    return Report.parts_complete == complete  # NULL compares to neither
