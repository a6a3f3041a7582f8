"""Reading raw captures back from the crawl's WARC files, to re-extract or verify a text."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


class CaptureNotFound(LookupError):
    """The WARC file has no response record at the offset a capture row points to."""


def read_capture_body(warc_dir: Path, warc_file: str, offset: int, record_id: str) -> bytes:
    """The response body of one capture, decoded from its transfer and content encodings
    exactly as the crawler's Scrapy response had it."""
    with open(warc_dir / warc_file, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") != record_id:
                break
            body: bytes = record.content_stream().read()
            return body
    raise CaptureNotFound(f"{record_id} not at {warc_file}:{offset}")
