"""Opening the archive: database URL resolution, engine setup, migrations on first use."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

# Registers the mapper events that keep the search index current on every write.
import archive.search_index  # noqa: F401

DEFAULT_DB_PATH = Path("data") / "nianbao.sqlite"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
# Any fixed key will do: it only has to be the same for every nianbao process.
POSTGRES_MIGRATION_LOCK = 0x6E69616E62616F  # "nianbao"


class ArchiveError(Exception):
    """The archive cannot be opened as asked; the message is one line for the user."""


def resolve_db_url(url: str | None = None) -> str:
    """An explicit URL or file path wins, then NIANBAO_DB_URL, then a SQLite file under ./data/."""
    url = url or os.environ.get("NIANBAO_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    if "://" not in url:  # a plain file path
        return f"sqlite:///{url}"
    return _sqlite_uri_form(url)


def _sqlite_uri_form(url: str) -> str:
    """pysqlite ignores ?mode=ro and ?immutable=1 unless the path is a file: URI with uri=true."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.query or not parsed.database:
        return url
    database = parsed.database
    if not database.startswith("file:"):
        database = "file:" + database
    return (
        parsed.set(database=database)
        .update_query_dict({"uri": "true"})
        .render_as_string(hide_password=False)
    )


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite archive URL; None for other databases and in-memory SQLite."""
    parsed: URL = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database).removeprefix("file:"))


def describe_archive(url: str | None) -> str:
    """How to name an archive to the user: its file, or its URL without the password."""
    resolved = resolve_db_url(url)
    path = sqlite_path(resolved)
    return str(path) if path is not None else make_url(resolved).render_as_string()


def _is_read_only_url(url: str) -> bool:
    query = make_url(url).query
    return query.get("mode") == "ro" or query.get("immutable") == "1"


def _set_sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _enable_sqlite_wal(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets the CLI read while a crawl writes. Only writers set it: changing the journal
    # mode is a write, which a read-only archive refuses.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses nothing when a process dies (only on power loss), and saves
    # an fsync per commit: the crawler commits once per fetched page.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_archive_engine(url: str | None = None, *, writer: bool = True) -> Engine:
    url = resolve_db_url(url)
    path = sqlite_path(url)
    if path is not None and writer:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
        if writer:
            event.listen(engine, "connect", _enable_sqlite_wal)
    return engine


def include_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """The search index's tables are made by hand in a migration (FTS5, tsvector): autogenerate
    must not see them."""
    return not (type_ in ("table", "index") and name is not None and "report_search" in name)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def is_up_to_date(engine: Engine) -> bool:
    heads = set(ScriptDirectory.from_config(_alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def check_archive_file(path: Path) -> None:
    """Refuse an existing file that is not a SQLite database (an empty file included)."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if not header:
        raise ArchiveError(f"{path} is not a nianbao archive: the file is empty")
    if header != SQLITE_HEADER:
        raise ArchiveError(f"{path} is not a nianbao archive: not a SQLite database")


def _check_schema(engine: Engine, where: str) -> None:
    """A database holding tables but no migration history belongs to something else."""
    try:
        tables = set(inspect(engine).get_table_names())
    except DatabaseError as error:
        raise ArchiveError(f"{where} is not a nianbao archive: {error.orig}") from None
    if tables and "alembic_version" not in tables:
        raise ArchiveError(f"{where} is not a nianbao archive: it holds other tables")


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Serialize migrations across processes: a lock file next to a SQLite archive, an
    advisory lock on PostgreSQL (other databases migrate unguarded)."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is not None:
        with FileLock(f"{path}.migrate.lock"):
            yield
    elif engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            _pg_advisory(connection, "pg_advisory_lock")
            try:
                yield
            finally:
                _pg_advisory(connection, "pg_advisory_unlock")
    else:
        yield


def _pg_advisory(connection: Connection, function: str) -> None:
    connection.execute(text(f"SELECT {function}(:key)"), {"key": POSTGRES_MIGRATION_LOCK})
    connection.commit()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migrations (a no-op when it is already there).

    Several crawls may open a new archive at once: the file and version are checked again
    inside a cross-process lock, so exactly one of them migrates and none sees a half-made file.
    """
    if _is_current(engine):
        return
    url = engine.url.render_as_string(hide_password=False)
    path, where = sqlite_path(url), describe_archive(url)
    with _migration_lock(engine):
        if path is not None and path.exists():
            check_archive_file(path)
        _check_schema(engine, where)
        if not is_up_to_date(engine):
            # "heads": branches made side by side apply together until a merge revision joins.
            command.upgrade(_alembic_config(engine), "heads")


def _is_current(engine: Engine) -> bool:
    """The unlocked fast path: True only for an existing archive already at the head."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        return False
    try:
        return is_up_to_date(engine)
    except DatabaseError:
        return False  # decided, with a clear message, under the lock


def open_archive(url: str | None = None) -> Engine:
    """The engine for writing the archive (the crawl), created and migrated as needed."""
    engine = create_archive_engine(url)
    migrate(engine)
    return engine


def _read_only_form(url: str, path: Path, always: bool = False) -> str:
    """Open an archive we may not write (or, `always`, any archive) as SQLite's read-only
    (?mode=ro) or, when its folder is read-only too and holds no WAL files, immutable
    (?immutable=1): a WAL-mode database otherwise needs to create its -shm file next to it."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if make_url(url).query or (writable and not always):
        return url
    folder_writable = os.access(path.parent, os.W_OK)
    has_wal = Path(f"{path}-wal").exists() or Path(f"{path}-shm").exists()
    query = "mode=ro" if folder_writable or has_wal else "immutable=1"
    return _sqlite_uri_form(f"{url}?{query}")


def reading_session(url: str | None = None) -> Session:
    """A session on the archive for a query command (see open_archive_for_reading)."""
    return Session(open_archive_for_reading(url))


def open_archive_for_reading(url: str | None = None, *, read_only: bool = False) -> Engine:
    """The engine for query commands: never creates an archive, and opens read-only archives
    (a read-only file or folder, ?mode=ro or ?immutable=1) when they need no migration.
    `read_only` opens a SQLite archive read-only even when it could be written, and never
    migrates: for a server that must not change what it shows."""
    resolved = resolve_db_url(url)
    path = sqlite_path(resolved)
    if path is not None:
        if not path.exists():
            raise ArchiveError(f"no archive at {path}; run `scrapy crawl reports` first")
        check_archive_file(path)
        resolved = _read_only_form(resolved, path, always=read_only)
    where = describe_archive(resolved)
    engine = create_archive_engine(resolved, writer=False)
    try:
        _check_schema(engine, where)
        current = is_up_to_date(engine)
    except (ArchiveError, DatabaseError) as error:
        engine.dispose()
        if isinstance(error, ArchiveError):
            raise
        raise ArchiveError(f"{where} is not a nianbao archive: {error.orig}") from None
    if current:
        return engine
    engine.dispose()
    if read_only:
        raise ArchiveError(
            f"{where} needs migrating to this nianbao: run `nianbao --db {where} stats` once"
        )
    needs_writing = (
        f"{where} is read-only and needs migrating to this nianbao: open it once writable"
    )
    if _is_read_only_url(resolved) or (path is not None and not os.access(path, os.W_OK)):
        raise ArchiveError(needs_writing)
    try:
        return open_archive(resolved)
    except OperationalError as error:
        if "readonly" in str(error.orig) or "read-only" in str(error.orig):
            raise ArchiveError(needs_writing) from None
        raise
