"""A report's structure in the archive: its outline rows and its four-part check, written
whenever a report is stored (and by migration 0009 for reports stored before)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.models import Report, ReportPart, ReportSection
from archive.report_parts import EvidenceSource, PartEvidence, PartsCheck, check_parts
from archive.sections import Section, outline, walk
from archive.vocabulary import RequiredPart

HEADING_MAX_CHARS = 200  # the column's width; headings are cut well before (sections.py)
EVIDENCE_MAX_CHARS = 200  # likewise; evidence is cut well before (report_parts.py)


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


def part_rows(report_id: int, parts: PartsCheck | None) -> list[dict[str, Any]]:
    """The report_parts rows of a four-part check: one per part, found or not."""
    return [
        {
            "report_id": report_id,
            "part": evidence.part.value,
            "found": evidence.found,
            "source": evidence.source.value if evidence.source else None,
            "evidence": evidence.text[:EVIDENCE_MAX_CHARS] or None,
            "char_start": evidence.start,
        }
        for evidence in (parts.evidence if parts else ())
    ]


def record_structure(session: Session, report: Report) -> None:
    """(Re)write a stored report's outline and parts from its text and covered year."""
    structure = read_structure(report.text, report.report_year)
    report.parts_found = structure.parts_found
    report.parts_complete = structure.parts_complete
    session.execute(delete(ReportSection).where(ReportSection.report_id == report.id))
    session.execute(delete(ReportPart).where(ReportPart.report_id == report.id))
    session.add_all(ReportSection(**row) for row in section_rows(report.id, structure.sections))
    session.add_all(ReportPart(**row) for row in part_rows(report.id, structure.parts))


def stored_check(session: Session, report_id: int) -> PartsCheck | None:
    """The four-part check as made when the report was stored, in the rule's order; None
    when the report had no text to judge."""
    rows = {
        row.part: row
        for row in session.scalars(select(ReportPart).where(ReportPart.report_id == report_id))
    }
    if not rows:
        return None
    return PartsCheck(
        tuple(_evidence(part, rows[part.value]) for part in RequiredPart if part.value in rows)
    )


def _evidence(part: RequiredPart, row: ReportPart) -> PartEvidence:
    source = EvidenceSource(row.source) if row.source is not None else None
    return PartEvidence(part, source, row.evidence or "", row.char_start)


def stored_outline(session: Session, report_id: int) -> list[ReportSection]:
    return list(
        session.scalars(
            select(ReportSection)
            .where(ReportSection.report_id == report_id)
            .order_by(ReportSection.position)
        )
    )
