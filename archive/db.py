"""Opening the archive: database URL resolution, engine setup, migrations on first use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

# Registers the mapper events that keep the search index current on every write.
import archive.search_index  # noqa: F401

DEFAULT_DB_PATH = Path("data") / "nianbao.sqlite"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def resolve_db_url(url: str | None = None) -> str:
    """An explicit URL wins, then NIANBAO_DB_URL, then a SQLite file under ./data/."""
    if url:
        return url
    if env := os.environ.get("NIANBAO_DB_URL"):
        return env
    return f"sqlite:///{DEFAULT_DB_PATH}"


def _enable_sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets the CLI read while a crawl writes; busy_timeout rides out short write locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses nothing when a process dies (only on power loss), and saves
    # an fsync per commit: the crawler commits once per fetched page.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_archive_engine(url: str | None = None) -> Engine:
    url = resolve_db_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migrations (a no-op when it is already there)."""
    if not is_up_to_date(engine):
        # "heads": branches made side by side apply together until a merge revision joins them.
        command.upgrade(_alembic_config(engine), "heads")


def open_archive(url: str | None = None) -> Engine:
    """The engine for the archive, with its schema migrated: what every caller should use."""
    engine = create_archive_engine(url)
    migrate(engine)
    return engine
