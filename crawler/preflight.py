"""What `scrapy crawl reports` checks before it starts: the registry or `-a site` URL and the
archive. Each problem is one line (file:row where it applies), never a traceback."""

from __future__ import annotations

from pathlib import Path

from archive.readiness import ArchiveUnavailable, check_archive_writable
from crawler.registry import SHIPPED_REGISTRY, RegistryError, ad_hoc_portal, load_registry


class StartupError(Exception):
    """A crawl that must not start; the message is the one line to show."""


def check_portals(registry: str, site: str, default_registry: str) -> int:
    """The number of portals the run would crawl, or StartupError naming what is wrong."""
    if site:
        try:
            ad_hoc_portal(site)
        except ValueError as error:
            raise StartupError(f"-a site={site}: {error} (e.g. http://{site}/)") from None
        return 1
    path = Path(registry or default_registry or SHIPPED_REGISTRY)
    try:
        return len(load_registry(path))
    except RegistryError as error:
        raise StartupError(str(error)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"registry {path}: {error}") from None


def check_crawl(registry: str, site: str, default_registry: str, db_url: str) -> None:
    check_portals(registry, site, default_registry)
    try:
        check_archive_writable(db_url or None)
    except ArchiveUnavailable as error:
        raise StartupError(str(error)) from None
