"""The capture writer: responses kept off the reactor, a batch at a time, each WARC record on
disk before the row that points at it, and every response told its own outcome."""

from __future__ import annotations

import asyncio
import errno
import threading
from collections.abc import Callable
from pathlib import Path

from scrapy.http import Request, Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.models import Capture
from archive.store import CaptureRecord
from crawler.archive_context import ArchiveContext
from crawler.captures import CaptureNotKept, CaptureWriter
from crawler.warc import WarcFiles
from tests.test_archive_context import A, open_context

URLS = [f"{A.homepage}page{n}.html" for n in range(20)]


async def keep_all(writer: CaptureWriter, urls: list[str]) -> list[CaptureRecord | BaseException]:
    responses = [Response(url, body=f"<p>{url}</p>".encode()) for url in urls]
    return await asyncio.gather(
        *(writer.keep(Request(r.url), r) for r in responses), return_exceptions=True
    )


def noting(calls: list[str], label: str, method: Callable[..., None]) -> Callable[..., None]:
    """`method`, noting `label` in `calls` before each call."""

    def noted(*args: object) -> None:
        calls.append(label)
        method(*args)

    return noted


def first_batch_held(context: ArchiveContext) -> tuple[threading.Event, list[int]]:
    """Holds the writer's first transaction until the event is set, so that every other
    response queues behind it; records the size of every batch stored."""
    release, sizes = threading.Event(), list[int]()
    store = context.record_captures

    def held(captures: list[CaptureRecord]) -> None:
        if not sizes:
            release.wait(10)
        sizes.append(len(captures))
        store(captures)

    context.record_captures = held  # type: ignore[method-assign]
    return release, sizes


def test_waiting_responses_are_kept_in_one_batch_each_pointing_at_its_record(
    sqlite_url: str, engine: Engine, tmp_path: Path
) -> None:
    context = open_context(sqlite_url, (A,))
    release, sizes = first_batch_held(context)
    writer = CaptureWriter(context, WarcFiles(tmp_path / "warc", max_bytes=10**9))

    async def crawl() -> list[CaptureRecord | BaseException]:
        first = asyncio.ensure_future(keep_all(writer, URLS[:1]))
        await asyncio.sleep(0.2)  # the first batch is taken (and held) before the rest arrive
        rest = asyncio.ensure_future(keep_all(writer, URLS[1:]))
        await asyncio.sleep(0.2)
        release.set()
        return [*await first, *await rest]

    kept = asyncio.run(crawl())
    writer.close()
    assert sizes == [1, len(URLS) - 1]
    assert context.captures == len(URLS)
    with Session(engine) as session:
        rows = session.scalars(select(Capture).order_by(Capture.id)).all()
    assert [row.url for row in rows] == URLS
    for row, capture in zip(rows, kept, strict=True):
        assert isinstance(capture, CaptureRecord) and row.digest == capture.digest
        assert row.warc_file is not None and row.warc_offset is not None
        with open(tmp_path / "warc" / row.warc_file, "rb") as warc:
            warc.seek(row.warc_offset)
            record = next(iter(ArchiveIterator(warc)))
            assert record.rec_headers.get_header("WARC-Target-URI") == row.url
            assert record.content_stream().read() == f"<p>{row.url}</p>".encode()


def test_records_reach_the_disk_before_their_rows_are_committed(
    sqlite_url: str, tmp_path: Path
) -> None:
    context = open_context(sqlite_url, (A,))
    files = WarcFiles(tmp_path / "warc", max_bytes=10**9)
    steps: list[str] = []
    files.sync = noting(steps, "sync", files.sync)  # type: ignore[method-assign]
    context.record_captures = noting(steps, "rows", context.record_captures)  # type: ignore[method-assign]
    writer = CaptureWriter(context, files)
    asyncio.run(keep_all(writer, URLS[:3]))
    writer.close()
    assert steps and all(steps[i : i + 2] == ["sync", "rows"] for i in range(0, len(steps), 2))


