"""Two writers storing one report, or near duplicates of it, at the same moment on
PostgreSQL end with one report and two sightings (archive/store_locks.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive import store
from archive.db import open_archive
from archive.models import Report, Sighting
from archive.store import ReportRecord, store_report
from tests.portal.fixtures import anzhou_2022_body

# How long a writer that has looked for the report waits for the other to have looked too.
# With the locks the other cannot get there before this one commits, so the wait runs out.
MEETING_TIMEOUT = 3.0


def _record(url: str, text: str) -> ReportRecord:
    return ReportRecord(
        url=url,
        host="www.anzhou.gov.cn",
        title="绵阳市安州区人民政府2022年法治政府建设年度报告",
        text=text,
        report_year=2022,
        published_at=dt.date(2023, 1, 30),
        written_at=None,
        publisher=None,
        issuer="绵阳市安州区人民政府",
        host_site=None,
    )


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    engine = open_archive(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def writers_meet_after_looking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each writer, once it has looked for the report, until the other has looked too:
    without a lock between them, both find nothing and both create the report."""
    barrier = threading.Barrier(2)
    look: Callable[..., Any] = store._match

    def look_then_meet(*args: Any, **kwargs: Any) -> Any:
        found = look(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(MEETING_TIMEOUT)
        return found

    monkeypatch.setattr(store, "_match", look_then_meet)


def _race(engine: Engine, records: list[ReportRecord]) -> None:
    start = threading.Barrier(len(records))
    errors: list[BaseException] = []

    def write(record: ReportRecord) -> None:
        try:
            start.wait()
            with Session(engine) as session, session.begin():
                store_report(session, record)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
        sightings = session.scalar(select(func.count()).select_from(Sighting)) or 0
    return reports, sightings


@pytest.mark.usefixtures("writers_meet_after_looking")
def test_two_writers_of_one_report_store_it_once(pg_engine: Engine) -> None:
    text = "\n".join(anzhou_2022_body())
    _race(
        pg_engine,
        [
            _record("http://www.anzhou.gov.cn/zwgk/t20230130_10052.html", text),
            _record("http://www.my.gov.cn/zwdt/qxdt/content_2301015.html", text),
        ],
    )
    assert _counts(pg_engine) == (1, 2)


@pytest.mark.usefixtures("writers_meet_after_looking")
def test_two_writers_of_near_duplicates_store_one_report(pg_engine: Engine) -> None:
    body = anzhou_2022_body()
    # A repost that dropped the signature lines: another content key, the same report.
    _race(
        pg_engine,
        [
            _record("http://www.anzhou.gov.cn/zwgk/t20230130_10052.html", "\n".join(body)),
            _record("http://www.my.gov.cn/zwdt/qxdt/content_2301015.html", "\n".join(body[:-2])),
        ],
    )
    assert _counts(pg_engine) == (1, 2)
