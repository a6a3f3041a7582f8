"""Archives of a benchmark's own: a PostgreSQL database created on a server and dropped
afterwards (even when the benchmark fails), so that benchmarks never touch each other's or the
tests' tables, and a SQLite file in a temporary folder."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from archive.db import open_archive


@contextmanager
def scratch_database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty database named `prefix` plus a random suffix on the server of
    `server_url` (which names any database the user may connect to)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def scratch_archives(
    server_url: str, prefix: str, *, sqlite: bool = True, postgres: bool = True
) -> Iterator[tuple[str, Engine]]:
    """(backend name, engine) of a new SQLite archive, then of one on a scratch PostgreSQL
    database of `server_url`; each is disposed and removed once the loop moves on."""
    if sqlite:
        with tempfile.TemporaryDirectory() as folder:
            engine = open_archive(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
            try:
                yield "SQLite", engine
            finally:
                engine.dispose()
    if postgres:
        with scratch_database(server_url, prefix) as url:
            engine = open_archive(url)
            try:
                yield "PostgreSQL", engine
            finally:
                engine.dispose()