def test_a_failed_sync_fails_every_response_of_the_batch_and_stores_no_row(
    sqlite_url: str, engine: Engine, tmp_path: Path
) -> None:
    context = open_context(sqlite_url, (A,))
    files = WarcFiles(tmp_path / "warc", max_bytes=10**9)

    def disk_full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    files.sync = disk_full  # type: ignore[method-assign]
    writer = CaptureWriter(context, files)
    outcomes = asyncio.run(keep_all(writer, URLS[:5]))
    writer.close()
    assert all(isinstance(o, CaptureNotKept) and o.part == "WARC record" for o in outcomes)
    assert str(outcomes[0]).startswith("disk full or unwritable: OSError")
    with Session(engine) as session:
        assert session.scalars(select(Capture)).all() == []


def test_an_unexpected_error_on_the_thread_fails_the_responses_instead_of_hanging_them(
    sqlite_url: str,
) -> None:
    context = open_context(sqlite_url, (A,))

    def broken(captures: list[CaptureRecord]) -> None:
        raise ValueError("a bug")

    context.record_captures = broken  # type: ignore[method-assign]
    writer = CaptureWriter(context, None)
    outcomes = asyncio.run(asyncio.wait_for(keep_all(writer, URLS[:3]), 10))
    assert all(isinstance(o, ValueError) for o in outcomes)
    # The thread goes on: the next response is kept.
    context.record_captures = ArchiveContext.record_captures.__get__(context)  # type: ignore[method-assign]
    assert isinstance(asyncio.run(keep_all(writer, URLS[3:4]))[0], CaptureRecord)
    writer.close()


def test_a_response_cancelled_while_waiting_is_left_out_and_the_others_kept(
    sqlite_url: str, engine: Engine
) -> None:
    context = open_context(sqlite_url, (A,))
    release, sizes = first_batch_held(context)
    writer = CaptureWriter(context, None)

    async def crawl() -> list[CaptureRecord | BaseException]:
        first = asyncio.ensure_future(keep_all(writer, URLS[:1]))
        await asyncio.sleep(0.2)
        waiting = [
            asyncio.ensure_future(writer.keep(Request(url), Response(url))) for url in URLS[1:4]
        ]
        await asyncio.sleep(0.1)
        waiting[1].cancel()
        release.set()
        return [*await first, *await asyncio.gather(*waiting, return_exceptions=True)]

    outcomes = asyncio.run(crawl())
    writer.close()
    assert isinstance(outcomes[2], asyncio.CancelledError)
    assert all(isinstance(o, CaptureRecord) for i, o in enumerate(outcomes) if i != 2)
    assert sizes == [1, 2]
    with Session(engine) as session:
        stored = session.scalars(select(Capture.url).order_by(Capture.id)).all()
    assert stored == [URLS[0], URLS[1], URLS[3]]


def test_close_keeps_what_is_waiting(sqlite_url: str, engine: Engine) -> None:
    context = open_context(sqlite_url, (A,))
    release, _ = first_batch_held(context)
    writer = CaptureWriter(context, None)

    async def crawl() -> None:
        pending = asyncio.ensure_future(keep_all(writer, URLS[:5]))
        await asyncio.sleep(0.2)
        closing = threading.Thread(target=writer.close)
        closing.start()
        release.set()
        closing.join(10)
        assert not closing.is_alive()
        pending.cancel()

    asyncio.run(crawl())
    with Session(engine) as session:
        assert len(session.scalars(select(Capture)).all()) == 5


def test_a_full_warc_file_is_synced_before_the_next_is_started(
    sqlite_url: str, tmp_path: Path
) -> None:
    context = open_context(sqlite_url, (A,))
    files = WarcFiles(tmp_path / "warc", max_bytes=1)  # a file a record
    synced: list[str] = []
    sync = files.sync

    def noted_sync() -> None:
        synced.append(files.name)
        sync()

    files.sync = noted_sync  # type: ignore[method-assign]
    writer = CaptureWriter(context, files)
    asyncio.run(keep_all(writer, URLS[:3]))
    writer.close()
    # Every file but the last is synced when the next is opened; the last after its batch.
    names = {path.name for path in (tmp_path / "warc").iterdir()}
    assert len(names) == 3 and names <= set(synced)
