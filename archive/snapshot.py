"""`nianbao snapshot FILE`: the whole archive copied into a new SQLite file, for `nianbao serve`
(Datasette reads SQLite only) over a PostgreSQL archive, or to hand someone a copy of a live
archive. Every table is copied in the order its foreign keys need, a batch of rows at a time;
the search index is built anew, SQLite's own, from the copied reports. The copy is written
next to FILE and renamed into place once complete: a failed snapshot leaves nothing behind."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, select

from archive.db import open_archive, open_archive_for_reading
from archive.models import Base, Report
from archive.search_index import index_reports

if TYPE_CHECKING:
    from archive.cli import Commands

# Rows read and written at a time: bounds the memory a big archive's copy holds.
BATCH = 2_000


def snapshot(
    source: Engine, target: Path, on_table: Callable[[str, int], None] = lambda _t, _n: None
) -> dict[str, int]:
    """Copy the archive of `source` into the new SQLite file `target`; rows copied by table.
    `on_table(name, rows)` hears of each table once copied (a big archive takes minutes)."""
    partial = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        copy = open_archive(f"sqlite:///{partial}")
        try:
            with _consistent_reading(source) as reading, copy.begin() as writing:
                counts = {}
                for table in Base.metadata.sorted_tables:
                    counts[table.name] = _copy_table(reading, writing, table.name)
                    on_table(table.name, counts[table.name])
                _index(reading, writing)
                on_table("search index", counts["reports"])
            with copy.connect() as connection:
                # One self-contained file (no -wal beside it): to share, or to serve from a
                # read-only folder.
                connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        finally:
            copy.dispose()
    except BaseException:
        _remove_leftovers(partial)
        raise
    partial.replace(target)
    _remove_leftovers(partial)  # the migration's lock file
    return counts


def _remove_leftovers(partial: Path) -> None:
    for leftover in partial.parent.glob(f"{partial.name}*"):
        leftover.unlink()


@contextmanager
def _consistent_reading(source: Engine) -> Iterator[Connection]:
    """A connection that sees the archive as it was when the copy began, however long the copy
    takes and whatever a crawl writes meanwhile: otherwise a sighting stored after its report
    table was copied would point at a report the copy lacks."""
    with source.connect() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite runs each SELECT on its own; one read transaction holds one snapshot.
            connection.exec_driver_sql("BEGIN")
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        yield connection


def _copy_table(reading: Connection, writing: Connection, name: str) -> int:
    table = Base.metadata.tables[name]
    rows = reading.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    copied = 0
    for batch in rows.partitions():
        writing.execute(insert(table), [row._asdict() for row in batch])
        copied += len(batch)
    return copied


def _index(reading: Connection, writing: Connection) -> None:
    reports = reading.execution_options(yield_per=BATCH).execute(
        select(Report.id, Report.title, Report.text).order_by(Report.id)
    )
    for batch in reports.partitions():
        index_reports(writing, ((i, title or "", text or "") for i, title, text in batch))


def cmd_snapshot(args: argparse.Namespace) -> int:
    target = Path(args.file)
    problem = (
        f"no folder {target.parent} to write into"
        if not target.parent.is_dir()
        else f"{target} exists; snapshot into a new file"
        if target.exists()
        else None
    )
    if problem is not None:
        print(f"nianbao snapshot: {problem}", file=sys.stderr)
        return 2
    source = open_archive_for_reading(args.db)  # ArchiveError: one line, exit 2

    def progress(table: str, rows: int) -> None:
        print(f"nianbao snapshot: {table}: {rows} rows", file=sys.stderr, flush=True)

    try:
        counts = snapshot(source, target, progress)
    finally:
        source.dispose()
    print(
        f"nianbao snapshot: {counts['reports']} reports, {counts['sightings']} sightings, "
        f"{sum(counts.values())} rows in all, copied to {target}; "
        f"`nianbao --db {target} serve` browses it"
    )
    return 0


def add_snapshot_command(commands: Commands) -> None:
    command = commands.add_parser(
        "snapshot",
        help="copy the whole archive into a new SQLite file (for serve, or to share)",
        description="Copy the archive (SQLite or PostgreSQL) into a new SQLite file: every "
        "table, and a search index of its own. `nianbao serve` browses SQLite archives only: "
        "snapshot a PostgreSQL archive to browse it.",
    )
    command.add_argument("file", help="the new SQLite file (must not exist)")
    command.set_defaults(handler=cmd_snapshot)
