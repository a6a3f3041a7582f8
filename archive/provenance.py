"""Where a report came from: every sighting of it and every capture of those URLs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Capture, Report, Sighting


@dataclass(frozen=True)
class SightingView:
    url: str
    match: str
    similarity: float | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    page_title: str | None
    page_published_at: dt.date | None
    page_publisher: str | None


@dataclass(frozen=True)
class CaptureView:
    url: str
    fetched_at: dt.datetime
    status: int
    digest: str
    warc_file: str | None
    warc_record_id: str | None
    warc_offset: int | None


@dataclass(frozen=True)
class Provenance:
    report_id: int
    content_key: str
    previous_version_id: int | None
    sightings: tuple[SightingView, ...]
    captures: tuple[CaptureView, ...]


def _sighting_view(sighting: Sighting) -> SightingView:
    return SightingView(
        url=sighting.url,
        match=sighting.match,
        similarity=sighting.similarity,
        first_seen=sighting.first_seen,
        last_seen=sighting.last_seen,
        page_title=sighting.page_title,
        page_published_at=sighting.page_published_at,
        page_publisher=sighting.page_publisher,
    )


def _capture_view(capture: Capture) -> CaptureView:
    return CaptureView(
        url=capture.url,
        fetched_at=capture.fetched_at,
        status=capture.status,
        digest=capture.digest,
        warc_file=capture.warc_file,
        warc_record_id=capture.warc_record_id,
        warc_offset=capture.warc_offset,
    )


def get_provenance(session: Session, report_id: int) -> Provenance | None:
    report = session.get(Report, report_id)
    if report is None:
        return None
    urls = [s.url for s in report.sightings]
    captures = session.scalars(
        select(Capture).where(Capture.url.in_(urls)).order_by(Capture.fetched_at, Capture.id)
    )
    return Provenance(
        report_id=report.id,
        content_key=report.content_key,
        previous_version_id=report.previous_version_id,
        sightings=tuple(_sighting_view(s) for s in report.sightings),
        captures=tuple(_capture_view(c) for c in captures),
    )
