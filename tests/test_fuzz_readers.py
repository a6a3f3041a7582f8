"""Fuzz test of the page and attachment readers (hypothesis): arbitrary bytes and mangled real
pages and files give a result or the typed failure, never another exception, and stay within
the per-document limits (each example runs in the parsing pool, whose limits would show as
ParsingFailure). HYPOTHESIS_PROFILE=thorough runs many more examples."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction.attachments import AttachmentText, UnreadableAttachment
from crawler.extraction.page import ExtractedPage
from crawler.worker_pool import ParsingPool, PoolLimits
from tests.fixtures.attachments.documents import build_docx, build_ofd, build_text_pdf
from tests.fixtures.hostile import MB

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = [path.read_bytes() for path in sorted((FIXTURES / "corpus" / "pages").glob("*.html"))]
REPORT = ["一、2023年法治政府建设主要举措和成效", "2023年，我区深入推进法治政府建设。" * 8]
FILES = {
    "docx": [build_docx(REPORT)],
    "ofd": [build_ofd(REPORT)],
    "pdf": [build_text_pdf(REPORT)],
    "doc": [path.read_bytes() for path in sorted((FIXTURES / "attachments").glob("*.doc"))],
}
LIMITS = PoolLimits(
    workers=2,
    timeout_seconds=30,
    ocr_timeout_seconds=30,
    memory_bytes=512 * MB,
    ocr_memory_bytes=512 * MB,
    max_html_bytes=10 * MB,
)

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsingPool]:
    pool = ParsingPool(LIMITS)
    yield pool
    pool.close()


@st.composite
def mangled(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """A real document with a few bytes flipped, inserted, deleted, repeated, or its end cut."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        match draw(st.sampled_from(["flip", "insert", "delete", "repeat", "cut"])):
            case "flip" if at < len(data):
                data[at] ^= draw(st.integers(1, 255))
            case "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=64))
            case "delete":
                del data[at : at + draw(st.integers(1, 512))]
            case "repeat":
                data[at:at] = data[at : at + draw(st.integers(1, 4096))]
            case "cut":
                del data[at:]
    return bytes(data)


def extract(pool: ParsingPool, body: bytes) -> ExtractedPage:
    return asyncio.run(
        pool.extract_page(
            body, "http://www.x.gov.cn/a.html", declared_charset=None, last_modified=None
        )
    )


def read(pool: ParsingPool, body: bytes, kind: str) -> AttachmentText | None:
    try:
        return asyncio.run(pool.read_attachment(body, kind, 0))
    except UnreadableAttachment:
        return None


@given(body=st.binary(max_size=4096))
def test_page_reader_takes_any_bytes(pool: ParsingPool, body: bytes) -> None:
    assert isinstance(extract(pool, body), ExtractedPage)


@given(body=mangled(PAGES))
def test_page_reader_takes_mangled_real_pages(pool: ParsingPool, body: bytes) -> None:
    assert isinstance(extract(pool, body), ExtractedPage)


@given(kind=st.sampled_from(sorted(FILES)), body=st.binary(max_size=4096))
def test_attachment_readers_take_any_bytes(pool: ParsingPool, kind: str, body: bytes) -> None:
    result = read(pool, body, kind)
    assert result is None or result.kind == kind


@given(data=st.data(), kind=st.sampled_from(sorted(FILES)))
def test_attachment_readers_take_mangled_real_files(
    pool: ParsingPool, data: st.DataObject, kind: str
) -> None:
    result = read(pool, data.draw(mangled(FILES[kind])), kind)
    assert result is None or result.kind == kind
