"""The parsing pool: a document past its time or memory, or whose worker dies, becomes a
typed failure; the pool goes on, and other documents are parsed meanwhile."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time
from collections.abc import Iterator

import pytest

from crawler.extraction.attachments import UnreadableAttachment
from crawler.worker_pool import ParsingFailure, ParsingPool, PoolLimits
from tests.fixtures.attachments.documents import build_docx
from tests.fixtures.hostile import MB, huge_page

LIMITS = PoolLimits(
    workers=2,
    timeout_seconds=2,
    ocr_timeout_seconds=2,
    memory_bytes=512 * MB,
    ocr_memory_bytes=512 * MB,
    max_html_bytes=1 * MB,
)
REPORT_LINE = "2023年，我区深入推进法治政府建设。"


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsingPool]:
    pool = ParsingPool(LIMITS)
    yield pool
    pool.close()


def sleep_for(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def allocate(size: int) -> int:
    return len(bytearray(size))


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_attachment_is_read_in_a_worker(pool: ParsingPool) -> None:
    result = asyncio.run(pool.read_attachment(build_docx([REPORT_LINE]), "docx", 0))
    assert result.text == REPORT_LINE


def test_reader_failures_come_back_typed(pool: ParsingPool) -> None:
    with pytest.raises(UnreadableAttachment):
        asyncio.run(pool.read_attachment(b"not a zip", "docx", 0))


def test_page_is_extracted_in_a_worker(pool: ParsingPool) -> None:
    body = f"<html><head><title>{REPORT_LINE}</title></head><body></body></html>".encode()
    page = asyncio.run(
        pool.extract_page(body, "http://x.gov.cn/a.html", declared_charset=None, last_modified=None)
    )
    assert page.title == REPORT_LINE


def test_page_past_the_html_cap_is_refused(pool: ParsingPool) -> None:
    body = huge_page("XX区2023年度法治政府建设情况报告", 2 * MB)
    with pytest.raises(ParsingFailure, match="past the 1048576-byte extraction cap"):
        asyncio.run(
            pool.extract_page(body, "http://x.gov.cn/", declared_charset=None, last_modified=None)
        )


def test_document_past_its_time_fails_and_the_pool_goes_on(pool: ParsingPool) -> None:
    with pytest.raises(ParsingFailure, match="took more than 2 s"):
        asyncio.run(pool.call(sleep_for, 3600))
    assert asyncio.run(pool.call(sleep_for, 0)) == 0


def test_document_past_the_memory_cap_fails(pool: ParsingPool) -> None:
    with pytest.raises(ParsingFailure, match="more than the worker's 512 MB"):
        asyncio.run(pool.call(allocate, 1024 * MB))


def test_dead_worker_is_a_failure_and_the_pool_goes_on(pool: ParsingPool) -> None:
    with pytest.raises(ParsingFailure, match="worker died"):
        asyncio.run(pool.call(kill_self))
    assert asyncio.run(pool.call(allocate, 10)) == 10


def test_other_documents_finish_while_one_hangs() -> None:
    patient = ParsingPool(dataclasses.replace(LIMITS, timeout_seconds=600))

    async def quick_ones_beside_a_hanging_one() -> list[float]:
        hanging = asyncio.ensure_future(patient.call(sleep_for, 3600))
        quick = [await patient.call(sleep_for, 0) for _ in range(5)]
        assert not hanging.done()
        hanging.cancel()  # the pool kills its worker
        return quick

    try:
        assert asyncio.run(quick_ones_beside_a_hanging_one()) == [0] * 5
    finally:
        patient.close()
