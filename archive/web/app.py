"""The Datasette application for one archive: the shipped metadata and templates, the plugin,
and the archive file under the fixed name `nianbao` so that every URL is the same whatever
the file is called."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasette.app import Database, Datasette
from datasette.plugins import pm
from sqlalchemy import Engine

from archive.web.plugin import DATABASE_NAME, ArchivePlugin

HERE = Path(__file__).parent
METADATA = HERE / "metadata.json"
TEMPLATES = HERE / "templates"
PLUGIN_NAME = "nianbao-archive"
SETTINGS = {
    # Full texts are long: a table page shows their start, the report page all of it.
    "truncate_cells_html": 300,
    # Facets over 100k reports take longer than Datasette's default 200 ms.
    "facet_time_limit_ms": 2000,
    # Datasette would try every column of a page as a facet: on the browse view of 20k
    # reports that tripled the page's time (3.4 s against 0.9 s). The useful facets are set.
    "suggest_facets": False,
    "sql_time_limit_ms": 5000,
}


def load_metadata() -> dict[str, Any]:
    metadata: dict[str, Any] = json.loads(METADATA.read_text(encoding="utf-8"))
    return metadata


def register_plugin(engine: Engine) -> None:
    """Datasette's plugin manager is process-wide: one archive plugin at a time."""
    previous = pm.get_plugin(PLUGIN_NAME)
    if previous is not None:
        pm.unregister(previous)
    pm.register(ArchivePlugin(engine, PLUGIN_NAME), name=PLUGIN_NAME)


def build_datasette(path: Path, engine: Engine, immutable: bool) -> Datasette:
    """Datasette on the SQLite archive at `path`, reading it read-only (`immutable` when the
    file cannot change while served, as Datasette then skips its change checks); `engine`
    is the read-only SQLAlchemy engine the plugin's pages query."""
    register_plugin(engine)
    datasette = Datasette(
        metadata=load_metadata(),
        template_dir=str(TEMPLATES),
        settings=SETTINGS,
    )
    # Without files Datasette made an in-memory database; this server shows only the archive.
    datasette.remove_database("_memory")
    datasette.add_database(
        Database(datasette, path=str(path), is_mutable=not immutable), name=DATABASE_NAME
    )
    return datasette
