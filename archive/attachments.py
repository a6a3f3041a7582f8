"""Write and read attachment rows: files linked from report pages, with their extracted text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Attachment, utcnow


@dataclass(frozen=True)
class AttachmentRecord:
    """One fetched file; text is empty for corrupt or unreadable files and scans."""

    page_url: str
    url: str
    content_type: str | None
    size: int
    digest: str
    text: str
    needs_ocr: bool
    ocr_confidence: float | None = None  # mean line score when the text was recognised


def store_attachment(session: Session, record: AttachmentRecord) -> Attachment:
    """Insert the file's row, or refresh it when the same page links the same file again."""
    row = session.scalar(
        select(Attachment).where(
            Attachment.page_url == record.page_url, Attachment.url == record.url
        )
    )
    if row is None:
        row = Attachment(page_url=record.page_url, url=record.url)
        session.add(row)
    row.content_type = record.content_type
    row.size = record.size
    row.digest = record.digest
    row.text = record.text
    row.needs_ocr = record.needs_ocr
    row.ocr_confidence = record.ocr_confidence
    row.fetched_at = utcnow()
    session.flush()
    return row


def attachments_of(session: Session, page_url: str) -> list[Attachment]:
    """The files linked from one page, in the order they were stored."""
    query = select(Attachment).where(Attachment.page_url == page_url).order_by(Attachment.id)
    return list(session.scalars(query))
