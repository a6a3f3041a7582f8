"""`nianbao serve`: the archive in the browser, on Datasette, read-only."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sqlalchemy import make_url

from archive.db import describe_archive, open_archive_for_reading, resolve_db_url, sqlite_path

if TYPE_CHECKING:
    from archive.cli import Commands

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001  # Datasette's own default


def cmd_serve(args: argparse.Namespace) -> int:
    url = resolve_db_url(args.db)
    path = sqlite_path(url)
    if path is None:
        backend = make_url(url).get_backend_name()
        print(
            f"nianbao serve: Datasette serves SQLite archives, not {backend} "
            f"({describe_archive(args.db)}); copy it into one with `nianbao snapshot FILE`",
            file=sys.stderr,
        )
        return 2
    engine = open_archive_for_reading(url, read_only=True)  # ArchiveError: one line, exit 2
    # Imported here: the other commands start without loading Datasette and its web stack.
    import uvicorn

    from archive.web.app import build_datasette

    immutable = make_url(engine.url).query.get("immutable") == "1"
    datasette = build_datasette(path, engine, immutable)
    print(f"nianbao serve: {path} read-only at http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(datasette.app(), host=args.host, port=args.port, log_level="warning")
    return 0


def add_serve_command(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="browse the archive in a web browser (Datasette, read-only)",
        description="Serve the SQLite archive read-only with Datasette: full-text search at "
        "/-/search (the query language of `nianbao search`), report pages at /-/report/ID, "
        "facets by year, level, region and publisher, canned queries and SQL.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"listen address ({DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    serve.set_defaults(handler=cmd_serve)
