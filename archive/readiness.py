"""Whether the archive can take a crawl: reachable, migrated and writable, asked once before
any crawling starts so that a bad database is one clear error, not a crash mid-run."""

from __future__ import annotations

from sqlalchemy import false, make_url, update
from sqlalchemy.exc import SQLAlchemyError

from archive.db import open_archive, resolve_db_url
from archive.models import CrawlRun


class ArchiveUnavailable(Exception):
    """The archive cannot be opened or written; the message is one line for the operator."""


def check_archive_writable(url: str | None = None) -> None:
    """Open (and migrate) the archive, then try a write that changes nothing: a read-only
    file or a user without write rights fails here, like a real write would."""
    shown = make_url(resolve_db_url(url)).render_as_string(hide_password=True)
    try:
        engine = open_archive(url)
        try:
            with engine.begin() as connection:
                connection.execute(update(CrawlRun).where(false()).values(finish_reason=None))
        finally:
            engine.dispose()
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        raise ArchiveUnavailable(f"database {shown}: {_first_line(cause)}") from None
    except OSError as error:
        raise ArchiveUnavailable(f"database {shown}: {error}") from None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
