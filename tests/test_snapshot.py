"""`nianbao snapshot`: a PostgreSQL (or SQLite) archive copied whole into a new SQLite file that
the query commands and `nianbao serve` read as they read a crawl's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from archive import snapshot as snapshot_module
from archive.db import open_archive
from archive.models import Attachment, Report, Sighting
from archive.query import search_reports
from archive.snapshot import snapshot
from archive.store import store_report
from crawler.cli import main
from tests.test_archive import TEXT_2022, TEXT_2023, record


def _fill(url: str) -> None:
    engine = open_archive(url)
    with Session(engine) as session, session.begin():
        store_report(session, record("http://www.anzhou.gov.cn/a.html"))
        # A second sighting of the same report, and a correction: a new version of it.
        store_report(session, record("http://www.mianyang.gov.cn/b.html"))
        corrected = TEXT_2022.replace("行政复议", "行政复议和行政应诉", 1)
        store_report(session, record("http://www.anzhou.gov.cn/a.html", text=corrected))
        session.add(
            Attachment(
                page_url="http://www.anzhou.gov.cn/a.html",
                url="http://www.anzhou.gov.cn/a.pdf",
                size=3,
                digest="sha256:x",
                text="附件",
            )
        )
    engine.dispose()


def _summary(url: str) -> tuple[int, int, int, list[int]]:
    engine = open_archive(url)
    with Session(engine) as session:
        summary = (
            session.scalar(select(func.count()).select_from(Report)) or 0,
            session.scalar(select(func.count()).select_from(Sighting)) or 0,
            session.scalar(select(func.count()).select_from(Attachment)) or 0,
            sorted(hit.report.id for hit in search_reports(session, "复议 -委员会").hits),
        )
    engine.dispose()
    return summary


@pytest.fixture(params=["postgresql", "sqlite"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'source.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


def test_a_snapshot_holds_the_same_reports_and_answers_the_same_searches(
    archive_url: str, tmp_path: Path
) -> None:
    _fill(archive_url)
    target = tmp_path / "snapshot.sqlite"
    counts = snapshot(open_archive(archive_url), target)
    assert counts["reports"] == 2 and counts["sightings"] == 3
    reports, sightings, attachments, hits = _summary(f"sqlite:///{target}")
    assert (reports, sightings, attachments, hits) == _summary(archive_url)
    assert len(hits) == 2
    assert [p.name for p in tmp_path.iterdir() if "snapshot.sqlite" in p.name] == [
        "snapshot.sqlite"
    ]


def test_a_snapshot_is_the_archive_as_it_was_when_the_copy_began(
    archive_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crawl stores a report while the copy runs, after the reports table was copied and
    before its sightings: the copy holds neither, and no sighting points at a missing report."""
    _fill(archive_url)
    copy_table = snapshot_module._copy_table

    def copy_while_a_crawl_writes(reading: Connection, writing: Connection, name: str) -> int:
        copied = copy_table(reading, writing, name)
        if name == "reports":
            crawl = open_archive(archive_url)
            with Session(crawl) as session, session.begin():
                url = "http://www.kmdc.gov.cn/c.html"
                store_report(session, record(url, text=TEXT_2023, year=2023))
            crawl.dispose()
        return copied

    monkeypatch.setattr(snapshot_module, "_copy_table", copy_while_a_crawl_writes)
    target = tmp_path / "snapshot.sqlite"
    counts = snapshot(open_archive(archive_url), target)
    assert (counts["reports"], counts["sightings"]) == (2, 3)
    assert _summary(f"sqlite:///{target}")[:2] == (2, 3)
    assert _summary(archive_url)[:2] == (3, 4)


def test_the_command_refuses_an_existing_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "archive.sqlite"
    _fill(f"sqlite:///{source}")
    target = tmp_path / "copy.sqlite"
    assert main(["--db", str(source), "snapshot", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "2 reports" in out
    assert "nianbao snapshot: reports: 2 rows" in err.splitlines()
    assert main(["--db", str(source), "snapshot", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists" in err


def test_a_failed_snapshot_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    _fill(source)

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("archive.snapshot.index_reports", broken)
    with pytest.raises(OSError):
        snapshot(open_archive(source), tmp_path / "copy.sqlite")
    assert [p.name for p in tmp_path.iterdir() if "copy.sqlite" in p.name] == []
