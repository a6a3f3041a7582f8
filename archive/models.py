"""The archive's tables: portals, reports, sightings, captures, attachments, runs, health,
visits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from archive.issuer import parse_issuer
from archive.vocabulary import IssuerKind, Match, TextSource

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Portal(Base):
    """A government website from the registry."""

    __tablename__ = "portals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    homepage: Mapped[str] = mapped_column(String(500), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    level: Mapped[str] = mapped_column(String(20))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    # The place whose government runs the portal (安州区 for 四川省绵阳市安州区), read from its
    # name; None for a department's site. A report seen only on sites without a division code
    # is placed by its issuer through this (archive.filters).
    government_place: Mapped[str | None] = mapped_column(String(100))

    @validates("name")
    def _read_government_place(self, key: str, value: str) -> str:
        body = parse_issuer(value)
        is_government = body is not None and body.kind != IssuerKind.DEPARTMENT
        self.government_place = body.place if body is not None and is_government else None
        return value


class Report(Base):
    """One canonical report, however many pages show it."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    report_year: Mapped[int | None] = mapped_column(Integer, index=True)
    published_at: Mapped[dt.date | None] = mapped_column(Date, index=True)
    written_at: Mapped[dt.date | None] = mapped_column(Date)
    publisher: Mapped[str | None] = mapped_column(String(200), index=True)
    issuer: Mapped[str | None] = mapped_column(String(200))
    # The issuer's parts (archive.issuer), read from the issuer, else the title, whenever
    # either is set: place 安州区, kind (an IssuerKind), department 司法局 or None.
    issuer_place: Mapped[str | None] = mapped_column(String(100))
    issuer_kind: Mapped[str | None] = mapped_column(String(20))
    issuer_department: Mapped[str | None] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(255))
    host_site: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # A TextSource: where the body text came from.
    text_source: Mapped[str] = mapped_column(
        String(20), default=TextSource.PAGE.value, server_default=TextSource.PAGE.value
    )
    # The report is only a scan: archived, but its text needs OCR.
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The report whose text this one replaced at the same URL (the old version stays).
    # No foreign key: SQLite can add a plain column without rebuilding the table (and its
    # full-text triggers).
    previous_version_id: Mapped[int | None] = mapped_column(Integer)
    # MinHash signature of the normalized text, for near-duplicate detection.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # The required parts found in the text (archive.report_parts: a RequiredPart bitmask) and
    # whether all four are there; None when there is no text to judge (a scan awaiting OCR).
    parts_found: Mapped[int | None] = mapped_column(SmallInteger)
    parts_complete: Mapped[bool | None] = mapped_column(Boolean, index=True)

    sightings: Mapped[list[Sighting]] = relationship(
        back_populates="report", order_by="Sighting.id"
    )

    @validates("issuer", "title")
    def _structure_issuer(self, key: str, value: str | None) -> str | None:
        """Keep the issuer's parts in step with the issuer, or with the title while no issuer
        is known (the title's head names the issuer: 兰州市司法局关于…)."""
        name: str | None
        if key == "issuer":
            name = value or self.title
        elif self.issuer is None:
            name = value
        else:
            return value
        issuer = parse_issuer(name)
        self.issuer_place = issuer.place if issuer else None
        self.issuer_kind = issuer.kind.value if issuer else None
        self.issuer_department = issuer.department if issuer else None
        return value


