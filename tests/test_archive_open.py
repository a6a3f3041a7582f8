"""Opening the archive: migrations serialized across processes, read-only and foreign files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from archive.db import (
    ArchiveError,
    _alembic_config,
    is_up_to_date,
    open_archive,
    open_archive_for_reading,
)

RACERS = 6
# Each process imports first, then sleeps until a common moment, so the migrations overlap.
RACE = """
import sys, time
from archive.db import open_archive
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
open_archive(sys.argv[1]).dispose()
"""


def race_first_runs(url: str) -> list[subprocess.CompletedProcess[str]]:
    start = str(time.time() + 3)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, url, start], stderr=subprocess.PIPE, text=True
        )
        for _ in range(RACERS)
    ]
    return [
        subprocess.CompletedProcess(r.args, r.wait(), None, r.stderr.read() if r.stderr else "")
        for r in racers
    ]


def test_first_runs_racing_on_a_new_sqlite_file_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    for result in race_first_runs(url):
        assert result.returncode == 0, result.stderr
    assert is_up_to_date(open_archive(url))


def test_first_runs_racing_on_a_new_postgres_database_all_succeed(postgres_url: str) -> None:
    for result in race_first_runs(postgres_url):
        assert result.returncode == 0, result.stderr
    assert is_up_to_date(open_archive(postgres_url))


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "archive.sqlite"
    open_archive(f"sqlite:///{path}").dispose()
    return path


# Tests run as root, which ignores file modes: SQLite's own read-only opens really deny writes.
@pytest.mark.parametrize("query", ["mode=ro", "immutable=1"])
def test_read_only_archive_opens_and_refuses_writes(archive_file: Path, query: str) -> None:
    engine = open_archive_for_reading(f"sqlite:///{archive_file}?{query}")
    with engine.connect() as connection, pytest.raises(OperationalError, match="readonly"):
        connection.execute(text("INSERT INTO portals (name) VALUES ('x')"))


def test_read_only_archive_needing_migration_is_one_clear_error(archive_file: Path) -> None:
    engine = open_archive(f"sqlite:///{archive_file}")
    command.downgrade(_alembic_config(engine), "-1")
    with pytest.raises(ArchiveError, match="read-only and needs migrating"):
        open_archive_for_reading(f"sqlite:///{archive_file}?mode=ro")


def test_missing_archive_is_not_created_for_reading(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match=r"no archive at .*run `scrapy crawl reports` first"):
        open_archive_for_reading(str(tmp_path / "none.sqlite"))
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("opener", [open_archive, open_archive_for_reading])
def test_empty_file_does_not_become_an_archive(tmp_path: Path, opener: object) -> None:
    (tmp_path / "empty.sqlite").touch()
    with pytest.raises(ArchiveError, match="is not a nianbao archive: the file is empty"):
        opener(str(tmp_path / "empty.sqlite"))  # type: ignore[operator]
    assert (tmp_path / "empty.sqlite").stat().st_size == 0


def test_other_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (x)")
    with pytest.raises(ArchiveError, match="holds other tables"):
        open_archive(str(path))