class Sighting(Base):
    """A URL where a report was seen, with what that page showed."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("report_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    url: Mapped[str] = mapped_column(String(1000), index=True)
    portal_id: Mapped[int | None] = mapped_column(ForeignKey("portals.id"))
    page_title: Mapped[str | None] = mapped_column(String(500))
    page_published_at: Mapped[dt.date | None] = mapped_column(Date)
    page_publisher: Mapped[str | None] = mapped_column(String(200))
    # Every date candidate the page showed, with its source (JSON list), so conflicts stay visible.
    page_dates: Mapped[str | None] = mapped_column(Text)
    # How the page matched its report: a Match, new, exact or near (with the similarity).
    match: Mapped[str] = mapped_column(
        String(10), default=Match.NEW.value, server_default=Match.NEW.value
    )
    similarity: Mapped[float | None] = mapped_column(Float)
    # Content key of the text this page showed (differs from the report's on a near match):
    # how a re-fetch tells "same page again" from "the text at this URL changed".
    page_content_key: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="sightings")


class CrawlRun(Base):
    """One `scrapy crawl reports` run and what it did."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finish_reason: Mapped[str | None] = mapped_column(String(100))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    reports_new: Mapped[int] = mapped_column(Integer, default=0)
    sightings_new: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class Capture(Base):
    """Every fetch of every URL: what the server answered."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String(1000), index=True)
    status: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    content_type: Mapped[str | None] = mapped_column(String(200))
    charset: Mapped[str | None] = mapped_column(String(40))
    # How extraction chose the charset (bom, header, meta, detected…); False marks a guess.
    charset_source: Mapped[str | None] = mapped_column(String(20))
    charset_confident: Mapped[bool | None] = mapped_column(Boolean)
    size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(71))  # "sha256:" + hex
    # Validators for the next conditional GET of the same URL.
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # Where the raw bytes are kept: WARC file (relative to the WARC folder), record id, offset.
    warc_file: Mapped[str | None] = mapped_column(String(300))
    warc_record_id: Mapped[str | None] = mapped_column(String(100))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)


class Failure(Base):
    """Something that went wrong for one URL at one stage; the crawl went on."""

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    stage: Mapped[str] = mapped_column(String(40))  # a Stage
    message: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # For a file that failed (stage attachment): the report page that links it.
    page_url: Mapped[str | None] = mapped_column(String(1000))


class Attachment(Base):
    """A PDF/DOC(X)/WPS/OFD file linked from a report page, with its extracted text."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("page_url", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_url: Mapped[str] = mapped_column(String(1000), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    content_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(71))
    text: Mapped[str] = mapped_column(Text, default="")
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    # Mean recognition score (0-1) when the text was read by OCR from page images.
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NearDuplicateBand(Base):
    """One LSH band bucket of a report's MinHash: reports sharing a bucket are candidates."""

    __tablename__ = "near_duplicate_bands"
    __table_args__ = (Index("ix_near_duplicate_bands_bucket", "band", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    band: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[str] = mapped_column(String(40))


class PortalHealth(Base):
    """What one crawl run did on one portal, and what looked wrong."""

    __tablename__ = "portal_health"
    __table_args__ = (UniqueConstraint("crawl_run_id", "portal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id"), index=True)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    reports_found: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[str] = mapped_column(Text, default="")  # one warning per line
    # The recall safety net: why it explored the portal ("" when it did not), the pages it
    # spent, the report URLs it found and the column pages it tried (one URL per line).
    safety_net: Mapped[str] = mapped_column(String(300), default="", server_default="")
    safety_net_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    safety_net_found: Mapped[str] = mapped_column(Text, default="", server_default="")
    safety_net_tried: Mapped[str] = mapped_column(Text, default="", server_default="")


class ReportSection(Base):
    """One numbered section of a report's text (archive.sections), in text order: its level
    in the outline, its number and heading, and the characters it spans."""

    __tablename__ = "report_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 0, 1, … in text order
    level: Mapped[int] = mapped_column(SmallInteger)  # 1 for the outermost
    number: Mapped[int] = mapped_column(SmallInteger)
    label: Mapped[str] = mapped_column(String(20))  # the number as written: 一、 （一） 1.
    heading: Mapped[str] = mapped_column(String(200))
    char_start: Mapped[int] = mapped_column(Integer)
    heading_end: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)


class ReportPart(Base):
    """One of the four required parts (archive.report_parts) for one report: found or not,
    and the heading or sentence that shows it."""

    __tablename__ = "report_parts"
    __table_args__ = (UniqueConstraint("report_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    part: Mapped[str] = mapped_column(String(20))  # a RequiredPart
    found: Mapped[bool] = mapped_column(Boolean)
    # An EvidenceSource (heading, sections, sentence) and its text; None when not found.
    source: Mapped[str | None] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(String(200))
    char_start: Mapped[int | None] = mapped_column(Integer)


class PortalVisit(Base):
    """How far one crawl run got on one portal (a VisitOutcome), and when it completed it."""

    __tablename__ = "portal_visits"
    __table_args__ = (UniqueConstraint("crawl_run_id", "portal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    # When the last request the run discovered on the portal was done; None unless completed.
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
